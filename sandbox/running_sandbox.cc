#include "running_sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "box_network.h"
#include "outcome.h"
#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

constexpr double kBackstopGraceSeconds = 2.0;  // after the init's wall limit
constexpr int kReadyTimeoutMs = 10000;

}  // namespace

NamespaceRunningSandbox::NamespaceRunningSandbox(LaunchSettings settings,
                                                 std::unique_ptr<WarmInit> init,
                                                 std::string stdin_data,
                                                 std::shared_ptr<RunReaper> reaper)
    : settings_(std::move(settings)),
      init_(std::move(init)),
      outer_pid_(init_->pid),
      reaper_(std::move(reaper)),
      stdin_data_(std::move(stdin_data)) {}

NamespaceRunningSandbox::~NamespaceRunningSandbox() {
  if (!outcome_) {
    kill();
    (void)wait();
  }
  if (network_fd_ >= 0) close(network_fd_);
}

Result<std::unique_ptr<RunningSandbox>> NamespaceRunningSandbox::launch(
    LaunchSettings settings, std::unique_ptr<WarmInit> init, std::string stdin_data,
    std::shared_ptr<RunReaper> reaper) {
  std::unique_ptr<NamespaceRunningSandbox> box(new NamespaceRunningSandbox(
      std::move(settings), std::move(init), std::move(stdin_data), std::move(reaper)));
  // Before the spec: once the program may run, it may also end the box.
  auto network = hold_box_network(box->outer_pid_, std::chrono::milliseconds(kReadyTimeoutMs));
  if (network.ok()) box->network_fd_ = *network;
  Status ready = box->send_spec();
  if (ready.ok()) {
    // Before the ready line, so that the io thread's start overlaps the
    // init's setup instead of following a short program's end.
    box->start_io();
    ready = box->wait_until_ready();
  }
  // The init's own error, if it reported one, says more than the namespace's.
  if (ready.ok() && !network.ok()) ready = network.error();
  if (!ready.ok()) {
    box->abandon();
    return ready.error();  // ~WarmInit closes the status pipe and reaps
  }
  box->watch_status();
  return std::unique_ptr<RunningSandbox>(std::move(box));
}

// Setup failed: ends the init (PDEATHSIG follows the outer) and the io
// thread, whose backstop would otherwise keep it waiting.
void NamespaceRunningSandbox::abandon() {
  ::kill(outer_pid_, SIGKILL);
  if (io_thread_.joinable()) {
    boost::asio::post(io_, [this] { backstop_->cancel(); });
    io_thread_.join();
  }
  outcome_ = Error{"not started"};
}

// The rest of the status pipe (the report) is read on the io thread, which
// is running by now: the capture is made there.
void NamespaceRunningSandbox::watch_status() {
  int fd = std::exchange(init_->fds[4], -1);
  boost::asio::post(io_, [this, fd] {
    status_ = std::make_unique<Capture>(io_, fd, 1 << 20, nullptr, [this] { backstop_->cancel(); });
    status_->start();
  });
}

// The limits go on the cgroup before the spec goes to the init, so nothing
// of the program runs unlimited.
Status NamespaceRunningSandbox::send_spec() {
  GB_RETURN_IF_ERROR(init_->cgroup->apply_limits(settings_.limits));
  std::string json = to_json(settings_.config);
  std::string message = std::to_string(json.size()) + "\n" + json;
  for (size_t sent = 0; sent < message.size();) {
    ssize_t length = write(init_->fds[0], message.data() + sent, message.size() - sent);
    if (length < 0 && errno == EINTR) continue;
    if (length <= 0) return sys_error("write", "gradebox-init spec");
    sent += static_cast<size_t>(length);
  }
  return ok_status();
}

Status NamespaceRunningSandbox::wait_until_ready() {
  std::string text;
  int status_fd = init_->fds[4];
  while (text.find('\n') == std::string::npos) {
    struct pollfd ready = {status_fd, POLLIN, 0};
    if (poll(&ready, 1, kReadyTimeoutMs) <= 0) {
      return Error{"gradebox-init: no ready line within 10 s"};
    }
    char buffer[4096];
    ssize_t length = read(status_fd, buffer, sizeof(buffer));
    if (length < 0 && errno == EINTR) continue;
    if (length <= 0) return Error{"gradebox-init ended before it was ready"};
    text.append(buffer, length);
  }
  size_t newline = text.find('\n');
  status_rest_ = text.substr(newline + 1);
  return parse_ready(text.substr(0, newline));
}

