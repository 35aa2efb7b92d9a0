// Small file helpers the tests share: the source tree's root, a file's
// whole content (empty when it cannot be read; the test's assertion then
// names what was missing) and a fresh folder per test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

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

/// A fresh, empty folder for the running test, <TempDir>/<prefix>-<pid>-<test
/// name>: ctest runs a suite's tests side by side, each in its own process.
inline std::filesystem::path fresh_test_dir(const std::string& prefix) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                              (prefix + "-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace gradebox::testing
