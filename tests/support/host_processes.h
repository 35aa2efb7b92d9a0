// The host's processes and their command lines, read from /proc. A process
// may exit between listing /proc and reading its cmdline (reading then fails
// with ESRCH, which libstdc++'s stream iterators throw as an exception), so
// the read is a plain read(2) and a vanished process is simply left out.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace gradebox::testing {

struct HostProcess {
  int pid = 0;
  std::string cmdline;  // arguments separated by NUL bytes
};

/// Every process /proc lists now except this one, with its command line.
inline std::vector<HostProcess> host_processes() {
  std::vector<HostProcess> found;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return found;
  while (struct dirent* entry = readdir(proc)) {
    int pid = std::atoi(entry->d_name);
    if (pid <= 0 || pid == getpid()) continue;
    int fd = open(("/proc/" + std::to_string(pid) + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    HostProcess process{pid, {}};
    char chunk[4096];
    ssize_t got = 0;
    while ((got = read(fd, chunk, sizeof chunk)) > 0) process.cmdline.append(chunk, got);
    close(fd);
    if (got == 0) found.push_back(std::move(process));
  }
  closedir(proc);
  return found;
}

}  // namespace gradebox::testing
