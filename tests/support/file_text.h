// Small file helpers the tests share: the source tree's root, and a file's
// whole content (empty when it cannot be read; the test's assertion then
// names what was missing).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gradebox::testing {

inline const std::filesystem::path kSourceRoot = std::filesystem::path(TESTS_DIR).parent_path();

/// The bytes of `path`, or "" when it cannot be read.
inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace gradebox::testing
