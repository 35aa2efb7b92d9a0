// Every output file: written aside and renamed over the target, so a link at
// the target is replaced (never followed), a failed write keeps the old file
// and leaves no temporary, and no link below a report folder is followed.
#include "util/atomic_file.h"
#include "../support/file_text.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>

namespace gradebox {
namespace {

namespace fs = std::filesystem;

fs::path test_dir() { return gradebox::testing::fresh_test_dir("atomic"); }

int files_in(const fs::path& dir) {
  return static_cast<int>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicFile, WritesANewFileAndReplacesAnOldOne) {
  fs::path dir = test_dir();
  ASSERT_TRUE(write_file_atomically(dir / "out.txt", "one").ok());
  ASSERT_TRUE(write_file_atomically(dir / "out.txt", "two").ok());
  EXPECT_EQ(testing::file_text(dir / "out.txt"), "two");
  EXPECT_EQ(files_in(dir), 1);
}

TEST(AtomicFile, ASymlinkAtTheTargetIsReplacedNeverFollowed) {
  fs::path dir = test_dir();
  std::ofstream(dir / "victim") << "VICTIM";
  fs::create_symlink(dir / "victim", dir / "out.txt");
  ASSERT_TRUE(write_file_atomically(dir / "out.txt", "report").ok());
  EXPECT_EQ(testing::file_text(dir / "victim"), "VICTIM");
  EXPECT_FALSE(fs::is_symlink(dir / "out.txt"));
  EXPECT_EQ(testing::file_text(dir / "out.txt"), "report");
}

// A file size limit makes the write fail the way a full disk does.
TEST(AtomicFile, AFailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  fs::path dir = test_dir();
  ASSERT_TRUE(write_file_atomically(dir / "out.txt", "old").ok());
  auto previous = std::signal(SIGXFSZ, SIG_IGN);
  rlimit saved{};
  ::getrlimit(RLIMIT_FSIZE, &saved);
  rlimit small = saved;
  small.rlim_cur = 1000;
  ::setrlimit(RLIMIT_FSIZE, &small);
  Status written = write_file_atomically(dir / "out.txt", std::string(5000, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("out.txt"), std::string::npos) << written.error().message;
  EXPECT_EQ(testing::file_text(dir / "out.txt"), "old");
  EXPECT_EQ(files_in(dir), 1);
}

TEST(AtomicFile, FoldersBelowTheRootAreNeverFollowed) {
  fs::path dir = test_dir();
  fs::create_directories(dir / "elsewhere");
  fs::create_directories(dir / "reports");
  fs::create_directory_symlink(dir / "elsewhere", dir / "reports/run");
  auto folder = open_folders_below(dir / "reports", {"run", "model"});
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.error().message.find("symbolic link"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir / "elsewhere"));
  EXPECT_FALSE(open_folders_below(dir / "reports", {".."}).ok());
  EXPECT_FALSE(open_folders_below(dir / "reports", {"a/b"}).ok());
  auto made = open_folders_below(dir / "reports", {"run2", "model"});
  ASSERT_TRUE(made.ok()) << made.error().message;
  ASSERT_TRUE(write_file_atomically_at(made->get(), "t.json", "{}", "t.json").ok());
  EXPECT_EQ(testing::file_text(dir / "reports/run2/model/t.json"), "{}");
}

}  // namespace
}  // namespace gradebox
