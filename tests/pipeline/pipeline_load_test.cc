// Verdicts must not depend on machine load. The sample answers that run
// nearest their limits are graded once as the machine is, then again
// oversubscribed: four gradebox workers share one core (a CPU quota,
// cgroup v1 `cpu`), a quarter of a core each, as on a machine with four
// runnable processes per core (the loaded run is ~3x slower; a test
// starved by the wall-clock backstop is run again by the harness, with a
// wider guard). Every test's status must be the same. The quota
// keeps the load to one core (a ctest slot), so other tests run beside this
// one; without a `cpu` controller it falls back to loading the whole
// machine (four busy loops per core).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "pipeline/history.h"
#include "../support/cpu_quota.h"
#include "../support/file_text.h"
#include "../support/gradebox_command.h"
#include "../support/run_essence.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
const fs::path kSample = testing::kSourceRoot / "fixtures/runs/sample";

// (model, task) of the sample answers whose tests sit nearest a limit.
const std::vector<std::pair<std::string, std::string>> kNearLimit = {
    {"kimi-k2.5", "dijkstra_ts"},          // O(V²): large-sparse spends its 3 s
    {"deepseek-v4-flash", "dijkstra_ts"},  // passes large-sparse in ~1 s of 3
    {"ga-standard", "flatten_py"},         // quadratic: both large inputs time out at 2 s
    {"qwen3-coder-30b", "flatten_py"},     // an alternative hangs on cyclic input
    {"qwen3-coder-30b", "users_express"}, {"deepseek-v4-pro", "review_go"},
    {"ga-standard", "race_js"},
};

// Busy loops, one process each, killed when this goes out of scope.
class BusyLoops {
 public:
  explicit BusyLoops(unsigned count) {
    for (unsigned i = 0; i < count; ++i) {
      pid_t pid = ::fork();
      if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives a crashed test
        // Its own session, so its own autogroup: the scheduler shares the CPU
        // between sessions first, and the sandbox starts one per program.
        ::setsid();
        for (;;) asm volatile("");  // spins; the empty asm keeps the loop
      }
      if (pid > 0) pids_.push_back(pid);
    }
  }
  ~BusyLoops() {
    for (pid_t pid : pids_) ::kill(pid, SIGKILL);
    for (pid_t pid : pids_) ::waitpid(pid, nullptr, 0);
  }
  std::size_t running() const { return pids_.size(); }

 private:
  std::vector<pid_t> pids_;
};

std::string status_of(const RunView& run, const std::string& model, const std::string& task,
                      const std::string& test_id) {
  auto it = run.results.find({model, task});
  if (it == run.results.end()) return "missing answer";
  for (const auto& t : it->second.report.tests)
    if (t.id == test_id) return to_string(t.status);
  return "missing test";
}

TEST(PipelineLoad, NearLimitVerdictsAreTheSameOnAnOversubscribedMachine) {
  fs::path dir = testing::fresh_test_dir("load");
  for (const auto& [model, task] : kNearLimit) {
    fs::create_directories(dir / "run" / model);
    fs::copy_file(kSample / model / (task + ".md"), dir / "run" / model / (task + ".md"));
  }
  const std::string run = (dir / "run").string() + " -q --run-id load ";
  ASSERT_EQ(testing::run_gradebox("run " + run + "-j2 --db " + (dir / "quiet.sqlite").string(), dir),
            0)
      << "see " << (dir / "log");
  {
    // Four workers in one core's quota: a quarter of a core each, as two in
    // half a core would get, in half the wall time.
    auto quota = testing::CpuQuota::join(1.0);  // declared first: left after the loops end
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    unsigned loops = quota ? 0 : 4 * cores;
    if (!quota) std::cerr << "no writable cgroup v1 cpu controller: loading every core\n";
    BusyLoops load(loops);
    ASSERT_EQ(load.running(), loops);
    const std::string jobs = quota ? "-j4" : "-j2";
    ASSERT_EQ(testing::run_gradebox(
                  "run " + run + jobs + " --db " + (dir / "loaded.sqlite").string(), dir),
              0)
        << "see " << (dir / "log");
    if (quota) {
      EXPECT_GT(quota->throttled_periods(), 0);  // the quota really held it back
    }
  }
  auto quiet = History::open(dir / "quiet.sqlite");
  auto loaded = History::open(dir / "loaded.sqlite");
  ASSERT_TRUE(quiet.ok() && loaded.ok());
  auto a = (*quiet)->load_run("load");
  auto b = (*loaded)->load_run("load");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->results.size(), kNearLimit.size());
  // The quiet run really has verdicts on both sides of a limit.
  EXPECT_EQ(status_of(*a, "kimi-k2.5", "dijkstra_ts", "large-sparse-1"), "timeout");
  EXPECT_EQ(status_of(*a, "deepseek-v4-flash", "dijkstra_ts", "large-sparse-1"), "pass");
  EXPECT_EQ(testing::run_essence(*a), testing::run_essence(*b));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gradebox::pipeline
