// NetworkEntry (include/gradebox/sandbox.h): a descriptor of a sandbox's
// network namespace, joined by a trusted helper's child before it execs.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "gradebox/sandbox.h"
#include "sys_error.h"

namespace gradebox {

Result<NetworkEntry> NetworkEntry::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sandbox::sys_error("open", path);
  return NetworkEntry(fd);
}

NetworkEntry::NetworkEntry(NetworkEntry&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

NetworkEntry::~NetworkEntry() {
  if (fd_ >= 0) ::close(fd_);
}

bool NetworkEntry::join_in_child() const noexcept {
  return fd_ >= 0 && ::setns(fd_, CLONE_NEWNET) == 0;
}

}  // namespace gradebox
