#include "init_net.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "sys_error.h"

namespace gradebox::sandbox {

Status set_loopback(bool up) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return sys_error("socket", "AF_INET, SOCK_DGRAM");
  struct ifreq request;
  std::memset(&request, 0, sizeof(request));
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  request.ifr_flags = up ? IFF_UP | IFF_RUNNING : 0;
  int result = ioctl(fd, SIOCSIFFLAGS, &request);
  int saved = errno;
  close(fd);
  errno = saved;
  if (result != 0) return sys_error("ioctl(SIOCSIFFLAGS)", up ? "lo, up" : "lo, down");
  return ok_status();
}

Status set_sandbox_hostname() {
  const char name[] = "gradebox";
  if (sethostname(name, sizeof(name) - 1) != 0) {
    return sys_error("sethostname", name);
  }
  return ok_status();
}

}  // namespace gradebox::sandbox
