#include "pipeline/stop_signal.h"

#include <signal.h>
#include <unistd.h>

namespace gradebox::pipeline {
namespace {

std::atomic<bool> stop_requested{false};

void on_signal(int signal) {
  if (stop_requested.exchange(true)) _exit(128 + signal);  // the second one: now
  const char message[] = "\ngradebox: stopping after the answers in progress (again to quit now)\n";
  ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
}

}  // namespace

const std::atomic<bool>& install_stop_handler() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  return stop_requested;
}

}  // namespace gradebox::pipeline
