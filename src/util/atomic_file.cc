#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "util/no_follow.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

Error sys_error(const std::string& call, const fs::path& path) {
  std::string why = errno == ELOOP ? "a symbolic link, not followed" : std::strerror(errno);
  return Error{call + "(" + path.string() + "): " + why};
}

bool plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

Status write_all(int fd, std::string_view text, const fs::path& shown) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys_error("write", shown);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok_status();
}

// A fresh temporary beside the target: O_EXCL never opens what is there
// (nor follows a link placed there); the name is short whatever the target.
Result<UniqueFd> create_temporary(int folder, std::string& name, const fs::path& shown) {
  static std::atomic<unsigned> counter{0};  // threads of one process write reports at once
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = ".gradebox-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".tmp";
    UniqueFd fd(
        ::openat(folder, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
    if (fd) return fd;
    if (errno != EEXIST) return sys_error("open", shown.parent_path() / name);
  }
  return Error{"open(" + shown.string() + "): no free temporary name"};
}

bool is_device_or_pipe(const fs::path& target) {
  struct stat st {};
  return ::stat(target.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
}

Status write_in_place(const fs::path& target, std::string_view text) {
  UniqueFd fd(::open(target.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return sys_error("open", target);
  return write_all(fd.get(), text, target);
}

}  // namespace

Status write_file_atomically_at(int folder, const std::string& name, std::string_view text,
                                const fs::path& shown) {
  if (!plain_name(name)) return Error{"write(" + shown.string() + "): not a plain file name"};
  std::string temp;
  auto fd = create_temporary(folder, temp, shown);
  if (!fd) return fd.error();
  Status written = write_all(fd->get(), text, shown);
  // close() can be where a full disk shows (NFS, delayed allocation).
  if (written && ::close(fd->release()) != 0) written = sys_error("close", shown);
  if (written && ::renameat(folder, temp.c_str(), folder, name.c_str()) != 0)
    written = sys_error("rename", shown);
  if (!written) ::unlinkat(folder, temp.c_str(), 0);
  return written;
}

Status write_file_atomically(const fs::path& target, std::string_view text) {
  if (is_device_or_pipe(target)) return write_in_place(target, text);
  std::string name = target.filename().string();
  if (!plain_name(name)) return Error{"write(" + target.string() + "): not a file name"};
  fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  UniqueFd folder(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder) return sys_error("open", parent);
  return write_file_atomically_at(folder.get(), name, text, target);
}

Result<UniqueFd> open_folders_below(const fs::path& root, const std::vector<std::string>& parts) {
  std::error_code ec;
  fs::create_directories(root, ec);
  UniqueFd folder(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder) return sys_error("open", root);
  fs::path shown = root;
  for (const auto& part : parts) {
    shown /= part;
    if (!plain_name(part)) return Error{"mkdir(" + shown.string() + "): not a plain folder name"};
    if (::mkdirat(folder.get(), part.c_str(), 0755) != 0 && errno != EEXIST)
      return sys_error("mkdir", shown);
    auto next = open_folder_at(folder.get(), part);
    if (!next) return Error{shown.string() + ": " + next.error().message};
    folder = std::move(*next);
  }
  return folder;
}

}  // namespace gradebox
