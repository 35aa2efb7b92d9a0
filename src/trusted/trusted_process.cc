#include "trusted/trusted_process.h"

#include <unistd.h>

#include <future>
#include <optional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include "gradebox/sandbox.h"
#include "trusted/launch_guard.h"

namespace gradebox {
namespace {

namespace bp = boost::process;

// The forked child enters the sandbox's network through the sandbox's own
// step, before exec. Only async-signal-safe calls: gradebox is multi-threaded.
struct JoinNetwork : bp::extend::handler {
  const NetworkEntry* entry = nullptr;
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    if (entry && !entry->join_in_child()) ::_exit(126);
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
  std::optional<NetworkEntry> network;
  if (!run.network_namespace.empty()) {
    auto opened = NetworkEntry::open(run.network_namespace);
    if (!opened) return opened.error();
    network.emplace(std::move(*opened));
  }
  JoinNetwork join;
  if (network) join.entry = &*network;
  TrustedOutput output;
  try {
    boost::asio::io_context ios;
    std::future<std::string> out, err;
    bp::environment env;
    env["PATH"] = "/usr/bin:/bin";
    env["LANG"] = "C.UTF-8";
    std::vector<std::string> args(run.argv.begin() + 1, run.argv.end());
    bp::child child = [&] {
      LaunchGuard guard;
      return bp::child(run.argv[0], bp::args(args), bp::env(env),
                       bp::start_dir(run.cwd.empty() ? std::string("/") : run.cwd),
                       bp::std_in<boost::asio::buffer(run.stdin_data), bp::std_out> out,
                       bp::std_err > err, ios, join);
    }();
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
      return Error{joined(run.argv) + ": no answer within " + std::to_string(run.timeout.count()) +
                   " ms"};
    }
    child.wait();
    output.exit_code = child.exit_code();
    output.stdout_data = out.get();
    output.stderr_data = err.get();
  } catch (const std::exception& e) {
    return Error{joined(run.argv) + ": " + e.what()};
  }
  return output;
}

}  // namespace gradebox
