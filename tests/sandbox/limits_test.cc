// Each hostile behaviour hits its limit, the run reports which one, and the
// sandbox still works for the next run.
#include <errno.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "sandbox_test_support.h"

namespace gradebox::testing {
namespace {

class SandboxLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = make_sandbox();
    ASSERT_NE(sandbox_, nullptr);
  }
  std::unique_ptr<Sandbox> sandbox_;
};

TEST_F(SandboxLimitsTest, ForkBombIsStoppedByTheProcessLimit) {
  SandboxSpec spec = python_file_spec("fork_bomb.py");
  spec.limits.max_processes = 16;
  spec.limits.wall_seconds = 5;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.limit, LimitHit::kProcesses) << to_string(outcome.limit);
  EXPECT_LT(outcome.wall_seconds, 5.0);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, MemoryBombIsKilledAtTheMemoryLimit) {
  SandboxSpec spec = python_file_spec("memory_bomb.py");
  spec.limits.memory_bytes = 100ull << 20;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.limit, LimitHit::kMemory) << to_string(outcome.limit);
  EXPECT_FALSE(outcome.exited);
  EXPECT_EQ(outcome.term_signal, SIGKILL);
  EXPECT_LE(outcome.peak_memory_bytes, 100ull << 20);
  EXPECT_GE(outcome.peak_memory_bytes, 50ull << 20);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, InfiniteLoopHitsTheCpuLimit) {
  SandboxSpec spec = python_spec("while True: pass");
  spec.limits.cpu_seconds = 1;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.limit, LimitHit::kCpu) << to_string(outcome.limit);
  EXPECT_FALSE(outcome.exited);
  EXPECT_GE(outcome.cpu_seconds, 0.9);
  EXPECT_LT(outcome.cpu_seconds, 2.1);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, ForkingDoesNotMultiplyTheCpuBudget) {
  SandboxSpec spec = python_file_spec("cpu_tree.py");
  spec.limits.cpu_seconds = 1;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.limit, LimitHit::kCpu) << to_string(outcome.limit);
  // Three spinners with a per-process RLIMIT_CPU alone would burn 3 s.
  EXPECT_LT(outcome.cpu_seconds, 1.6);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, SleepingPastTheWallLimitIsKilled) {
  SandboxSpec spec = python_spec("import time\ntime.sleep(60)");
  spec.limits.wall_seconds = 1;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.limit, LimitHit::kWall) << to_string(outcome.limit);
  EXPECT_GE(outcome.wall_seconds, 1.0);
  EXPECT_LT(outcome.wall_seconds, 2.0);
  EXPECT_LT(outcome.cpu_seconds, 0.5);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, OutputFloodIsTruncatedAndEndsTheRun) {
  SandboxSpec spec = python_spec("import sys\nwhile True: sys.stdout.write('x' * 4096)");
  spec.limits.output_bytes = 64 << 10;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.limit, LimitHit::kOutput) << to_string(outcome.limit);
  EXPECT_TRUE(outcome.stdout_truncated);
  EXPECT_EQ(outcome.stdout_data.size(), 64u << 10);
  EXPECT_FALSE(outcome.stderr_truncated);
  EXPECT_LT(outcome.wall_seconds, 5.0);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, StderrFloodIsTruncatedToo) {
  SandboxSpec spec = python_spec("import sys\nwhile True: sys.stderr.write('e' * 4096)");
  spec.limits.output_bytes = 10000;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.limit, LimitHit::kOutput);
  EXPECT_TRUE(outcome.stderr_truncated);
  EXPECT_EQ(outcome.stderr_data.size(), 10000u);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, FillingTmpStopsAtTheTmpfsSize) {
  SandboxSpec spec = python_file_spec("disk_fill.py");
  spec.limits.tmpfs_bytes = 8ull << 20;
  spec.limits.file_size_bytes = 512ull << 20;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  auto report = nlohmann::json::parse(outcome.channel_data);
  EXPECT_EQ(report["errno"], ENOSPC);
  EXPECT_LE(report["written"].get<long>(), 8l << 20);
  struct stat host;
  EXPECT_NE(stat("/tmp/fill.bin", &host), 0) << "the write reached the host";
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, BigFilesStopAtTheFileSizeLimit) {
  SandboxSpec spec = python_file_spec("disk_fill.py");
  spec.limits.tmpfs_bytes = 64ull << 20;
  spec.limits.file_size_bytes = 2ull << 20;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  auto report = nlohmann::json::parse(outcome.channel_data);
  EXPECT_EQ(report["errno"], EFBIG);  // Python ignores SIGXFSZ
  EXPECT_EQ(report["written"].get<long>(), 2l << 20);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxLimitsTest, ChannelIsCappedAndMarkedTruncated) {
  SandboxSpec spec = python_spec("import os\nos.write(3, b'c' * 5000)");
  spec.limits.channel_bytes = 1000;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.channel_data, std::string(1000, 'c'));
  EXPECT_TRUE(outcome.channel_truncated);
  EXPECT_EQ(outcome.exit_code, 0);
  expect_next_run_works(*sandbox_);
}

}  // namespace
}  // namespace gradebox::testing
