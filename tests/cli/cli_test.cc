// The gradebox command as a user meets it: exit codes, one-line errors,
// help, and the JSON report's contract fields.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/file_text.h"
#include "../support/gradebox_command.h"

namespace {

using gradebox::testing::CliRun;
using gradebox::testing::file_text;
using gradebox::testing::kGradeboxBinary;
using gradebox::testing::run_command;

const std::string kSource = std::string(TESTS_DIR) + "/..";

CliRun gradebox(const std::string& args) { return run_command(kGradeboxBinary + " " + args); }

int lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, HelpListsTheSubcommands) {
  CliRun r = gradebox("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"grade", "tasks", "selftest"})
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
  CliRun grade_help = gradebox("grade --help");
  EXPECT_EQ(grade_help.exit_code, 0);
  EXPECT_NE(grade_help.out.find("--pick"), std::string::npos);
}

TEST(Cli, UnknownTaskIsAOneLineUsageError) {
  CliRun r = gradebox("grade --task no_such_task " + kSource + "/README.md");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("unknown task 'no_such_task'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("flatten_py"), std::string::npos) << "the known tasks are named: " << r.err;
}

TEST(Cli, MissingAnswerFileIsAOneLineUsageError) {
  CliRun r = gradebox("grade --task flatten_py /nonexistent/answer.md");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/answer.md"), std::string::npos);
}

TEST(Cli, MissingRequiredOptionIsAUsageError) {
  CliRun r = gradebox("grade answer.md");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--task"), std::string::npos) << r.err;
}

TEST(Cli, MalformedTaskPackIsReportedByName) {
  std::string dir = ::testing::TempDir() + "/graders-" + std::to_string(::getpid());
  std::system(
      ("rm -rf " + dir + " && mkdir -p " + dir + "/bad && echo '{oops' > " + dir + "/bad/task.json")
          .c_str());
  CliRun r = gradebox("--graders " + dir + " tasks");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad/task.json"), std::string::npos) << r.err;
}

// A typo in a task pack is named, never silently ignored: grade and tasks
// both print the one-line schema error and exit non-zero.
TEST(Cli, ATypoInATaskPackIsAOneLineErrorNamingTheKey) {
  std::string dir = ::testing::TempDir() + "/graders-typo-" + std::to_string(::getpid());
  std::system(("rm -rf " + dir + " && mkdir -p " + dir + " && cp -r " + kSource +
               "/graders/flatten_py " + kSource + "/graders/_python " + dir +
               " && sed -i 's/\"checker\": \"values\"/\"checker\": \"values\", "
               "\"mutli_file\": true/' " +
               dir + "/flatten_py/task.json")
                  .c_str());
  const std::string wanted = "flatten_py/task.json: unknown key \"mutli_file\"";
  CliRun grade = gradebox("--graders " + dir + " grade --task flatten_py " + kSource +
                          "/graders/flatten_py/reference.md");
  EXPECT_EQ(grade.exit_code, 2);
  EXPECT_EQ(lines(grade.err), 1) << grade.err;
  EXPECT_NE(grade.err.find(wanted), std::string::npos) << grade.err;
  CliRun tasks = gradebox("--graders " + dir + " tasks");
  EXPECT_NE(tasks.exit_code, 0);
  EXPECT_NE(tasks.err.find(wanted), std::string::npos) << tasks.err;
  std::system(("rm -rf " + dir).c_str());
}

TEST(Cli, TasksListsFlattenPy) {
  CliRun r = gradebox("tasks");
  EXPECT_NE(r.out.find("flatten_py"), std::string::npos) << r.out << r.err;
}

// A relative --graders once ended gradebox by SIGPIPE (exit 141, no output):
// the trusted scripts start in other working directories.
TEST(Cli, RelativeGradersFolderGradesAScriptCheckedTask) {
  std::string base = ::testing::TempDir() + "/cli-relative-" + std::to_string(::getpid());
  std::string command =
      "cd " + kSource + " && " + kGradeboxBinary +
      " --graders graders grade --task dijkstra_ts graders/dijkstra_ts/reference.md >" + base +
      ".out 2>" + base + ".err </dev/null";
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << file_text(base + ".err");
  EXPECT_NE(file_text(base + ".out").find("dijkstra_ts: graded"), std::string::npos)
      << file_text(base + ".out");
}

TEST(Cli, GradeJsonHasTheContractFields) {
  std::string answer = ::testing::TempDir() + "/answer-" + std::to_string(::getpid()) + ".md";
  std::ofstream(answer)
      << "```python\ndef flatten(xs):\n    out = []\n    for x in xs:\n"
         "        out.extend(flatten(x) if isinstance(x, list) else [x])\n    return out\n```\n";
  CliRun r = gradebox("grade --task flatten_py --model m1 --format json " + answer);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["task"], "flatten_py");
  EXPECT_EQ(report["model"], "m1");
  EXPECT_EQ(report["verdict"], "graded");
  EXPECT_EQ(report["extraction"]["candidates"], 1);
  EXPECT_EQ(report["extraction"]["graded"], nlohmann::json::array({0}));
  EXPECT_GT(report["correctness"]["total"].get<int>(), 0);
  EXPECT_EQ(report["correctness"]["score"], 10.0) << r.out.substr(0, 4000);
  EXPECT_TRUE(report["tests"].is_array());
  EXPECT_TRUE(report["environment"].contains("grader_stamp"));
}

TEST(Cli, ProseOnlyAnswerIsNoCodeAndExitsZero) {
  std::string answer = ::testing::TempDir() + "/prose-" + std::to_string(::getpid()) + ".md";
  std::ofstream(answer) << "You could write a recursive function that walks the list.\n";
  CliRun r = gradebox("grade --task flatten_py --format json " + answer);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["verdict"], "no-code");
}

