#include "util/no_follow.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace gradebox {
namespace {

Error sys_error(const std::string& call, const std::string& name) {
  std::string why = errno == ELOOP ? "a symbolic link, not followed" : std::strerror(errno);
  return Error{call + "(" + name + "): " + why};
}

EntryKind kind_of(int folder, const char* name) {
  struct stat st {};
  if (::fstatat(folder, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return EntryKind::kOther;
  if (S_ISLNK(st.st_mode)) return EntryKind::kLink;
  if (S_ISDIR(st.st_mode)) return EntryKind::kFolder;
  if (S_ISREG(st.st_mode)) return EntryKind::kFile;
  return EntryKind::kOther;
}

// O_DIRECTORY | O_NOFOLLOW on a link fails with ENOTDIR: name the link.
void blame_link(int folder, const char* name) {
  int saved = errno;
  struct stat st {};
  bool link = ::fstatat(folder, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
  errno = link ? ELOOP : saved;
}

}  // namespace

Result<UniqueFd> open_folder(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return sys_error("open", path.string());
  return fd;
}

Result<UniqueFd> open_folder_at(int folder, const std::string& name) {
  UniqueFd fd(::openat(folder, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    blame_link(folder, name.c_str());
    return sys_error("open", name);
  }
  return fd;
}

Result<std::vector<FolderEntry>> list_folder(int folder) {
  // fdopendir takes the descriptor over: give it a copy of its own.
  DIR* dir = ::fdopendir(::fcntl(folder, F_DUPFD_CLOEXEC, 0));
  if (!dir) return sys_error("opendir", "fd " + std::to_string(folder));
  ::rewinddir(dir);
  std::vector<FolderEntry> entries;
  while (const dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    entries.push_back({name, kind_of(folder, e->d_name)});
  }
  ::closedir(dir);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return entries;
}

Result<CappedText> read_file_at(int folder, const std::string& name, std::size_t max_bytes) {
  UniqueFd fd(::openat(folder, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return sys_error("open", name);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return sys_error("fstat", name);
  if (!S_ISREG(st.st_mode)) return Error{"open(" + name + "): not a regular file"};
  CappedText out;
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    out.too_large = true;
    return out;
  }
  // Read one byte past the cap: the file may have grown since fstat.
  out.text.resize(std::min<std::uint64_t>(st.st_size, max_bytes) + 1);
  std::size_t have = 0;
  while (have < out.text.size()) {
    ssize_t n = ::read(fd.get(), out.text.data() + have, out.text.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read", name);
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
    if (have == out.text.size() && have <= max_bytes)
      out.text.resize(std::min(have * 2, max_bytes + 1));
  }
  out.text.resize(have);
  if (have > max_bytes) return CappedText{"", true};
  return out;
}

}  // namespace gradebox
