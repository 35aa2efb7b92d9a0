// The whole tree dies with the run and nothing is left behind, also when
// gradebox itself is killed mid-run; RunningSandbox's kill and in_network.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "sandbox_test_support.h"

namespace gradebox::testing {
namespace {

using namespace std::chrono_literals;

std::string unique_marker(const std::string& name) {
  return "gradebox-test-" + name + "-" + std::to_string(getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

SandboxSpec with_marker(SandboxSpec spec, const std::string& marker) {
  spec.argv.push_back(marker);  // becomes sys.argv[1]
  return spec;
}

std::vector<std::string> run_cgroups_of(int owner) {
  std::string prefix = "gradebox-" + std::to_string(owner) + "-";
  std::vector<std::string> found;
  for (std::string dir : {own_memory_cgroup(), std::string("/sys/fs/cgroup/pids"),
                          std::string("/sys/fs/cgroup/cpuacct")}) {
    for (const std::string& name : entries_with_prefix(dir, prefix)) {
      found.push_back(dir + "/" + name);
    }
  }
  return found;
}

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 100; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

class SandboxCleanupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = make_sandbox();
    ASSERT_NE(sandbox_, nullptr);
  }
  std::unique_ptr<Sandbox> sandbox_;
};

TEST_F(SandboxCleanupTest, DoubleForkedDaemonDiesWithTheRun) {
  std::string marker = unique_marker("daemon");
  SandboxOutcome outcome =
      run_ok(*sandbox_, with_marker(python_file_spec("double_fork.py"), marker));
  EXPECT_EQ(outcome.stdout_data, "parent done\n") << outcome.stderr_data;
  EXPECT_LT(outcome.wall_seconds, 5.0);
  EXPECT_EQ(host_processes_with(marker), std::vector<int>{});
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxCleanupTest, NothingIsLeftBehindAfterARun) {
  std::string marker = unique_marker("plain");
  SandboxSpec spec = with_marker(python_spec("import sys; print(sys.argv[1])"), marker);
  std::vector<std::string> tmp_before = entries_with_prefix("/tmp", "");
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.stdout_data, marker + "\n");
  // Only the waiting inits' cgroups remain while the Sandbox lives
  // (kWarmInits = 4 of them, one cgroup per hierarchy: memory, pids, cpuacct);
  // the finished run's are removed soon after it returns (run_reaper.h).
  EXPECT_TRUE(eventually([&] { return run_cgroups_of(getpid()).size() <= 4u * 3u; }));
  sandbox_.reset();
  EXPECT_EQ(run_cgroups_of(getpid()), std::vector<std::string>{});
  EXPECT_EQ(own_children(), std::vector<int>{});
  EXPECT_EQ(host_processes_with(marker), std::vector<int>{});
  for (const std::string& name : entries_with_prefix("/tmp", "")) {
    bool existed = std::find(tmp_before.begin(), tmp_before.end(), name) != tmp_before.end();
    EXPECT_TRUE(existed || name.find("gradebox") == std::string::npos) << name;
  }
}

TEST_F(SandboxCleanupTest, KilledGraderLeavesNothingAfterStaleCleanup) {
  std::string marker = unique_marker("orphaned");
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t grader = fork();
  ASSERT_GE(grader, 0);
  if (grader == 0) {  // a stand-in gradebox, SIGKILLed mid-run below
    close(ready[0]);
    auto sandbox = make_namespace_sandbox();
    if (!sandbox.ok()) _exit(1);
    SandboxSpec spec = with_marker(python_spec("import time; time.sleep(60)"), marker);
    spec.limits.wall_seconds = 60;
    auto running = (*sandbox)->start(spec);
    if (!running.ok()) _exit(2);
    [[maybe_unused]] ssize_t written = write(ready[1], "r", 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1) << "the stand-in grader did not start";
  close(ready[0]);
  ASSERT_TRUE(eventually([&] { return !host_processes_with(marker).empty(); }));
  ASSERT_FALSE(run_cgroups_of(grader).empty());
  kill(grader, SIGKILL);
  waitpid(grader, nullptr, 0);
  EXPECT_TRUE(eventually([&] { return host_processes_with(marker).empty(); }))
      << "the sandbox outlived its grader";
  clean_stale_sandboxes();
  EXPECT_EQ(run_cgroups_of(grader), std::vector<std::string>{});
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxCleanupTest, KillEndsARunningSandbox) {
  std::string marker = unique_marker("killed");
  auto running = sandbox_->start(with_marker(python_spec("import time; time.sleep(60)"), marker));
  ASSERT_TRUE(running.ok()) << running.error().message;
  (*running)->kill();
  auto outcome = (*running)->wait();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_FALSE(outcome->exited);
  EXPECT_EQ(outcome->term_signal, SIGKILL);
  EXPECT_LT(outcome->wall_seconds, 5.0);
  EXPECT_EQ(host_processes_with(marker), std::vector<int>{});
  expect_next_run_works(*sandbox_);
}

std::string fetch_hello(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    char buffer[100];
    ssize_t length = read(fd, buffer, sizeof(buffer));
    if (length > 0) reply.assign(buffer, length);
  }
  close(fd);
  return reply;
}

TEST_F(SandboxCleanupTest, InNetworkReachesTheSandboxLoopback) {
  auto running = sandbox_->start(python_file_spec("echo_server.py"));
  ASSERT_TRUE(running.ok()) << running.error().message;
  // Looked at before the server is served: its one connection ends the run,
  // and with it the namespace.
  char own[64] = {}, theirs[64] = {};
  ASSERT_GT(readlink("/proc/self/ns/net", own, sizeof(own) - 1), 0);
  ASSERT_GT(readlink((*running)->network_namespace_path().c_str(), theirs, sizeof(theirs) - 1), 0);
  EXPECT_STRNE(own, theirs);
  std::string reply;
  Status status = (*running)->in_network([&] {
    for (int i = 0; i < 250 && reply.empty(); ++i) {
      reply = fetch_hello(8765);
      if (reply.empty()) std::this_thread::sleep_for(20ms);
    }
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(reply, "hello from the sandbox");
  auto outcome = (*running)->wait();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 0) << outcome->stderr_data;
}

// A program that exits at once ends its box; a trusted prober that joins
// the box's network afterwards must still find it (empty: nothing listens,
// the answer's fault), not a /proc/<pid>/ns/net that is gone.
TEST_F(SandboxCleanupTest, TheBoxNetworkOutlivesAProgramThatExitedAtOnce) {
  auto running = sandbox_->start(python_spec("raise SystemExit(1)"));
  ASSERT_TRUE(running.ok()) << running.error().message;
  auto outcome = (*running)->wait();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 1);
  char own[64] = {}, theirs[64] = {};
  ASSERT_GT(readlink("/proc/self/ns/net", own, sizeof(own) - 1), 0);
  ASSERT_GT(readlink((*running)->network_namespace_path().c_str(), theirs, sizeof(theirs) - 1), 0)
      << (*running)->network_namespace_path();
  EXPECT_STRNE(own, theirs);
  std::string reply = "not tried";
  Status status = (*running)->in_network([&] { reply = fetch_hello(8765); });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(reply, "");  // refused: nothing listens in the empty box
}

}  // namespace
}  // namespace gradebox::testing
