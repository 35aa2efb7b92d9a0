#include "trusted/trusted_process.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <thread>

#include <boost/asio.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>

namespace gradebox {
namespace {

namespace bp = boost::process;

// Joins a network namespace in the forked child, before exec. Only
// async-signal-safe calls here: gradebox is multi-threaded.
struct JoinNetwork : bp::extend::handler {
  int fd = -1;
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    if (fd >= 0 && ::setns(fd, CLONE_NEWNET) != 0) ::_exit(126);
  }
};

std::string joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& a : argv) text += (text.empty() ? "" : " ") + a;
  return text;
}

}  // namespace

Result<TrustedOutput> run_trusted(const TrustedRun& run) {
  if (run.argv.empty()) return Error{"run_trusted: empty argv"};
  JoinNetwork join;
  if (!run.network_namespace.empty()) {
    join.fd = ::open(run.network_namespace.c_str(), O_RDONLY | O_CLOEXEC);
    if (join.fd < 0) return Error{"open(" + run.network_namespace + "): " + std::strerror(errno)};
  }
  TrustedOutput output;
  try {
    boost::asio::io_context ios;
    std::future<std::string> out, err;
    bp::environment env;
    env["PATH"] = "/usr/bin:/bin";
    env["LANG"] = "C.UTF-8";
    std::vector<std::string> args(run.argv.begin() + 1, run.argv.end());
    bp::child child(run.argv[0], bp::args(args), bp::env(env),
                    bp::start_dir(run.cwd.empty() ? std::string("/") : run.cwd),
                    bp::std_in<boost::asio::buffer(run.stdin_data), bp::std_out> out,
                    bp::std_err > err, ios, join);
    // run_for returns once the pipes are drained; the exit may come a
    // moment later, so wait for it within what is left of the timeout.
    const auto deadline = std::chrono::steady_clock::now() + run.timeout;
    ios.run_until(deadline);
    // Not child.wait_until: in Boost 1.74 it waits for a SIGCHLD that
    // another thread of a multi-threaded gradebox may take, spinning until
    // the deadline. Polling the pid is cheap and certain.
    std::error_code ec;
    while (child.running(ec) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (child.running(ec)) {
      child.terminate();
      if (join.fd >= 0) ::close(join.fd);
      return Error{joined(run.argv) + ": no answer within " + std::to_string(run.timeout.count()) +
                   " ms"};
    }
    child.wait();
    output.exit_code = child.exit_code();
    output.stdout_data = out.get();
    output.stderr_data = err.get();
  } catch (const std::exception& e) {
    if (join.fd >= 0) ::close(join.fd);
    return Error{joined(run.argv) + ": " + e.what()};
  }
  if (join.fd >= 0) ::close(join.fd);
  return output;
}

}  // namespace gradebox
