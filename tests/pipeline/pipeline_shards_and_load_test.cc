// Two promises on one slice of the bundled sample run, the answers that sit
// nearest their limits (every task is among them):
//
// - Past one machine: the slice graded in 3 shards (as 3 machines would,
//   each with its own history) and merged equals one machine's run. The
//   merge's rules themselves are unit tests (tests/unit/pipeline_shard_test.cc,
//   pipeline_merge_test.cc).
// - Verdicts do not depend on machine load: that one machine is
//   oversubscribed. Four gradebox workers share one core (a CPU quota,
//   cgroup v1 `cpu`), a quarter of a core each, as on a machine with four
//   runnable processes per core (the run is ~3x slower; a test starved by
//   the wall-clock backstop is run again by the harness, with a wider
//   guard). The quota keeps the load to one core (a ctest slot), so other
//   tests run beside this one; without a `cpu` controller it falls back to
//   loading the whole machine (four busy loops per core).
//
// Every test's status must be the same in both. One comparison checks both
// (each slice is graded twice, not four times); a difference names the
// answer and test, and the shard's log says which machine graded it.
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

// (model, task) of the sample answers whose tests sit nearest a limit. By
// the shard hash (src/pipeline/shard.cc) ga-standard/race_js is shard 1/3,
// ga-standard/flatten_py 3/3 and the other five 2/3.
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

// Grades the slice in 3 shards, one after another, and merges them.
void grade_in_three_shards_and_merge(const fs::path& dir, const std::string& run) {
  std::string shards;
  for (int k = 1; k <= 3; ++k) {
    fs::path db = dir / ("shard" + std::to_string(k) + ".sqlite");
    ASSERT_EQ(testing::run_gradebox("run " + run + "-j2 --shard " + std::to_string(k) +
                                        "/3 --db " + db.string(),
                                    dir),
              0)
        << "see " << (dir / "log");
    auto shard = History::open(db);
    ASSERT_TRUE(shard.ok());
    auto graded = (*shard)->load_run("slice");
    ASSERT_TRUE(graded.ok());
    EXPECT_FALSE(graded->results.empty()) << "shard " << k << " graded nothing: a merge of two";
    shards += " " + db.string();
  }
  ASSERT_EQ(testing::run_gradebox("merge " + (dir / "merged.sqlite").string() + shards, dir), 0)
      << "see " << (dir / "log");
}

// Grades the slice on one oversubscribed machine.
void grade_on_one_loaded_machine(const fs::path& dir, const std::string& run) {
  // Four workers in one core's quota: a quarter of a core each.
  auto quota = testing::CpuQuota::join(1.0);  // declared first: left after the loops end
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned loops = quota ? 0 : 4 * cores;
  if (!quota) std::cerr << "no writable cgroup v1 cpu controller: loading every core\n";
  BusyLoops load(loops);
  ASSERT_EQ(load.running(), loops);
  const std::string jobs = quota ? "-j4" : "-j2";
  ASSERT_EQ(
      testing::run_gradebox("run " + run + jobs + " --db " + (dir / "loaded.sqlite").string(), dir),
      0)
      << "see " << (dir / "log");
  if (quota) {
    EXPECT_GT(quota->throttled_periods(), 0);  // the quota really held it back
  }
}

TEST(PipelineShardsAndLoad, QuietShardsMergedEqualOneOversubscribedMachine) {
  fs::path dir = testing::fresh_test_dir("shards-load");
  for (const auto& [model, task] : kNearLimit) {
    fs::create_directories(dir / "slice" / model);
    fs::copy_file(kSample / model / (task + ".md"), dir / "slice" / model / (task + ".md"));
  }
  fs::copy_file(kSample / "README.md", dir / "slice/README.md");  // a run skips it
  const std::string run = (dir / "slice").string() + " -q --run-id slice ";
  grade_in_three_shards_and_merge(dir, run);
  if (::testing::Test::HasFatalFailure()) return;
  grade_on_one_loaded_machine(dir, run);
  if (::testing::Test::HasFatalFailure()) return;
  auto merged = History::open(dir / "merged.sqlite");
  auto loaded = History::open(dir / "loaded.sqlite");
  ASSERT_TRUE(merged.ok() && loaded.ok());
  auto a = (*merged)->load_run("slice");
  auto b = (*loaded)->load_run("slice");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->answers.size(), kNearLimit.size());
  ASSERT_EQ(a->results.size(), kNearLimit.size());
  // Verdicts on both sides of a limit go through the merge and the load.
  EXPECT_EQ(status_of(*a, "kimi-k2.5", "dijkstra_ts", "large-sparse-1"), "timeout");
  EXPECT_EQ(status_of(*a, "deepseek-v4-flash", "dijkstra_ts", "large-sparse-1"), "pass");
  EXPECT_EQ(testing::run_essence(*a), testing::run_essence(*b));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gradebox::pipeline