// A fresh folder for one test, named after it.
std::string test_dir() { return gradebox::testing::fresh_test_dir("cli").string(); }

// `victim` holds "VICTIM" and `link` points at it.
void plant_link(const std::string& victim, const std::string& link) {
  std::ofstream(victim) << "VICTIM";
  std::filesystem::create_symlink(victim, link);
}

// The link was replaced by a regular file; its target was left alone.
void expect_replaced(const std::string& victim, const std::string& link) {
  EXPECT_EQ(file_text(victim), "VICTIM") << link << " was followed";
  EXPECT_FALSE(std::filesystem::is_symlink(link)) << link;
  EXPECT_TRUE(std::filesystem::is_regular_file(link)) << link;
}

const std::string kProse = "You could write a recursive function that walks the list.\n";

// Issue 16: -o truncated and overwrote a symlink's target (as root).
TEST(CliOutputs, GradeOutputReplacesASymlinkNeverItsTarget) {
  std::string dir = test_dir();
  std::ofstream(dir + "/prose.md") << kProse;
  plant_link(dir + "/victim", dir + "/out.json");
  CliRun r = gradebox("grade --task flatten_py --format json -o " + dir + "/out.json " + dir +
                      "/prose.md");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_replaced(dir + "/victim", dir + "/out.json");
  EXPECT_EQ(nlohmann::json::parse(file_text(dir + "/out.json"))["verdict"], "no-code");
}

// run -o, --html, diff -o and nightly --junit: each replaces a link at its
// target. The runs hold only an unknown task, so nothing needs a sandbox.
TEST(CliOutputs, RunDiffAndNightlyOutputsReplaceSymlinks) {
  std::string dir = test_dir(), history = " --db " + dir + "/history.sqlite ",
              db = history + "--reports " + dir + "/reports ";
  std::ofstream(dir + "/night.jsonl") << R"({"model": "m1", "task": "fizzbuzz_rs", "text": "x"})"
                                      << "\n";
  for (const char* name : {"board.json", "board.html", "diff.xml", "nightly.xml"})
    plant_link(dir + "/victim-" + name, dir + "/" + name);
  CliRun run = gradebox("run " + dir + "/night.jsonl" + db + "--run-id r1 -f json -o " + dir +
                        "/board.json --html " + dir + "/board.html");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(gradebox("run " + dir + "/night.jsonl" + db + "--run-id r2 -q").exit_code, 0);
  CliRun diff = gradebox("diff r1 r2" + history + "-f junit -o " + dir + "/diff.xml");
  EXPECT_EQ(diff.exit_code, 0) << diff.err;
  CliRun nightly = gradebox("nightly --skip-selftest " + dir + "/night.jsonl" + db +
                            "--run-id r3 -q --junit " + dir + "/nightly.xml");
  EXPECT_EQ(nightly.exit_code, 0) << nightly.err;
  for (const char* name : {"board.json", "board.html", "diff.xml", "nightly.xml"})
    expect_replaced(dir + "/victim-" + name, dir + "/" + name);
  EXPECT_EQ(nlohmann::json::parse(file_text(dir + "/board.json"))["run"], "r1");
  EXPECT_NE(file_text(dir + "/nightly.xml").find("<testsuite"), std::string::npos);
}

// -o /dev/null stays a device: an output that is a device or a pipe is
// written in place, never renamed over (as root that would replace the node).
// A private node of /dev/null's numbers stands in for it.
TEST(CliOutputs, AnOutputThatIsADeviceStaysTheDevice) {
  std::string dir = test_dir();
  std::ofstream(dir + "/prose.md") << kProse;
  ASSERT_EQ(std::system(("mknod " + dir + "/null c 1 3").c_str()), 0);
  CliRun r = gradebox("grade --task flatten_py -o " + dir + "/null " + dir + "/prose.md");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_character_file(dir + "/null"));
}

