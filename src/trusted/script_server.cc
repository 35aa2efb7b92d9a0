#include "trusted/script_server.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/process.hpp>
#include <boost/process/posix.hpp>

#include "trusted/launch_guard.h"
#include "util/dev_trace.h"

namespace gradebox {
namespace {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

std::filesystem::path server_program(const std::filesystem::path& script) {
  return script.parent_path().parent_path() / "_trusted" / "gb_script_server.py";
}

// One gb_script_server.py process for one script, talking over a socket
// pair (not pipes: MSG_NOSIGNAL turns a dead server into EPIPE, not SIGPIPE).
class ScriptServer {
 public:
  static std::unique_ptr<ScriptServer> start(const std::filesystem::path& script);
  ~ScriptServer();

  // nullopt: the server failed (died, spoke nonsense); the call may be retried.
  std::optional<Result<TrustedOutput>> ask(const ScriptCall& call, Clock::time_point deadline);

 private:
  ScriptServer(bp::child child, int socket) : child_(std::move(child)), socket_(socket) {}
  bool send_all(const std::string& data);
  bool receive(char* data, std::size_t size, Clock::time_point deadline, bool& timed_out);
  bool receive_line(std::string& line, Clock::time_point deadline, bool& timed_out);

  bp::child child_;
  int socket_;
};

std::unique_ptr<ScriptServer> ScriptServer::start(const std::filesystem::path& script) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return nullptr;
  try {
    bp::environment env;
    env["PATH"] = "/usr/bin:/bin";
    env["LANG"] = "C.UTF-8";
    bp::child child = [&] {
      LaunchGuard guard;
      return bp::child("/usr/bin/python3",
                       bp::args({"-I", "-S", server_program(script).string(), script.string()}),
                       bp::env(env), bp::start_dir(script.parent_path().string()),
                       bp::posix::fd.bind(0, fds[1]), bp::posix::fd.bind(1, fds[1]),
                       bp::std_err > bp::null);
    }();
    ::close(fds[1]);
    return std::unique_ptr<ScriptServer>(new ScriptServer(std::move(child), fds[0]));
  } catch (const std::exception&) {
    ::close(fds[0]);
    ::close(fds[1]);
    return nullptr;
  }
}

ScriptServer::~ScriptServer() {
  ::close(socket_);
  // The server leads its own process group, so a child still running a
  // timed-out check goes with it (the pid too: the group may not exist yet).
  const pid_t pid = child_.id();
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  // Reaped here, not with child::terminate: Boost 1.74's waits with WNOHANG
  // and its wait() then skips a terminated child, leaving a zombie.
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  child_.detach();
}

bool ScriptServer::send_all(const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(socket_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool ScriptServer::receive(char* data, std::size_t size, Clock::time_point deadline,
                           bool& timed_out) {
  std::size_t got = 0;
  while (got < size) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return !(timed_out = true);
    pollfd p{socket_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above ends it
    ssize_t n = ::recv(socket_, data + got, size - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

bool ScriptServer::receive_line(std::string& line, Clock::time_point deadline, bool& timed_out) {
  char c = 0;
  while (line.size() < 64 && receive(&c, 1, deadline, timed_out)) {
    if (c == '\n') return true;
    line += c;
  }
  return false;
}

std::optional<Result<TrustedOutput>> ScriptServer::ask(const ScriptCall& call,
                                                       Clock::time_point deadline) {
  if (!send_all(std::to_string(call.stdin_data.size()) + "\n") || !send_all(call.stdin_data))
    return std::nullopt;
  bool timed_out = false;
  std::string reply_header;
  TrustedOutput output;
  std::size_t out_size = 0, err_size = 0;
  if (receive_line(reply_header, deadline, timed_out) &&
      std::sscanf(reply_header.c_str(), "%d %zu %zu", &output.exit_code, &out_size, &err_size) ==
          3) {
    output.stdout_data.resize(out_size);
    output.stderr_data.resize(err_size);
    if (receive(output.stdout_data.data(), out_size, deadline, timed_out) &&
        receive(output.stderr_data.data(), err_size, deadline, timed_out))
      return Result<TrustedOutput>(std::move(output));
  }
  if (timed_out) {
    return Result<TrustedOutput>(Error{"/usr/bin/python3 -I -S " + call.script.string() +
                                       ": no answer within " +
                                       std::to_string(call.timeout.count()) + " ms"});
  }
  return std::nullopt;
}

// A server holds the script as it was compiled: an edited script gets new ones.
std::string script_version(const std::filesystem::path& script) {
  std::error_code ec;
  auto modified = std::filesystem::last_write_time(script, ec).time_since_epoch().count();
  auto size = std::filesystem::file_size(script, ec);
  return std::to_string(modified) + ":" + std::to_string(ec ? 0 : size);
}

// Each server keeps ~7 MB: with many workers, servers beyond these end
// after their call rather than stay idle.
constexpr std::size_t kMaxIdlePerScript = 4;

// Idle servers by script, each with the script version it compiled. A
// caller takes one (or starts one) for its call and gives it back only if
// the call went cleanly. Servers end outside the lock (their destructor
// waits for the process).
class ServerPool {
 public:
  struct Lease {
    std::unique_ptr<ScriptServer> server;
    std::string version;
  };

  Lease take(const std::filesystem::path& script) {
    Lease lease{nullptr, script_version(script)};
    std::vector<Lease> stale;  // servers of an older version: they end below, unlocked
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto& idle = idle_[script.string()];
      while (!idle.empty() && !lease.server) {
        Lease candidate = std::move(idle.back());
        idle.pop_back();
        if (candidate.version == lease.version) {
          lease.server = std::move(candidate.server);
        } else {
          stale.push_back(std::move(candidate));
        }
      }
    }
    if (!lease.server) lease.server = ScriptServer::start(script);
    return lease;
  }

  void prestart(const std::filesystem::path& script) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_[script.string()].empty()) return;
    }
    Lease lease{ScriptServer::start(script), script_version(script)};
    if (lease.server) give_back(script, std::move(lease));
  }

  void give_back(const std::filesystem::path& script, Lease lease) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& idle = idle_[script.string()];
    if (idle.size() < kMaxIdlePerScript) idle.push_back(std::move(lease));
  }  // a surplus server ends with the parameter, after the lock is released

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<Lease>> idle_;
};

ServerPool& pool() {
  static ServerPool instance;  // servers end with the process (socket EOF, then killed)
  return instance;
}

Result<TrustedOutput> run_one_shot(const ScriptCall& call) {
  TrustedRun run;
  run.argv = {"/usr/bin/python3", "-I", "-S", call.script.string()};
  run.stdin_data = call.stdin_data;
  run.cwd = call.script.parent_path().string();
  run.timeout = call.timeout;
  run.network_namespace = call.network_namespace;
  return run_trusted(run);
}

// --verbose: the call as the argv it stands for (a pooled server runs the
// script as this one-shot would), its exit code and its time.
void trace_call(const ScriptCall& call, const Result<TrustedOutput>& out, Clock::time_point start) {
  if (!dev_trace_on()) return;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  std::string line = "/usr/bin/python3 -I -S " + call.script.string() + " (cwd " +
                     call.script.parent_path().string() + ", " +
                     std::to_string(call.stdin_data.size()) + " bytes on stdin";
  if (!call.network_namespace.empty()) line += ", in the box's network namespace";
  line += ") -> ";
  line += out ? "exit " + std::to_string(out->exit_code) : "error: " + out.error().message;
  dev_trace("trusted", line + " in " + std::to_string(ms) + " ms");
}

Result<TrustedOutput> run_pooled(const ScriptCall& call) {
  // The pooled servers live on the host's network. A call in a sandbox's
  // network starts its interpreter there, through the sandbox's entry
  // (run_trusted): the server never enters a namespace, and a fresh process
  // costs no more than a server started for that one sandbox would.
  if (!call.network_namespace.empty()) return run_one_shot(call);
  const auto deadline = Clock::now() + call.timeout;
  auto lease = pool().take(call.script);
  if (!lease.server) return run_one_shot(call);
  auto reply = lease.server->ask(call, deadline);
  if (!reply) return run_one_shot(call);  // the server broke; the script gets a fresh interpreter
  if (!*reply) return reply->error();     // timed out: the server goes
  pool().give_back(call.script, std::move(lease));
  return std::move(*reply);
}

}  // namespace

void prestart_script(const std::filesystem::path& script) { pool().prestart(script); }

Result<TrustedOutput> run_script(const ScriptCall& call) {
  const auto start = Clock::now();
  auto out = run_pooled(call);
  trace_call(call, out, start);
  return out;
}

}  // namespace gradebox
