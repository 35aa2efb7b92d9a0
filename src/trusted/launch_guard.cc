#include "trusted/launch_guard.h"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <cstdlib>

namespace gradebox {
namespace {

std::mutex& launch_mutex() {
  static std::mutex mutex;
  return mutex;
}

// This process's open descriptors, sorted.
std::vector<int> open_descriptors() {
  std::vector<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    int fd = std::atoi(entry->d_name);
    if (fd != own) fds.push_back(fd);
  }
  ::closedir(dir);
  std::sort(fds.begin(), fds.end());
  return fds;
}

}  // namespace

LaunchGuard::LaunchGuard() : lock_(launch_mutex()), open_before_(open_descriptors()) {}

LaunchGuard::~LaunchGuard() {
  for (int fd : open_descriptors()) {
    if (std::binary_search(open_before_.begin(), open_before_.end(), fd)) continue;
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

}  // namespace gradebox
