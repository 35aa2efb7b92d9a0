// The order follows bubblewrap: make every mount private, mount a tmpfs on
// /tmp and pivot into it (so the host's root stays reachable at /.oldroot
// while the new tree is built, whatever paths the bind sources have), then
// drop the old root and make the new root read-only.
#include "init_mounts.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

constexpr const char* kOldRoot = "/.oldroot";
constexpr const char* kSandboxUser = "sandbox";

Status make_dirs(const std::string& path) {
  for (size_t slash = 1; slash != std::string::npos;) {
    slash = path.find('/', slash + 1);
    std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return sys_error("mkdir", prefix);
    }
  }
  return ok_status();
}

Status write_file(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("open", path);
  bool complete = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!complete) return sys_error("write", path);
  return ok_status();
}

// The mount point of a bind: a directory, or an empty file for a file.
Status make_mount_point(const std::string& source, const std::string& target) {
  struct stat info;
  if (stat(source.c_str(), &info) != 0) return sys_error("stat", source);
  if (S_ISDIR(info.st_mode)) return make_dirs(target);
  GB_RETURN_IF_ERROR(make_dirs(target.substr(0, target.rfind('/'))));
  int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("open", target);
  close(fd);
  return ok_status();
}

// Binds host `source` (a path under the old root) at `target`. A read-only
// remount must keep the flags the kernel locked on the source (nodev,
// nosuid...) or it fails with EPERM inside a user namespace.
Status bind_host_path(const std::string& source, const std::string& target, bool writable) {
  std::string host = std::string(kOldRoot) + source;
  GB_RETURN_IF_ERROR(make_mount_point(host, target));
  if (mount(host.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    return sys_error("mount", host + ", " + target);
  }
  struct statvfs fs;
  if (statvfs(target.c_str(), &fs) != 0) return sys_error("statvfs", target);
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID;
  flags |= (fs.f_flag & ST_NODEV) ? MS_NODEV : 0;
  flags |= (fs.f_flag & ST_NOEXEC) ? MS_NOEXEC : 0;
  flags |= writable ? 0 : MS_RDONLY;
  if (mount(nullptr, target.c_str(), nullptr, flags, nullptr) != 0) {
    return sys_error("mount(remount)", target);
  }
  return ok_status();
}

Status copy_open_file(int in, const std::string& target) {
  struct stat info;
  if (fstat(in, &info) != 0 || !S_ISREG(info.st_mode)) {
    return Error{"copy into the box: not a regular file: " + target};
  }
  int out = open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) return sys_error("open", target);
  ssize_t copied = sendfile(out, in, nullptr, info.st_size);
  close(out);
  if (copied != info.st_size) return sys_error("sendfile", target);
  return ok_status();
}

// A small host file copied into the root tmpfs (made read-only with it):
// unlike a bind's source, its host path never shows in the box's mountinfo.
Status copy_host_file(const std::string& source, const std::string& target) {
  GB_RETURN_IF_ERROR(make_dirs(target.substr(0, target.rfind('/'))));
  std::string host = std::string(kOldRoot) + source;
  int in = open(host.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return sys_error("open", host);
  Status copied = copy_open_file(in, target);
  close(in);
  return copied;
}

Status mount_tmpfs(const std::string& target, std::uint64_t bytes, const char* mode) {
  GB_RETURN_IF_ERROR(make_dirs(target));
  std::string options = "size=" + std::to_string(bytes) + ",mode=" + mode;
  if (mount("tmpfs", target.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    return sys_error("mount(tmpfs)", target + ", " + options);
  }
  return ok_status();
}

Status enter_scratch_root() {
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return sys_error("mount(MS_REC|MS_PRIVATE)", "/");
  }
  if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID, "size=4m,mode=0755") != 0) {
    return sys_error("mount(tmpfs)", "/tmp");
  }
  if (mkdir("/tmp/.oldroot", 0700) != 0) return sys_error("mkdir", kOldRoot);
  if (syscall(SYS_pivot_root, "/tmp", "/tmp/.oldroot") != 0) {
    return sys_error("pivot_root", "/tmp, /tmp/.oldroot");
  }
  if (chdir("/") != 0) return sys_error("chdir", "/");
  return ok_status();
}

