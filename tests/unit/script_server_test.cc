// The fork server for trusted task scripts must behave like a fresh
// `python3 -I -S script < stdin` per call: same output and exit status, no
// state from one call to the next, and a crash or hang of one call costs
// only that call.
#include "trusted/script_server.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "../support/host_processes.h"
#include "../support/script_folder.h"

namespace gradebox {
namespace {

class ScriptServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write("task/state.py", "calls = []\n");
    write("task/check.py", R"(import os, sys, time
sys.path.insert(0, os.path.dirname(__file__))
import state
def main():
    text = sys.stdin.read()
    state.calls.append(text)
    if text == "exit3": sys.exit(3)
    if text == "raise": raise ValueError("boom")
    if text == "kill": os.kill(os.getpid(), 9)
    if text == "hang": time.sleep(60)
    if text == "raw": os.write(1, b"999 1 1\nxy"); os.write(0, b"junk")
    print(text.upper(), len(state.calls))
    print("cwd", os.getcwd(), file=sys.stderr)
if __name__ == "__main__":
    main()
)");
  }
  void write(const std::string& name, const std::string& text) { folder_.write(name, text); }

  Result<TrustedOutput> call(const std::string& input, int timeout_ms = 20000) {
    ScriptCall c;
    c.script = folder_.path("task/check.py");
    c.stdin_data = input;
    c.timeout = std::chrono::milliseconds(timeout_ms);
    return run_script(c);
  }

  // Server processes for this folder's check.py, from /proc/*/cmdline.
  int servers_running() const { return servers_running("task/check.py"); }
  int servers_running(const std::string& script) const {
    int count = 0;
    for (const testing::HostProcess& process : testing::host_processes()) {
      if (process.cmdline.find("gb_script_server.py") != std::string::npos &&
          process.cmdline.find(folder_.path(script).string()) != std::string::npos)
        ++count;
    }
    return count;
  }

  testing::ScriptFolder folder_{"gb_script_server"};
};

TEST_F(ScriptServerTest, RunsTheScriptAsMainWithStdinInItsFolder) {
  auto out = call("héllo");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->exit_code, 0);
  EXPECT_EQ(out->stdout_data, "HÉLLO 1\n");
  EXPECT_EQ(out->stderr_data, "cwd " + folder_.path("task").string() + "\n");
}

TEST_F(ScriptServerTest, NoStatePassesFromOneCallToTheNext) {
  for (int i = 0; i < 3; ++i) {
    auto out = call("again");
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(out->stdout_data, "AGAIN 1\n");  // the imported module's list is fresh each time
  }
}

TEST_F(ScriptServerTest, ExitStatusAndTracebackAsAFreshInterpreterGivesThem) {
  auto exited = call("exit3");
  ASSERT_TRUE(exited.ok());
  EXPECT_EQ(exited->exit_code, 3);
  auto raised = call("raise");
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->exit_code, 1);
  EXPECT_NE(raised->stderr_data.find("ValueError: boom"), std::string::npos) << raised->stderr_data;
}

TEST_F(ScriptServerTest, WritingToTheRawDescriptorsCannotForgeAReply) {
  auto raw = call("raw");
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ(raw->stdout_data, "RAW 1\n");  // not the forged header's "x"
  auto next = call("next");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->stdout_data, "NEXT 1\n");
}

TEST_F(ScriptServerTest, AKilledCallIsReportedAndTheNextCallWorks) {
  auto killed = call("kill");
  ASSERT_TRUE(killed.ok());
  EXPECT_EQ(killed->exit_code, 128 + 9);
  auto next = call("next");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->stdout_data, "NEXT 1\n");
}

TEST_F(ScriptServerTest, AHangingCallTimesOutAndTheNextCallWorks) {
  auto hung = call("hang", 300);
  ASSERT_FALSE(hung.ok());
  EXPECT_NE(hung.error().message.find("no answer within 300 ms"), std::string::npos);
  auto next = call("next");
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->stdout_data, "NEXT 1\n");
}

TEST_F(ScriptServerTest, AnEditedScriptIsRunAsEdited) {
  ASSERT_TRUE(call("warm").ok());  // leaves an idle server holding the old script
  write("task/check.py", "import sys\nprint('edited', sys.stdin.read())\n");
  auto out = call("x");
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->stdout_data, "edited x\n");
}

// Eight callers at once, in 10 rounds: each round starts servers in parallel
// (the pool keeps four). A launch that inherited another's pipe waited for
// that server to exit, forever (trusted/launch_guard.h): about one round in
// 60 hung before the guard. A hang ends the test binary after 60 s.
TEST_F(ScriptServerTest, ParallelCallersEachGetTheirOwnAnswer) {
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    for (int i = 0; i < 600 && !done; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (done) return;
    std::fprintf(stderr, "ParallelCallersEachGetTheirOwnAnswer: a call hung for 60 s\n");
    std::_Exit(1);
  });
  for (int round = 1; round <= 10; ++round) {
    std::vector<std::thread> threads;
    std::vector<std::string> got(8);
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        auto out = call("caller" + std::to_string(t));
        got[t] = out.ok() ? out->stdout_data : out.error().message;
      });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < 8; ++t) EXPECT_EQ(got[t], "CALLER" + std::to_string(t) + " 1\n");
  }
  done = true;
  watchdog.join();
  EXPECT_LE(servers_running(), 4);  // the rest ended after their call
}

TEST_F(ScriptServerTest, APrestartedServerIsReadyAndServesTheNextCall) {
  // Its module level runs when the server starts and records the server's pid.
  write("task/started.py", R"(import os
with open(os.path.join(os.path.dirname(__file__), "server_pid"), "w") as f:
    f.write(str(os.getpid()))
if __name__ == "__main__":
    print(os.getppid(), end="")
)");
  auto script = folder_.path("task/started.py");
  prestart_script(script);
  prestart_script(script);  // one is idle already: no second server
  std::string pid;
  for (int i = 0; i < 200 && pid.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(folder_.path("task/server_pid"));
    std::getline(in, pid);
  }
  ASSERT_FALSE(pid.empty()) << "the server never started";
  EXPECT_EQ(servers_running("task/started.py"), 1);
  ScriptCall c;
  c.script = script;
  auto out = run_script(c);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->stdout_data, pid);  // answered by the prestarted server's child
}

}  // namespace
}  // namespace gradebox
