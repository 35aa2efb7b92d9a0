// A toolchain's version comes from the host cache while its binary is
// unchanged, and is asked again once the binary changes.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "grade/runtime_profile.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

class ToolchainVersion : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gb-toolchain-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    ::setenv("XDG_CACHE_HOME", (dir_ / "cache").c_str(), 1);
    tool_ = dir_ / "tool";
    profile_.name = "faketool";
    profile_.version_command = {tool_.string()};
  }
  void TearDown() override {
    ::unsetenv("XDG_CACHE_HOME");
    fs::remove_all(dir_);
  }
  // Rewrites the tool in place: same inode and size for versions 1..9.
  void write_tool(int version) {
    std::ofstream(tool_, std::ios::trunc) << "#!/bin/sh\necho tool " << version << "\n";
    fs::permissions(tool_, fs::perms::owner_all);
  }
  void set_mtime(const struct timespec& when) {
    struct timespec times[2] = {when, when};
    ASSERT_EQ(::utimensat(AT_FDCWD, tool_.c_str(), times, 0), 0);
  }
  struct timespec mtime() {
    struct stat st {};
    ::stat(tool_.c_str(), &st);
    return st.st_mtim;
  }
  fs::path dir_, tool_;
  RuntimeProfile profile_;
};

TEST_F(ToolchainVersion, AsksTheToolOnceAndThenReadsTheCache) {
  write_tool(1);
  EXPECT_EQ(toolchain_version(profile_), "tool 1");
  struct timespec first = mtime();
  write_tool(2);     // a different answer from the same binary identity...
  set_mtime(first);  // ...is not asked for: the cache answers
  EXPECT_EQ(toolchain_version(profile_), "tool 1");
}

TEST_F(ToolchainVersion, AChangedBinaryIsAskedAgain) {
  write_tool(1);
  EXPECT_EQ(toolchain_version(profile_), "tool 1");
  struct timespec later = mtime();
  later.tv_sec += 10;
  write_tool(2);
  set_mtime(later);  // an upgrade changes the binary's mtime
  EXPECT_EQ(toolchain_version(profile_), "tool 2");
}

TEST_F(ToolchainVersion, AVersionWrittenToStderrIsReadToo) {
  std::ofstream(tool_, std::ios::trunc) << "#!/bin/sh\necho tool 3 >&2\necho more\n";
  fs::permissions(tool_, fs::perms::owner_all);
  EXPECT_EQ(toolchain_version(profile_), "tool 3");
}

TEST_F(ToolchainVersion, AToolThatCannotRunIsUnknownAndNotCached) {
  profile_.version_command = {(dir_ / "missing").string()};
  EXPECT_EQ(toolchain_version(profile_), "unknown");
  EXPECT_FALSE(fs::exists(dir_ / "cache" / "gradebox" / "toolchains"));
}

}  // namespace
}  // namespace gradebox