void NamespaceRunningSandbox::start_io() {
  const SandboxLimits& limits = settings_.limits;
  auto exceeded = [this] {
    output_exceeded_ = true;
    signal_outer(SIGTERM);
  };
  stdout_ = std::make_unique<Capture>(io_, init_->fds[1], limits.output_bytes, exceeded);
  stderr_ = std::make_unique<Capture>(io_, init_->fds[2], limits.output_bytes, exceeded);
  channel_ = std::make_unique<Capture>(io_, init_->fds[3], limits.channel_bytes);
  backstop_ = std::make_unique<boost::asio::steady_timer>(
      io_, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(limits.wall_seconds + kBackstopGraceSeconds)));
  stdin_ = std::make_unique<boost::asio::posix::stream_descriptor>(io_, init_->fds[0]);
  for (int i = 0; i < 4; ++i) init_->fds[i] = -1;  // owned by asio now
  backstop_->async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    backstop_fired_ = true;
    signal_outer(SIGKILL);
  });
  boost::asio::async_write(*stdin_, boost::asio::buffer(stdin_data_),
                           [this](const boost::system::error_code&, std::size_t) {
                             stdin_->close();  // EOF, or the reader is gone
                           });
  for (Capture* capture : {stdout_.get(), stderr_.get(), channel_.get()}) {
    capture->start();
  }
  io_thread_ = std::thread([this] {
    sigset_t pipe_signal;  // a write to a closed stdin must be EPIPE, not death
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    io_.run();
  });
}

void NamespaceRunningSandbox::signal_outer(int signal_number) {
  if (outer_pid_ > 0 && !reaped_) ::kill(outer_pid_, signal_number);
}

void NamespaceRunningSandbox::kill() {
  killed_ = true;
  signal_outer(SIGTERM);
}

std::string NamespaceRunningSandbox::network_namespace_path() const {
  return held_network_path(network_fd_);
}

Status NamespaceRunningSandbox::in_network(const std::function<void()>& fn) {
  std::string path = network_namespace_path();
  Status result = ok_status();
  std::thread worker([&] {  // setns(CLONE_NEWNET) changes only this thread
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      result = sys_error("open", path);
      return;
    }
    int joined = setns(fd, CLONE_NEWNET);
    if (joined != 0) result = sys_error("setns", path + ", CLONE_NEWNET");
    close(fd);
    if (joined != 0) return;
    try {
      fn();
    } catch (const std::exception& error) {
      result = Error{std::string("in_network: ") + error.what()};
    }
  });
  worker.join();
  return result;
}

Result<SandboxOutcome> NamespaceRunningSandbox::wait() {
  if (!outcome_) outcome_ = finish();
  return *outcome_;
}

Result<SandboxOutcome> NamespaceRunningSandbox::finish() {
  if (io_thread_.joinable()) io_thread_.join();
  // Every pipe is at EOF, so the init and its whole tree are reaped
  // (init_main.cc): the numbers are final. Only the outer's exit and the
  // cgroups' removal are left, for the reaper.
  CgroupStats stats = init_->cgroup->read_stats();
  reaped_ = true;  // no more signals: the reaper owns the pid now
  reaper_->retire(std::move(init_));
  if (!status_) return Error{"gradebox-init did not start"};
  std::string report_text = status_rest_ + status_->data();
  Result<InitReport> report = parse_status(report_text);
  if (backstop_fired_) {
    return Error{"gradebox-init did not end the run within the wall limit"};
  }
  if (!report.ok() && !killed_ && !output_exceeded_) return report.error();
  Streams streams{stdout_->data(),      stderr_->data(),      channel_->data(),
                  stdout_->truncated(), stderr_->truncated(), channel_->truncated()};
  return compose_outcome(report.ok() ? *report : killed_report(), stats, settings_.limits,
                         output_exceeded_, std::move(streams));
}

}  // namespace gradebox::sandbox
