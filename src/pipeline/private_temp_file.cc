#include "pipeline/private_temp_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/unique_fd.h"

namespace gradebox::pipeline {
namespace {

Status write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{std::string("write: ") + std::strerror(errno)};
    done += static_cast<std::size_t>(n);
  }
  return ok_status();
}

}  // namespace

Result<PrivateTempFile> PrivateTempFile::write(const std::string& what, const std::string& text) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string name = (dir / ("gradebox-" + what + "-XXXXXX")).string();
  // mkstemp: a name no one else holds, created 0600 and O_EXCL.
  UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd) return Error{"mkstemp(" + name + "): " + std::strerror(errno)};
  PrivateTempFile file(name);
  if (auto s = write_all(fd.get(), text); !s) return Error{name + ": " + s.error().message};
  return file;
}

PrivateTempFile::PrivateTempFile(PrivateTempFile&& other) noexcept
    : path_(std::exchange(other.path_, std::string())) {}

PrivateTempFile::~PrivateTempFile() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

}  // namespace gradebox::pipeline
