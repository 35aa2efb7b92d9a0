#include "tasks/stamp.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace gradebox {
namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::uint64_t fnv(const std::string& text, std::uint64_t h) {
  for (unsigned char c : text) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool skipped(const std::filesystem::path& path) {
  for (const auto& part : path) {
    auto name = part.string();
    if (name == "__pycache__" || name == "node_modules" || name == "cache" || name.starts_with("."))
      return true;
  }
  return false;
}

}  // namespace

std::string hash_text(const std::string& text, std::uint64_t seed) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(fnv(text, seed ? seed : kFnvOffset)));
  return buf;
}

std::string folder_hash(const std::filesystem::path& dir,
                        const std::vector<std::filesystem::path>& extra) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    auto relative = std::filesystem::relative(entry.path(), dir);
    if (entry.is_regular_file() && !skipped(relative)) files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  std::uint64_t h = kFnvOffset;
  for (const auto& file : files) h = fnv(file.string() + '\0' + read_file(dir / file) + '\0', h);
  for (const auto& file : extra) h = fnv(file.filename().string() + '\0' + read_file(file), h);
  return hash_text("", h);
}

}  // namespace gradebox
