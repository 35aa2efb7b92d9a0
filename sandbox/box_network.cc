#include "box_network.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

bool same_namespace(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

Result<int> hold_box_network(pid_t outer_pid, std::chrono::milliseconds timeout) {
  struct stat own {};
  if (stat("/proc/self/ns/net", &own) != 0) return sys_error("stat", "/proc/self/ns/net");
  const std::string path = "/proc/" + std::to_string(outer_pid) + "/ns/net";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return sys_error("open", path);  // the init died in its setup
    struct stat box {};
    if (fstat(fd, &box) != 0) {
      Error error = sys_error("fstat", path);
      close(fd);
      return error;
    }
    // Still gradebox's own network: the init has not unshared yet. Holding
    // this one would let the prober talk to the host's loopback.
    if (!same_namespace(own, box)) return fd;
    close(fd);
    if (std::chrono::steady_clock::now() >= deadline)
      return Error{"gradebox-init " + std::to_string(outer_pid) +
                   ": no network namespace of its own in time"};
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

std::string held_network_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace gradebox::sandbox