// Report files: a link planted below --reports is never followed; the
// summary counts the report files that could not be written.
TEST(CliOutputs, NothingBelowReportsIsFollowed) {
  std::string dir = test_dir(),
              db = " --db " + dir + "/history.sqlite --reports " + dir + "/reports ";
  std::ofstream(dir + "/night.jsonl")
      << nlohmann::json{{"model", "m1"}, {"task", "flatten_py"}, {"text", kProse}}.dump() << "\n";
  std::filesystem::create_directories(dir + "/reports/r2/m1");
  std::filesystem::create_directories(dir + "/elsewhere");
  std::filesystem::create_directory_symlink(dir + "/elsewhere", dir + "/reports/r1");
  plant_link(dir + "/victim", dir + "/reports/r2/m1/flatten_py.json");
  CliRun linked_folder = gradebox("run " + dir + "/night.jsonl" + db + "--run-id r1 -q");
  EXPECT_EQ(linked_folder.exit_code, 3) << linked_folder.err;  // a file was not written
  EXPECT_TRUE(std::filesystem::is_empty(dir + "/elsewhere"));
  EXPECT_NE(linked_folder.err.find("1 report files NOT written"), std::string::npos)
      << linked_folder.err;
  EXPECT_NE(linked_folder.err.find("symbolic link"), std::string::npos) << linked_folder.err;
  CliRun linked_file = gradebox("run " + dir + "/night.jsonl" + db + "--run-id r2 -q --no-cache");
  EXPECT_EQ(linked_file.exit_code, 0) << linked_file.err;
  expect_replaced(dir + "/victim", dir + "/reports/r2/m1/flatten_py.json");
}

// Issue 16: on a full disk .tmp report files were left behind and the
// summary said "0 left". A full tmpfs, mounted in a private namespace.
TEST(CliOutputs, AFullDiskLeavesNoTemporaryAndIsCounted) {
  std::string dir = test_dir(), reports = dir + "/reports";
  std::filesystem::create_directories(reports);
  std::ofstream night(dir + "/night.jsonl");
  for (const char* model : {"m1", "m2", "m3"})
    night << nlohmann::json{{"model", model}, {"task", "flatten_py"}, {"text", kProse}}.dump()
          << "\n";
  night.close();
  std::string script = "mount -t tmpfs -o size=64k tmpfs " + reports + " && " +
                       "(dd if=/dev/zero of=" + reports +
                       "/filler bs=4k count=64 2>/dev/null; true) && " + kGradeboxBinary + " run " +
                       dir + "/night.jsonl --db " + dir + "/history.sqlite --reports " + reports +
                       " --run-id full -q >" + dir + "/out 2>" + dir + "/err; echo $? >" + dir +
                       "/rc; " + "find " + reports + " -type f ! -name filler >" + dir + "/left";
  int status = std::system(("unshare -m --propagation private sh -c '" + script + "'").c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "unshare/mount failed";
  std::string err = file_text(dir + "/err");
  EXPECT_EQ(file_text(dir + "/rc"), "3\n") << err;
  EXPECT_EQ(file_text(dir + "/left"), "") << "files left on the full disk";
  EXPECT_NE(err.find("3 report files NOT written"), std::string::npos) << err;
  EXPECT_NE(err.find("No space left on device"), std::string::npos) << err;
}

TEST(CliInputs, AnAnswerOverMaxAnswerBytesIsTooLargeNotGraded) {
  std::string dir = test_dir();
  std::ofstream(dir + "/big.md") << std::string(200, 'x');
  CliRun grade = gradebox("grade --task flatten_py --max-answer-bytes 100 " + dir + "/big.md");
  EXPECT_EQ(grade.exit_code, 2);
  EXPECT_EQ(lines(grade.err), 1) << grade.err;
  EXPECT_NE(grade.err.find("too-large"), std::string::npos) << grade.err;
  std::ofstream(dir + "/night.jsonl")
      << nlohmann::json{{"model", "m1"}, {"task", "flatten_py"}, {"text", std::string(200, 'x')}}
             .dump()
      << "\n";
  CliRun run = gradebox("run " + dir + "/night.jsonl --db " + dir + "/h.sqlite --reports " + dir +
                        "/reports --max-answer-bytes 100 -f json");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("too-large"), std::string::npos) << run.err;
  auto board = nlohmann::json::parse(run.out);
  ASSERT_EQ(board["rows"].size(), 1u) << run.out;
  EXPECT_EQ(board["rows"][0]["tasks"]["flatten_py"]["state"], "too-large");
  EXPECT_EQ(board["rows"][0]["automated"], 0.0);
}

}  // namespace
