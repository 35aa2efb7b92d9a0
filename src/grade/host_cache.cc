#include "grade/host_cache.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "util/atomic_file.h"

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
  (void)write_file_atomically(file, text);  // a failure only means no cache
}

}  // namespace gradebox
