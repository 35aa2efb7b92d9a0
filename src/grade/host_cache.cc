#include "grade/host_cache.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace gradebox {

namespace fs = std::filesystem;

fs::path host_cache_dir(const std::string& kind) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".cache";
  return base / "gradebox" / kind;
}

std::string read_cached(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_cached(const fs::path& file, const std::string& text) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  // Written aside and renamed, so a concurrent reader never sees half a file.
  static std::atomic<unsigned> counter{0};  // two threads may write one file
  fs::path temp = file;
  temp += ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  std::ofstream(temp) << text;
  fs::rename(temp, file, ec);
  if (ec) fs::remove(temp, ec);
}

}  // namespace gradebox
