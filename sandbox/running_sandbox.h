// gradebox's side of one run: launches gradebox-init through Boost.Process,
// feeds stdin, drains stdout/stderr/channel/status on its own io thread,
// and turns the init's report and the cgroup's numbers into an outcome.
#pragma once

// clang-format off
#include <utility>  // before asio: Boost 1.74 misses it in C++20
// clang-format on
#include <sys/types.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "capture.h"
#include "cgroup.h"
#include "gradebox/sandbox.h"
#include "launch_config.h"

namespace gradebox::sandbox {

/// What the launch needs besides the spec.
struct LaunchSettings {
  std::string init_path;  // the gradebox-init executable
  LaunchConfig config;    // the spec, with limits resolved and cgroups named
  SandboxLimits limits;
};

class NamespaceRunningSandbox : public RunningSandbox {
 public:
  /// Launches and waits for the init's ready line: a setup failure is an
  /// Error here, never an outcome.
  static Result<std::unique_ptr<RunningSandbox>> launch(LaunchSettings settings,
                                                        RunCgroup cgroup,
                                                        std::string stdin_data);
  ~NamespaceRunningSandbox() override;

  Status in_network(const std::function<void()>& fn) override;
  std::string network_namespace_path() const override;
  Result<SandboxOutcome> wait() override;
  void kill() override;

 private:
  NamespaceRunningSandbox(LaunchSettings settings, RunCgroup cgroup,
                          std::string stdin_data);
  Status start_child(int child_fds[5]);
  Status wait_until_ready();
  void start_io();
  void signal_outer(int signal_number);
  Result<SandboxOutcome> finish();

  LaunchSettings settings_;
  std::optional<RunCgroup> cgroup_;
  std::string stdin_data_;
  boost::asio::io_context io_;
  boost::process::child child_;
  pid_t pid_ = -1;
  int parent_fds_[5] = {-1, -1, -1, -1,
                        -1};  // stdin(w), out, err, channel, status
  std::unique_ptr<Capture> stdout_, stderr_, channel_, status_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> stdin_;
  std::unique_ptr<boost::asio::steady_timer> backstop_;
  std::thread io_thread_;
  std::atomic<bool> reaped_{false};
  std::atomic<bool> killed_{false};
  std::atomic<bool> output_exceeded_{false};
  std::atomic<bool> backstop_fired_{false};
  std::string first_status_line_rest_;  // status bytes read past the ready line
  std::optional<Result<SandboxOutcome>> outcome_;
};

}  // namespace gradebox::sandbox
