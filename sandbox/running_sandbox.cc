#include "running_sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "outcome.h"
#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

namespace bp = boost::process;

constexpr double kBackstopGraceSeconds = 2.0;  // after the init's wall limit
constexpr int kReadyTimeoutMs = 10000;

// A pipe whose both ends are close-on-exec, so no other thread's child
// inherits it; the child's end is moved to fd >= 10 so that dup2 onto 0-4
// in the forked child never overwrites another source.
Status make_pipe(int& read_end, int& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe2", "O_CLOEXEC");
  read_end = fds[0];
  write_end = fds[1];
  return ok_status();
}

int move_high(int fd) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return high;
}

}  // namespace

NamespaceRunningSandbox::NamespaceRunningSandbox(LaunchSettings settings,
                                                 RunCgroup cgroup,
                                                 std::string stdin_data)
    : settings_(std::move(settings)),
      cgroup_(std::move(cgroup)),
      stdin_data_(std::move(stdin_data)) {}

NamespaceRunningSandbox::~NamespaceRunningSandbox() {
  if (!outcome_) {
    kill();
    (void)wait();
  }
  for (int fd : parent_fds_) {
    if (fd >= 0) close(fd);
  }
}

Result<std::unique_ptr<RunningSandbox>> NamespaceRunningSandbox::launch(
    LaunchSettings settings, RunCgroup cgroup, std::string stdin_data) {
  std::unique_ptr<NamespaceRunningSandbox> box(new NamespaceRunningSandbox(
      std::move(settings), std::move(cgroup), std::move(stdin_data)));
  int child_fds[5] = {-1, -1, -1, -1, -1};
  Status started = box->start_child(child_fds);
  for (int fd : child_fds) {
    if (fd >= 0) close(fd);
  }
  if (!started.ok()) return started.error();
  Status ready = box->wait_until_ready();
  if (!ready.ok()) {
    box->kill();
    (void)box->wait();
    return ready.error();
  }
  box->start_io();
  return std::unique_ptr<RunningSandbox>(std::move(box));
}

// fds 0-4 of gradebox-init: stdin, stdout, stderr, channel, status.
Status NamespaceRunningSandbox::start_child(int child_fds[5]) {
  GB_RETURN_IF_ERROR(make_pipe(child_fds[0], parent_fds_[0]));
  for (int i = 1; i < 5; ++i) {
    GB_RETURN_IF_ERROR(make_pipe(parent_fds_[i], child_fds[i]));
  }
  for (int i = 0; i < 5; ++i) child_fds[i] = move_high(child_fds[i]);
  int* sources = child_fds;
  std::error_code error;
  // Only async-signal-safe calls between fork and exec: gradebox is
  // multi-threaded.
  child_ = bp::child(
      settings_.init_path, bp::args({to_json(settings_.config)}),
      bp::env = bp::environment(),
      bp::extend::on_exec_setup =
          [sources](auto&) {
            for (int i = 0; i < 5; ++i) dup2(sources[i], i);
          },
      error);
  if (error) {
    return Error{"launch(" + settings_.init_path + "): " + error.message()};
  }
  pid_ = child_.id();
  return ok_status();
}

Status NamespaceRunningSandbox::wait_until_ready() {
  std::string text;
  int status_fd = parent_fds_[4];
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
  first_status_line_rest_ = text.substr(newline + 1);
  return parse_ready(text.substr(0, newline));
}

void NamespaceRunningSandbox::start_io() {
  const SandboxLimits& limits = settings_.limits;
  auto exceeded = [this] {
    output_exceeded_ = true;
    signal_outer(SIGTERM);
  };
  stdout_ = std::make_unique<Capture>(io_, parent_fds_[1], limits.output_bytes,
                                      exceeded);
  stderr_ = std::make_unique<Capture>(io_, parent_fds_[2], limits.output_bytes,
                                      exceeded);
  channel_ =
      std::make_unique<Capture>(io_, parent_fds_[3], limits.channel_bytes);
  backstop_ = std::make_unique<boost::asio::steady_timer>(
      io_, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(limits.wall_seconds +
                                             kBackstopGraceSeconds)));
  status_ = std::make_unique<Capture>(io_, parent_fds_[4], 1 << 20, nullptr,
                                      [this] { backstop_->cancel(); });
  stdin_ = std::make_unique<boost::asio::posix::stream_descriptor>(
      io_, parent_fds_[0]);
  for (int i = 0; i < 5; ++i) parent_fds_[i] = -1;  // owned by asio now
  backstop_->async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    backstop_fired_ = true;
    signal_outer(SIGKILL);
  });
  boost::asio::async_write(
      *stdin_, boost::asio::buffer(stdin_data_),
      [this](const boost::system::error_code&, std::size_t) {
        stdin_->close();  // EOF, or the reader is gone
      });
  for (Capture* capture :
       {stdout_.get(), stderr_.get(), channel_.get(), status_.get()}) {
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
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal_number);
}

void NamespaceRunningSandbox::kill() {
  killed_ = true;
  signal_outer(SIGTERM);
}

std::string NamespaceRunningSandbox::network_namespace_path() const {
  return "/proc/" + std::to_string(pid_) + "/ns/net";
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
  std::error_code error;
  child_.wait(error);
  reaped_ = true;
  CgroupStats stats = cgroup_->read_stats();
  cgroup_.reset();  // removes the directories
  if (!status_) return Error{"gradebox-init did not start"};
  std::string report_text = first_status_line_rest_ + status_->data();
  Result<InitReport> report = parse_status(report_text);
  if (backstop_fired_) {
    return Error{"gradebox-init did not end the run within the wall limit"};
  }
  if (!report.ok() && !killed_ && !output_exceeded_) return report.error();
  Streams streams{stdout_->data(),      stderr_->data(),
                  channel_->data(),     stdout_->truncated(),
                  stderr_->truncated(), channel_->truncated()};
  return compose_outcome(report.ok() ? *report : killed_report(), stats,
                         settings_.limits, output_exceeded_,
                         std::move(streams));
}

}  // namespace gradebox::sandbox
