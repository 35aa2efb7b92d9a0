// gradebox's side of one run: hands the spec to a waiting gradebox-init
// (warm_pool.h), feeds stdin, drains stdout/stderr/channel/status on its own io
// thread, and turns the init's report and the cgroup's numbers into an outcome.
#pragma once

// clang-format off
#include <utility>  // before asio: Boost 1.74 misses it in C++20
// clang-format on
#include <sys/types.h>

#include <atomic>
#include <boost/asio.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "capture.h"
#include "cgroup.h"
#include "gradebox/sandbox.h"
#include "launch_config.h"
#include "run_reaper.h"
#include "warm_pool.h"

namespace gradebox::sandbox {

/// The spec of one run, with its limits resolved.
struct LaunchSettings {
  LaunchConfig config;
  SandboxLimits limits;
};

class NamespaceRunningSandbox : public RunningSandbox {
 public:
  /// Sends the spec to a waiting init and waits for its ready line: a setup
  /// failure is an Error here, never an outcome.
  static Result<std::unique_ptr<RunningSandbox>> launch(LaunchSettings settings,
                                                        std::unique_ptr<WarmInit> init,
                                                        std::string stdin_data,
                                                        std::shared_ptr<RunReaper> reaper);
  ~NamespaceRunningSandbox() override;

  Status in_network(const std::function<void()>& fn) override;
  std::string network_namespace_path() const override;
  Result<SandboxOutcome> wait() override;
  void kill() override;

 private:
  NamespaceRunningSandbox(LaunchSettings settings, std::unique_ptr<WarmInit> init,
                          std::string stdin_data, std::shared_ptr<RunReaper> reaper);
  Status send_spec();
  Status wait_until_ready();
  void start_io();
  void watch_status();
  void abandon();
  void signal_outer(int signal_number);
  Result<SandboxOutcome> finish();

  LaunchSettings settings_;
  std::unique_ptr<WarmInit> init_;  // its fds move to asio in start_io()
  pid_t outer_pid_;                 // init_ goes to the reaper in finish()
  int network_fd_ = -1;             // the box's network, while this lives
  std::shared_ptr<RunReaper> reaper_;
  std::string stdin_data_;
  boost::asio::io_context io_;
  std::unique_ptr<Capture> stdout_, stderr_, channel_, status_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> stdin_;
  std::unique_ptr<boost::asio::steady_timer> backstop_;
  std::thread io_thread_;
  std::atomic<bool> reaped_{false};
  std::atomic<bool> killed_{false};
  std::atomic<bool> output_exceeded_{false};
  std::atomic<bool> backstop_fired_{false};
  std::string status_rest_;  // status bytes read past the ready line
  std::optional<Result<SandboxOutcome>> outcome_;
};

}  // namespace gradebox::sandbox
