// The gradebox command as a user meets it: exit codes, one-line errors,
// help, and the JSON report's contract fields.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

const std::string kGradebox = std::string(GRADEBOX_BUILD_DIR) + "/gradebox";
const std::string kSource = std::string(TESTS_DIR) + "/..";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

CliRun gradebox(const std::string& args) {
  std::string base = ::testing::TempDir() + "/cli-" + std::to_string(::getpid());
  std::string command = kGradebox + " " + args + " >" + base + ".out 2>" + base + ".err </dev/null";
  int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(base + ".out"), slurp(base + ".err")};
}

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(Cli, HelpListsTheSubcommands) {
  CliRun r = gradebox("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"grade", "tasks", "selftest"}) EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
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
  std::system(("rm -rf " + dir + " && mkdir -p " + dir + "/bad && echo '{oops' > " + dir + "/bad/task.json").c_str());
  CliRun r = gradebox("--graders " + dir + " tasks");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad/task.json"), std::string::npos) << r.err;
}

TEST(Cli, TasksListsFlattenPy) {
  CliRun r = gradebox("tasks");
  EXPECT_NE(r.out.find("flatten_py"), std::string::npos) << r.out << r.err;
}

// A relative --graders once ended gradebox by SIGPIPE (exit 141, no output):
// the trusted scripts start in other working directories.
TEST(Cli, RelativeGradersFolderGradesAScriptCheckedTask) {
  std::string base = ::testing::TempDir() + "/cli-relative-" + std::to_string(::getpid());
  std::string command = "cd " + kSource + " && " + kGradebox +
                        " --graders graders grade --task dijkstra_ts graders/dijkstra_ts/reference.md >" +
                        base + ".out 2>" + base + ".err </dev/null";
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << slurp(base + ".err");
  EXPECT_NE(slurp(base + ".out").find("dijkstra_ts: graded"), std::string::npos) << slurp(base + ".out");
}

TEST(Cli, GradeJsonHasTheContractFields) {
  std::string answer = ::testing::TempDir() + "/answer-" + std::to_string(::getpid()) + ".md";
  std::ofstream(answer) << "```python\ndef flatten(xs):\n    out = []\n    for x in xs:\n"
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

}  // namespace
