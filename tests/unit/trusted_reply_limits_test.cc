// What a trusted script sends back (check.py's reply, the prober's output)
// carries the answer's data, so gradebox parses it under declared limits: a
// reply nested 10^6 or 20,000 deep, or over the size cap, fails the tests it
// would have judged and names the limit; it never crashes gradebox and never
// becomes grader-error. A reply that is not JSON at all stays grader-error.
#include <gtest/gtest.h>

#include "../support/script_folder.h"
#include "fake_sandbox.h"
#include "gradebox/grade.h"

namespace gradebox {
namespace {

using nlohmann::json;
using testing::FakeRun;

const char* kTaskJson = R"({
  "id": "task", "version": "1", "language": "python", "runtime": "python",
  "prompt": "Write a function echo(x) that returns x", "prompt_code": [],
  "entry_point": {"any_of": ["(^|\\n)def\\s+echo\\s*\\("], "choose": "first"},
  "answer_file": "answer.py",
  "harness": {"files": ["harness.py"], "argv": ["/usr/bin/python3", "-I", "-S", "/box/harness.py"]},
  "tests": "tests.json", "checker": "check.py", "probe": "probe.py", "probe_timeout_seconds": 20,
  "limits": {"test_cpu_floor_ms": 100},
  "categories": [{"id": "basic", "kind": "core", "judges": "value", "description": "returns its argument"}]
})";

const char* kTestsJson = R"({"tests": [
  {"id": "basic-1", "category": "basic", "input": [1], "expect": {"value": [1]}},
  {"id": "basic-2", "category": "basic", "input": [2], "expect": {"value": [2]}}]})";

// Both scripts read the case to play from task/mode on every call.
const char* kScriptsHead = R"(import json, os, sys
def mode():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "mode")) as f:
        return f.read().strip()
def deep(n):
    return "[" * n + "]" * n
)";

const char* kCheckPy = R"(
if __name__ == "__main__":
    request = json.load(sys.stdin)
    ok = (request.get("probe") or {}).get("ok") is True
    results = [{"id": t["id"], "status": "pass" if ok else "fail",
                "detail": "" if ok else "the prober gave no result"} for t in request["tests"]]
    m = mode()
    if m == "reply-not-json":
        print("nope")
    elif m.startswith("reply-deep-"):
        echo = deep(int(m.split("-")[-1]))
        sys.stdout.write('{"results": ' + json.dumps(results) + ', "extra": {"echo": ' + echo + '}}')
    elif m == "reply-big":
        print(json.dumps({"results": results, "extra": {"echo": "x" * (65 << 20)}}))
    else:
        print(json.dumps({"results": results, "extra": {}}))
)";

const char* kProbePy = R"(
if __name__ == "__main__":
    sys.stdin.read()
    m = mode()
    if m.startswith("probe-deep-"):
        sys.stdout.write('{"results": ' + deep(int(m.split("-")[-1])) + '}')
    elif m == "channel-deep":
        print("{}")
    else:
        print(json.dumps({"ok": True}))
)";

const std::string kAnswer = "```python\ndef echo(x):\n    return x\n```\n";

class TrustedReplyLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("XDG_CACHE_HOME", ::testing::TempDir().c_str(), 1);
    folder_.write("task/task.json", kTaskJson);
    folder_.write("task/tests.json", kTestsJson);
    folder_.write("task/harness.py", "# the fake sandbox runs nothing\n");
    folder_.write("task/check.py", std::string(kScriptsHead) + kCheckPy);
    folder_.write("task/probe.py", std::string(kScriptsHead) + kProbePy);
    auto loaded = load_task(folder_.path("task"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    task_ = std::make_unique<Task>(std::move(*loaded));
  }
  Report grade(const std::string& mode) {
    folder_.write("task/mode", mode);
    auto sandbox = std::make_shared<testing::FakeSandbox>([mode](const FakeRun&) {
      std::string channel =
          testing::channel({{{"event", "start"}}, {{"event", "load"}, {"ok", true}}});
      if (mode == "channel-deep")
        channel += "{\"event\": \"note\", \"x\": " + std::string(3000, '[') +
                   std::string(3000, ']') + "}\n";
      return testing::exited(channel);
    });
    return Grader(sandbox).grade(*task_, kAnswer, {});
  }
  // Graded, every test failed, each detail naming `limit`, and a small report.
  void expect_refused(const Report& r, const std::string& limit) {
    EXPECT_EQ(r.verdict, Verdict::kGraded) << r.verdict_detail;
    ASSERT_EQ(r.tests.size(), 2u);
    for (const auto& t : r.tests) {
      EXPECT_EQ(t.status, TestStatus::kFail) << t.id;
      EXPECT_NE(t.detail.find(limit), std::string::npos) << t.id << ": " << t.detail;
    }
    EXPECT_EQ(r.correctness.score, 0.0);
    EXPECT_LT(to_json(r).dump(2).size(), 1u << 20);
  }
  testing::ScriptFolder folder_{"gb_reply_limits"};
  std::unique_ptr<Task> task_;
};

TEST_F(TrustedReplyLimits, AnHonestRunPasses) {
  Report r = grade("honest");
  EXPECT_EQ(r.verdict, Verdict::kGraded) << r.verdict_detail;
  EXPECT_EQ(r.correctness.score, 10.0);
}

TEST_F(TrustedReplyLimits, AChannelLineOverTheLimitIsNamedInWhatTheCheckerFailed) {
  expect_refused(
      grade("channel-deep"),
      "the prober gave no result; a channel line was nested deeper than the 2000-level limit");
}

TEST_F(TrustedReplyLimits, ACheckerReplyNestedAMillionDeepFailsNamingTheLimit) {
  expect_refused(grade("reply-deep-1000000"),
                 "the checker's reply was nested deeper than the 2064-level limit");
}

TEST_F(TrustedReplyLimits, ACheckerReplyNested20000DeepFailsNamingTheLimit) {
  expect_refused(grade("reply-deep-20000"),
                 "the checker's reply was nested deeper than the 2064-level limit");
}

TEST_F(TrustedReplyLimits, ACheckerReplyOverTheSizeCapFailsNamingTheLimit) {
  expect_refused(grade("reply-big"), "the checker's reply was over the 67108864-byte reply limit");
}

TEST_F(TrustedReplyLimits, ACheckerReplyWithinTheLimitsIsKeptAndShownCut) {
  Report r = grade("reply-deep-2000");
  EXPECT_EQ(r.correctness.score, 10.0) << r.verdict_detail;
  json shown = to_json(r)["extra"]["echo"];
  EXPECT_TRUE(shown.is_array());
  EXPECT_LT(shown.dump().size(), 2000u);  // the report shows it cut at its depth cap
}

TEST_F(TrustedReplyLimits, ACheckerReplyThatIsNotJsonStaysGraderError) {
  Report r = grade("reply-not-json");
  EXPECT_EQ(r.verdict, Verdict::kGraderError);
  EXPECT_NE(r.verdict_detail.find("bad reply"), std::string::npos) << r.verdict_detail;
}

TEST_F(TrustedReplyLimits, AProberOutputNestedAMillionDeepFailsNamingTheLimit) {
  expect_refused(grade("probe-deep-1000000"),
                 "the prober's output was nested deeper than the 2064-level limit");
}

TEST_F(TrustedReplyLimits, AProberOutputNested20000DeepFailsNamingTheLimit) {
  expect_refused(grade("probe-deep-20000"),
                 "the prober's output was nested deeper than the 2064-level limit");
}

}  // namespace
}  // namespace gradebox
