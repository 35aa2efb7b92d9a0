#include "tasks/stamp.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace gradebox {
namespace {

// Generated or fetched, never written by hand: bytecode, npm packages,
// Go's build outputs (bin/, pkg/) and caches.
bool skipped(const std::filesystem::path& relative, const std::set<std::string>& skip_top) {
  if (skip_top.count(relative.begin()->string())) return true;
  for (const auto& part : relative) {
    auto name = part.string();
    if (name == "__pycache__" || name == "node_modules" || name == "cache" || name == "bin" ||
        name == "pkg" || name.starts_with("."))
      return true;
  }
  return false;
}

}  // namespace

void ContentHash::add(std::string_view label, std::string_view content) {
  state_ = fnv1a(label, state_);
  state_ = fnv1a(std::string_view("\0", 1), state_);
  state_ = fnv1a(std::to_string(content.size()), state_);
  state_ = fnv1a(std::string_view("\0", 1), state_);
  state_ = fnv1a(content, state_);
}

void ContentHash::add_file(const std::filesystem::path& file, std::string_view label) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return add(label, "(missing)");
  std::ostringstream out;
  out << in.rdbuf();
  add(label, out.str());
}

void ContentHash::add_folder(const std::filesystem::path& dir, std::string_view label,
                             const std::set<std::string>& skip_top) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return add(label, "(missing folder)");
  std::vector<std::filesystem::path> files;
  std::filesystem::recursive_directory_iterator it(dir, ec), end;
  for (; it != end; it.increment(ec)) {
    auto relative = it->path().lexically_relative(dir);
    if (skipped(relative, skip_top)) {
      // Never walked: node_modules and Go's build cache hold thousands of
      // files, and every gradebox start stamps every task.
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) add_file(dir / file, std::string(label) + "/" + file.string());
}

std::string ContentHash::hex() const { return hash_text("", state_); }

}  // namespace gradebox
