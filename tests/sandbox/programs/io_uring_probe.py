# What libuv and getaddrinfo meet: io_uring and clone3 say ENOSYS, netlink
# sockets EAFNOSUPPORT; a normal fork still works.
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
results = []
for number in (425, 435):  # io_uring_setup, clone3 (x86_64)
    libc.syscall(number, 0, 0)
    results.append(ctypes.get_errno())
try:
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)
except OSError as e:
    results.append(e.errno)
pid = os.fork()
if pid == 0:
    os._exit(7)
results.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print(results)
