// The run loader: every answer that cannot be graded is reported by file or
// line, never silently dropped.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "pipeline/run_input.h"
#include "../support/file_text.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kTasks{"flatten_py", "race_js", "dijkstra_ts", "review_go",
                                   "users_express"};
const fs::path kRuns = fs::path(TESTS_DIR).parent_path() / "fixtures/runs";

const InputProblem* find(const RunInput& input, const std::string& location) {
  for (const auto& p : input.problems)
    if (p.location == location) return &p;
  return nullptr;
}

fs::path write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

std::string json_line(const std::string& model, const std::string& task, const std::string& text,
                      const std::string& reasoning = "") {
  std::string line =
      R"({"model": ")" + model + R"(", "task": ")" + task + R"(", "text": ")" + text + "\"";
  if (!reasoning.empty()) line += R"(, "reasoning_content": ")" + reasoning + "\"";
  return line + "}\n";
}

TEST(PipelineInput, BrokenJsonlReportsEachBadLine) {
  auto input = load_run_input(kRuns / "broken.jsonl", kTasks);
  ASSERT_TRUE(input.ok()) << input.error().message;
  ASSERT_EQ(input->answers.size(), 2u);
  EXPECT_EQ(input->answers[0].model, "deepseek-v4-flash");
  EXPECT_EQ(input->answers[0].source, "broken.jsonl:1");
  EXPECT_EQ(input->answers[1].model, "hunyuan-turbo");
  EXPECT_EQ(input->answers[1].source, "broken.jsonl:6");
  ASSERT_NE(find(*input, "broken.jsonl:2"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:2")->kind, "unknown-task");
  ASSERT_NE(find(*input, "broken.jsonl:3"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:3")->kind, "duplicate");
  EXPECT_NE(find(*input, "broken.jsonl:3")->message.find("broken.jsonl:1"), std::string::npos);
  ASSERT_NE(find(*input, "broken.jsonl:4"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:4")->kind, "malformed");
  ASSERT_NE(find(*input, "broken.jsonl:5"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:5")->kind, "missing-field");
  EXPECT_NE(find(*input, "broken.jsonl:5")->message.find("text"), std::string::npos);
  EXPECT_EQ(find(*input, "broken.jsonl:1"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:6"), nullptr);
}

TEST(PipelineInput, BrokenJsonlMarksModelsWithMissingAnswers) {
  auto input = load_run_input(kRuns / "broken.jsonl", kTasks);
  ASSERT_TRUE(input.ok());
  std::set<std::pair<std::string, std::string>> missing;
  for (const auto& p : input->problems)
    if (p.kind == "missing-answer") missing.insert({p.model, p.task});
  EXPECT_TRUE(missing.count({"deepseek-v4-flash", "race_js"}));
  EXPECT_TRUE(missing.count({"hunyuan-turbo", "flatten_py"}));
  EXPECT_TRUE(missing.count({"kimi-k2.5", "flatten_py"}));  // its one record had no text
}

TEST(PipelineInput, SampleDirectoryAndJsonlHoldTheSameFiftyAnswers) {
  auto dir = load_run_input(kRuns / "sample", kTasks);
  auto jsonl = load_run_input(kRuns / "sample.jsonl", kTasks);
  ASSERT_TRUE(dir.ok() && jsonl.ok());
  ASSERT_EQ(dir->answers.size(), 50u);
  ASSERT_EQ(jsonl->answers.size(), 50u);
  EXPECT_TRUE(dir->problems.empty()) << dir->problems[0].message;
  EXPECT_TRUE(jsonl->problems.empty());
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(dir->answers[i].model, jsonl->answers[i].model);
    EXPECT_EQ(dir->answers[i].task, jsonl->answers[i].task);
    EXPECT_EQ(dir->answers[i].text, jsonl->answers[i].text) << dir->answers[i].source;
  }
  EXPECT_GT(jsonl->answers[0].tokens, 0);
}

TEST(PipelineInput, UnloadableTaskInDirectoryIsReportedNotGraded) {
  fs::path root = fs::path(::testing::TempDir()) / "run_unknown";
  fs::remove_all(root);
  write(root / "m1/flatten_py.md", "```python\ndef flatten(x): return x\n```\n");
  write(root / "m1/race_js.md", "answer");
  write(root / "m2/flatten_py.md", "answer");
  write(root / "m2/notes.txt", "not an answer");
  auto input = load_run_input(root, {"flatten_py"});
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 2u);
  std::map<std::string, std::string> kinds;
  for (const auto& p : input->problems) kinds[p.location] = p.kind;
  EXPECT_EQ(kinds["run_unknown/m1/race_js.md"], "unknown-task");
  EXPECT_EQ(kinds["run_unknown/m2/notes.txt"], "not-an-answer");
}

TEST(PipelineInput, HostileIdsNeverBecomePaths) {
  fs::path file = write(fs::path(::testing::TempDir()) / "hostile.jsonl",
                        R"({"model": "../../etc", "task": "flatten_py", "text": "x"})"
                        "\n"
                        R"({"model": "ok", "task": "flatten_py", "text": 5})"
                        "\n");
  auto input = load_run_input(file, kTasks);
  ASSERT_TRUE(input.ok());
  EXPECT_TRUE(input->answers.empty());
  ASSERT_EQ(input->problems.size(), 2u);
  EXPECT_EQ(input->problems[0].kind, "bad-id");
  EXPECT_EQ(input->problems[1].kind, "missing-field");
  EXPECT_FALSE(is_safe_id(".."));
  EXPECT_TRUE(is_safe_id("kimi-k2.5"));
}

// A fresh folder for one test, named after it.
fs::path test_dir() { return gradebox::testing::fresh_test_dir("input"); }

bool has_control(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// Issue 16: a number as model threw a JSON type error that ended the whole
// run ("internal error", exit 3, nothing graded).
TEST(PipelineInput, ARecordOfTheWrongTypesIsOneProblemAndTheRestIsGraded) {
  fs::path file =
      write(test_dir() / "typed.jsonl",
            R"({"model": 5, "task": "flatten_py"})"
            "\n"
            R"({"model": "m", "task": ["flatten_py"], "text": "x"})"
            "\n"
            R"({"model": "m", "task": "race_js", "text": "x", "tokens": "many"})"
            "\n"
            R"({"model": "m", "task": "dijkstra_ts", "text": "x", "latency_s": "2s"})"
            "\n"
            R"({"model": "m", "task": "review_go", "text": "x", "reasoning_content": 7})"
            "\n"
            R"({"model": "m", "task": "flatten_py", "text": "x", "tokens": 3, "latency_s": null})"
            "\n");
  auto input = load_run_input(file, kTasks);
  ASSERT_TRUE(input.ok()) << input.error().message;
  ASSERT_EQ(input->answers.size(), 1u);
  EXPECT_EQ(input->answers[0].source, "typed.jsonl:6");
  EXPECT_EQ(input->answers[0].tokens, 3);
  ASSERT_NE(find(*input, "typed.jsonl:1"), nullptr);
  EXPECT_EQ(find(*input, "typed.jsonl:1")->kind, "missing-field");
  EXPECT_EQ(find(*input, "typed.jsonl:1")->model, "");
  ASSERT_NE(find(*input, "typed.jsonl:2"), nullptr);
  EXPECT_EQ(find(*input, "typed.jsonl:2")->kind, "missing-field");
  for (const char* line : {"typed.jsonl:3", "typed.jsonl:4", "typed.jsonl:5"}) {
    ASSERT_NE(find(*input, line), nullptr) << line;
    EXPECT_EQ(find(*input, line)->kind, "malformed") << line;
  }
  EXPECT_NE(find(*input, "typed.jsonl:3")->message.find("tokens"), std::string::npos);
}

// A model id with a newline or an escape sequence never becomes a problem's
// model (then a leaderboard row) nor raw text in a location or message,
// whatever else is wrong with its record or file.
TEST(PipelineInput, UnsafeIdsNeverReachAProblemRaw) {
  fs::path dir = test_dir();
  write(dir / "hostile.jsonl", R"({"model": "evil\nrow", "task": "flatten_py"})"
                               "\n"
                               R"({"model": "esc\u001b[31m", "task": "flatten_py", "text": 5})"
                               "\n"
                               R"({"model": "esc\u001b[2J", "task": "flatten_py", "text": "x"})"
                               "\n"
                               R"({"model": "ok", "task": "fizz\nbuzz", "text": "x"})"
                               "\n");
  write(dir / "run/m\x1b[2J/flatten_py.md", "x");
  write(dir / "run/two\nlines/notes.txt", "x");
  write(dir / "run/ok/fl\x1b]0;x\x07.md", "x");
  for (const fs::path& path : {dir / "hostile.jsonl", dir / "run"}) {
    auto input = load_run_input(path, kTasks);
    ASSERT_TRUE(input.ok()) << input.error().message;
    EXPECT_TRUE(input->answers.empty());
    EXPECT_FALSE(input->problems.empty());
    for (const auto& p : input->problems) {
      std::string all = p.kind + "|" + p.location + "|" + p.model + "|" + p.task + "|" + p.message;
      EXPECT_FALSE(has_control(all)) << path << ": " << all;
      EXPECT_TRUE(p.model.empty() || is_safe_id(p.model)) << all;
      EXPECT_TRUE(p.task.empty() || is_safe_id(p.task)) << all;
    }
  }
}

// `gradebox run run` (a bare relative folder) stored six bad-id problems as
// one, without their file: every location was "".
TEST(PipelineInput, ABareRelativeRunFolderNamesEveryFile) {
  fs::path dir = test_dir();
  for (const char* name : {"a b", "c;d", "e$f"})
    write(dir / "run/m1" / (std::string(name) + ".md"), "x");
  fs::path cwd = fs::current_path();
  fs::current_path(dir);
  auto bare = load_run_input("run", kTasks);
  auto slash = load_run_input("run/", kTasks);
  fs::current_path(cwd);
  for (auto* input : {&bare, &slash}) {
    ASSERT_TRUE(input->ok());
    std::set<std::string> locations;
    for (const auto& p : (*input)->problems) {
      EXPECT_EQ(p.kind, "bad-id");
      locations.insert(p.location);
    }
    EXPECT_EQ(locations,
              (std::set<std::string>{"run/m1/a b.md", "run/m1/c;d.md", "run/m1/e$f.md"}));
  }
}

// Issue 16: a symlink to /etc/shadow was read and stored; a linked model
// folder listed its target's file names in the leaderboard notes.
TEST(PipelineInput, SymlinksInARunAreReportedAndNeverFollowed) {
  fs::path dir = test_dir();
  write(dir / "secret/shadow", "TOPSECRET");
  write(dir / "secret/leaked-name.md", "TOPSECRET");
  write(dir / "run/m1/race_js.md", "honest answer");
  fs::create_symlink(dir / "secret/shadow", dir / "run/m1/flatten_py.md");
  fs::create_directory_symlink(dir / "secret", dir / "run/m2");
  auto input = load_run_input(dir / "run", kTasks);
  ASSERT_TRUE(input.ok()) << input.error().message;
  ASSERT_EQ(input->answers.size(), 1u);
  EXPECT_EQ(input->answers[0].text, "honest answer");
  const InputProblem* file = find(*input, "run/m1/flatten_py.md");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->kind, "symlink");
  const InputProblem* folder = find(*input, "run/m2");
  ASSERT_NE(folder, nullptr);
  EXPECT_EQ(folder->kind, "symlink");
  for (const auto& p : input->problems) {
    std::string all = p.location + "|" + p.message;
    EXPECT_EQ(all.find("leaked-name"), std::string::npos) << all;
    EXPECT_EQ(all.find("TOPSECRET"), std::string::npos) << all;
  }
}

// Issue 16: a 200 MB answer was graded (35 s, 1.1 GB). Over the limit it is
// too-large: not read, not graded, and not a missing answer either (it
// scores 0 in the leaderboard).
TEST(PipelineInput, AnAnswerOverTheLimitIsTooLarge) {
  fs::path dir = test_dir();
  const std::string big((1 << 20) + 1, 'x');
  write(dir / "run/m1/flatten_py.md", big);
  write(dir / "run/m1/race_js.md", "fine");
  write(dir / "run.jsonl", json_line("m1", "flatten_py", big) + json_line("m1", "race_js", "fine") +
                               json_line("m1", "review_go", "fine", big));
  for (const fs::path& path : {dir / "run", dir / "run.jsonl"}) {
    auto input = load_run_input(path, kTasks);
    ASSERT_TRUE(input.ok());
    ASSERT_EQ(input->answers.size(), 1u) << path;
    EXPECT_EQ(input->answers[0].task, "race_js");
    std::set<std::string> too_large, missing;
    for (const auto& p : input->problems) {
      if (p.kind == "too-large") too_large.insert(p.model + "/" + p.task);
      if (p.kind == "missing-answer") missing.insert(p.model + "/" + p.task);
    }
    EXPECT_TRUE(too_large.count("m1/flatten_py")) << path;
    EXPECT_FALSE(missing.count("m1/flatten_py")) << path;
  }
  auto jsonl = load_run_input(dir / "run.jsonl", kTasks);
  ASSERT_NE(find(*jsonl, "run.jsonl:3"), nullptr);
  EXPECT_EQ(find(*jsonl, "run.jsonl:3")->kind, "too-large");  // its reasoning_content
  EXPECT_NE(find(*jsonl, "run.jsonl:3")->message.find("reasoning_content"), std::string::npos);
}

// A line over the 4 MiB cap is malformed, never parsed; the next line is
// read as usual.
TEST(PipelineInput, AJsonlLineOverTheCapIsMalformed) {
  fs::path dir = test_dir();
  write(dir / "run.jsonl", json_line("m1", "flatten_py", std::string(4 << 20, 'x')) +
                               json_line("m1", "race_js", "fine"));
  auto input = load_run_input(dir / "run.jsonl", kTasks);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 1u);
  EXPECT_EQ(input->answers[0].source, "run.jsonl:2");
  ASSERT_NE(find(*input, "run.jsonl:1"), nullptr);
  EXPECT_EQ(find(*input, "run.jsonl:1")->kind, "malformed");
}

// Issue 17: reasoning models' records carry the reasoning apart
// (reasoning_content) and why the model stopped (finish_reason); both are
// part of the answer as graded and stored.
TEST(PipelineInput, AJsonlRecordKeepsItsReasoningAndFinishReason) {
  fs::path dir = test_dir();
  write(dir / "run.jsonl",
        R"({"model": "r1", "task": "flatten_py", "text": "final", )"
        R"("reasoning_content": "first a draft", "finish_reason": "length"})"
        "\n" +
            json_line("r1", "race_js", "plain") +
            R"({"model": "r1", "task": "review_go", "text": "x", "reasoning_content": null, )"
            R"("finish_reason": null})"
            "\n");
  auto input = load_run_input(dir / "run.jsonl", kTasks);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 3u);
  EXPECT_EQ(input->answers[0].task, "flatten_py");
  EXPECT_EQ(input->answers[0].reasoning, "first a draft");
  EXPECT_EQ(input->answers[0].finish_reason, "length");
  for (std::size_t i : {1u, 2u}) {
    EXPECT_EQ(input->answers[i].reasoning, "") << input->answers[i].task;
    EXPECT_EQ(input->answers[i].finish_reason, "") << input->answers[i].task;
  }
}

// A finish_reason is a short word ("stop", "length", "max_tokens"): a long
// one is a malformed record, not 1 MB stored in every history row.
TEST(PipelineInput, AFinishReasonOverSixtyFourBytesIsMalformed) {
  fs::path dir = test_dir();
  write(dir / "run.jsonl",
        R"({"model": "r1", "task": "flatten_py", "text": "x", "finish_reason": ")" +
            std::string(65, 'l') + "\"}\n" + json_line("r1", "race_js", "fine"));
  auto input = load_run_input(dir / "run.jsonl", kTasks);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 1u);
  ASSERT_NE(find(*input, "run.jsonl:1"), nullptr);
  EXPECT_EQ(find(*input, "run.jsonl:1")->kind, "malformed");
  EXPECT_NE(find(*input, "run.jsonl:1")->message.find("finish_reason"), std::string::npos);
}

// In a run folder the reasoning sits beside the answer, as
// <model>/<task>.reasoning.md: it belongs to <task>.md, it is no answer of
// its own; one without its answer is named; one over the limit makes the
// answer too-large, as reasoning_content does.
TEST(PipelineInput, ARunFolderReadsTheReasoningBesideTheAnswer) {
  fs::path dir = test_dir();
  write(dir / "run/m1/flatten_py.md", "final");
  write(dir / "run/m1/flatten_py.reasoning.md", "draft");
  write(dir / "run/m1/race_js.md", "plain");
  write(dir / "run/m1/review_go.reasoning.md", "alone");
  write(dir / "run/m1/dijkstra_ts.md", "fine");
  write(dir / "run/m1/dijkstra_ts.reasoning.md", std::string((1 << 20) + 1, 'x'));
  auto input = load_run_input(dir / "run", kTasks);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 2u);
  EXPECT_EQ(input->answers[0].task, "flatten_py");
  EXPECT_EQ(input->answers[0].text, "final");
  EXPECT_EQ(input->answers[0].reasoning, "draft");
  EXPECT_EQ(input->answers[1].task, "race_js");
  EXPECT_EQ(input->answers[1].reasoning, "");
  const InputProblem* alone = find(*input, "run/m1/review_go.reasoning.md");
  ASSERT_NE(alone, nullptr);
  EXPECT_EQ(alone->kind, "not-an-answer");
  EXPECT_NE(alone->message.find("review_go.md"), std::string::npos) << alone->message;
  const InputProblem* big = find(*input, "run/m1/dijkstra_ts.md");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->kind, "too-large");
  EXPECT_NE(big->message.find("reasoning"), std::string::npos) << big->message;
  for (const auto& p : input->problems)
    EXPECT_EQ(p.location.find("flatten_py.reasoning"), std::string::npos) << p.message;
}

// Issue 19: many samples per model × task, as a folder of <N>.md.
TEST(PipelineInput, ARunFolderOfSamplesGivesOneAnswerPerSample) {
  fs::path dir = test_dir();
  write(dir / "run/m1/flatten_py/0.md", "first");
  write(dir / "run/m1/flatten_py/2.md", "third");
  write(dir / "run/m1/flatten_py/2.reasoning.md", "draft");
  write(dir / "run/m1/flatten_py/10.md", "eleventh");
  write(dir / "run/m1/flatten_py/notes.md", "not a sample");
  write(dir / "run/m1/flatten_py/07.md", "leading zero");
  write(dir / "run/m1/race_js.md", "single");
  auto input = load_run_input(dir / "run", kTasks);
  ASSERT_TRUE(input.ok()) << input.error().message;
  ASSERT_EQ(input->answers.size(), 4u);
  std::vector<std::pair<std::string, int>> keys;
  for (const auto& a : input->answers) keys.push_back({a.task, a.sample});
  EXPECT_EQ(keys, (std::vector<std::pair<std::string, int>>{
                      {"flatten_py", 0}, {"flatten_py", 2}, {"flatten_py", 10}, {"race_js", 0}}));
  EXPECT_EQ(input->answers[1].text, "third");
  EXPECT_EQ(input->answers[1].reasoning, "draft");
  EXPECT_EQ(input->answers[1].source, "run/m1/flatten_py/2.md");
  for (const char* odd : {"run/m1/flatten_py/notes.md", "run/m1/flatten_py/07.md"}) {
    ASSERT_NE(find(*input, odd), nullptr) << odd;
    EXPECT_EQ(find(*input, odd)->kind, "not-an-answer");
  }
}

TEST(PipelineInput, BothLayoutsForOneModelAndTaskAreAnInputError) {
  fs::path dir = test_dir();
  write(dir / "run/m1/flatten_py.md", "single");
  write(dir / "run/m1/flatten_py/0.md", "sample");
  write(dir / "run/m1/race_js.md", "fine");
  auto input = load_run_input(dir / "run", kTasks);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 1u);
  EXPECT_EQ(input->answers[0].task, "race_js");
  const InputProblem* both = find(*input, "run/m1/flatten_py");
  ASSERT_NE(both, nullptr);
  EXPECT_EQ(both->kind, "duplicate");
  EXPECT_NE(both->message.find("neither is graded"), std::string::npos) << both->message;
}

TEST(PipelineInput, JsonlSamplesAreKeptApartAndASampleRepeatedIsADuplicate) {
  fs::path dir = test_dir();
  auto sample = [](int n, const std::string& text) {
    std::string line = json_line("m1", "flatten_py", text);
    return line.insert(line.size() - 2, ", \"sample\": " + std::to_string(n));
  };
  write(dir / "run.jsonl",
        sample(1, "b") + json_line("m1", "flatten_py", "a") + sample(1, "c") + sample(-1, "d") +
            sample(10000, "e") +
            R"({"model": "m1", "task": "flatten_py", "text": "f", "sample": "2"})" + "\n");
  auto input = load_run_input(dir / "run.jsonl", kTasks);
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 2u);
  EXPECT_EQ(input->answers[0].sample, 0);  // no "sample": sample 0
  EXPECT_EQ(input->answers[0].text, "a");
  EXPECT_EQ(input->answers[1].sample, 1);
  EXPECT_EQ(input->answers[1].text, "b");
  EXPECT_EQ(find(*input, "run.jsonl:3")->kind, "duplicate");
  for (const char* bad : {"run.jsonl:4", "run.jsonl:5", "run.jsonl:6"}) {
    ASSERT_NE(find(*input, bad), nullptr) << bad;
    EXPECT_EQ(find(*input, bad)->kind, "malformed") << bad;
    EXPECT_NE(find(*input, bad)->message.find("sample"), std::string::npos);
  }
}

TEST(PipelineInput, SafeIdsAreOnlyPlainNames) {
  for (const char* bad : {"", ".", "..", "/abs", "a/b", "../x", "a\\b", "a b", "\xc3\xa9"})
    EXPECT_FALSE(is_safe_id(bad)) << bad;
  EXPECT_FALSE(is_safe_id(std::string(129, 'a')));
  for (const char* good : {"kimi-k2.5", "glm_5", "...x", "A.b-C_9"})
    EXPECT_TRUE(is_safe_id(good)) << good;
}

TEST(PipelineInput, MissingPathIsAnError) {
  auto input = load_run_input("/nonexistent/run", kTasks);
  ASSERT_FALSE(input.ok());
  EXPECT_NE(input.error().message.find("/nonexistent/run"), std::string::npos);
}

}  // namespace
}  // namespace gradebox::pipeline