// /bin, /lib... as on the host: the merged-usr symlinks (into the /usr a
// spec mounts: a runtime's view, never the host's whole /usr), or read-only
// binds where the host still has real directories.
Status mount_system() {
  for (const char* name : {"bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
    std::string host = std::string(kOldRoot) + "/" + name;
    char link[256];
    ssize_t length = readlink(host.c_str(), link, sizeof(link) - 1);
    if (length > 0) {
      link[length] = '\0';
      if (symlink(link, (std::string("/") + name).c_str()) != 0) {
        return sys_error("symlink", name);
      }
    } else if (access(host.c_str(), F_OK) == 0) {
      GB_RETURN_IF_ERROR(bind_host_path(std::string("/") + name, std::string("/") + name, false));
    }
  }
  return ok_status();
}

Status mount_etc() {
  GB_RETURN_IF_ERROR(make_dirs("/etc"));
  std::string user = kSandboxUser;
  GB_RETURN_IF_ERROR(write_file("/etc/passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\n" + user +
                                                   ":x:65534:65534:" + user +
                                                   ":/tmp:/usr/sbin/nologin\n"));
  GB_RETURN_IF_ERROR(write_file("/etc/group", "root:x:0:\n" + user + ":x:65534:\n"));
  GB_RETURN_IF_ERROR(write_file("/etc/hosts", "127.0.0.1 localhost gradebox\n::1 localhost\n"));
  GB_RETURN_IF_ERROR(
      write_file("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n"));
  GB_RETURN_IF_ERROR(write_file("/etc/hostname", "gradebox\n"));
  for (const char* name : {"/etc/ld.so.cache", "/etc/ssl", "/etc/alternatives"}) {
    if (access((std::string(kOldRoot) + name).c_str(), F_OK) == 0) {
      GB_RETURN_IF_ERROR(bind_host_path(name, name, false));
    }
  }
  char zone[256];
  ssize_t length = readlink("/.oldroot/etc/localtime", zone, sizeof(zone) - 1);
  if (length > 0) {
    zone[length] = '\0';
    if (symlink(zone, "/etc/localtime") != 0) {
      return sys_error("symlink", "/etc/localtime");
    }
  }
  return ok_status();
}

Status mount_dev() {
  GB_RETURN_IF_ERROR(make_dirs("/dev"));
  for (const char* name : {"null", "zero", "full", "random", "urandom"}) {
    std::string path = std::string("/dev/") + name;
    GB_RETURN_IF_ERROR(bind_host_path(path, path, true));
  }
  const char* links[][2] = {{"/proc/self/fd", "/dev/fd"},
                            {"/proc/self/fd/0", "/dev/stdin"},
                            {"/proc/self/fd/1", "/dev/stdout"},
                            {"/proc/self/fd/2", "/dev/stderr"}};
  for (const auto& link : links) {
    if (symlink(link[0], link[1]) != 0) return sys_error("symlink", link[1]);
  }
  return mount_tmpfs("/dev/shm", 4ull << 20, "1777");
}

Status mount_proc() {
  GB_RETURN_IF_ERROR(make_dirs("/proc"));
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    return sys_error("mount(proc)", "/proc");
  }
  return ok_status();
}

Status leave_old_root() {
  if (umount2(kOldRoot, MNT_DETACH) != 0) return sys_error("umount2", kOldRoot);
  if (rmdir(kOldRoot) != 0) return sys_error("rmdir", kOldRoot);
  if (mount(nullptr, "/", nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID, nullptr) != 0) {
    return sys_error("mount(remount, MS_RDONLY)", "/");
  }
  return ok_status();
}

}  // namespace

Status prepare_base_filesystem() {
  GB_RETURN_IF_ERROR(enter_scratch_root());
  GB_RETURN_IF_ERROR(mount_system());
  GB_RETURN_IF_ERROR(mount_etc());
  GB_RETURN_IF_ERROR(mount_dev());
  return mount_proc();
}

Status finish_filesystem(const LaunchConfig& config) {
  GB_RETURN_IF_ERROR(mount_tmpfs("/tmp", config.tmpfs_bytes, "1777"));
  for (const BindMount& extra : config.mounts) {  // after /tmp: may be inside
    if (extra.target.empty() || extra.target[0] != '/') {
      return Error{"bind mount target is not absolute: " + extra.target};
    }
    GB_RETURN_IF_ERROR(extra.copy ? copy_host_file(extra.source, extra.target)
                                  : bind_host_path(extra.source, extra.target, extra.writable));
  }
  return leave_old_root();  // last: binds above read from the old root
}

}  // namespace gradebox::sandbox
