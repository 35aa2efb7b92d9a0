// What the program can see and reach: only its own filesystem view,
// loopback, stdin and the channel; never the host's files, network or
// processes.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "sandbox_test_support.h"

namespace gradebox::testing {
namespace {

class SandboxIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = make_sandbox();
    ASSERT_NE(sandbox_, nullptr);
  }
  std::string run_stdout(const std::string& code) {
    SandboxOutcome outcome = run_ok(*sandbox_, python_spec(code));
    EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_data;
    return outcome.stdout_data;
  }
  std::unique_ptr<Sandbox> sandbox_;
};

// A listener on the host's 127.0.0.1, closed on destruction.
struct HostListener {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int port = 0;
  HostListener() {
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(fd, 4);
    socklen_t length = sizeof(address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~HostListener() { close(fd); }
};

TEST_F(SandboxIsolationTest, HostLoopbackPortIsNotReachable) {
  HostListener host;
  ASSERT_GT(host.port, 0);
  std::string out = run_stdout("import socket\ntry:\n socket.create_connection(('127.0.0.1', " +
                               std::to_string(host.port) +
                               "), timeout=2)\n print('connected')\nexcept OSError as e:\n "
                               "print(type(e).__name__)");
  EXPECT_EQ(out, "ConnectionRefusedError\n");
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxIsolationTest, OutsideAddressIsUnreachable) {
  std::string out = run_stdout(
      "import socket\ntry:\n socket.create_connection(('1.1.1.1', 80), "
      "timeout=2)\n print('connected')\nexcept OSError as e:\n print(e.errno)");
  EXPECT_EQ(out, "101\n");  // ENETUNREACH: only lo exists
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxIsolationTest, LoopbackWorksInside) {
  SandboxOutcome outcome = run_ok(*sandbox_, python_file_spec("loopback_pair.py"));
  EXPECT_EQ(outcome.stdout_data, "PING\n") << outcome.stderr_data;
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxIsolationTest, GraderFilesAndHomesAreNotVisible) {
  std::string paths[] = {GRADEBOX_BUILD_DIR,
                         TESTS_DIR,
                         TESTS_DIR "/../graders",
                         "/work",
                         "/root",
                         "/home",
                         "/etc/shadow",
                         "/etc/gshadow",
                         "/var",
                         "/sys/fs/cgroup"};
  std::string list;
  for (const std::string& path : paths) {
    ASSERT_EQ(access(path.c_str(), F_OK), 0) << path << " missing on the host";
    list += "'" + path + "',";
  }
  std::string out =
      run_stdout("import os\nprint([p for p in [" + list + "] if os.path.exists(p)])");
  EXPECT_EQ(out, "[]\n");
  expect_next_run_works(*sandbox_);
}

// gradebox-init is PID 1 and its command line is world-readable: it must
// carry neither the run's configuration nor a host path. Its executable's
// path (in the build tree) stays closed to the program.
TEST_F(SandboxIsolationTest, InitCommandLineCarriesNoConfiguration) {
  std::string out = run_stdout(
      "import os\nprint(repr(open('/proc/1/cmdline', 'rb').read()))\n"
      "for link in ('exe', 'cwd', 'root'):\n"
      " try: print(os.readlink('/proc/1/' + link))\n"
      " except OSError as e: print(type(e).__name__)");
  EXPECT_EQ(out,
            "b'gradebox-init\\x00'\nPermissionError\nPermissionError\n"
            "PermissionError\n");
}

// mountinfo names the source of every bind: only fixed install paths and
// the box's own folders may show, never the checkout or the build tree
// (the guard is mounted for guarded programs).
TEST_F(SandboxIsolationTest, MountTableShowsNoCheckoutOrBuildPath) {
  SandboxSpec spec = python_spec(
      "for line in open('/proc/self/mountinfo'):\n"
      " root = line.split()[3]\n"
      " if not (root == '/' or root.startswith(('/opt/gradebox/', "
      "'/tmp/gradebox-boxes/', '/etc/')) or root in ('/null', '/zero', "
      "'/full', '/random', '/urandom', '/dev/null', '/dev/zero', '/dev/full', "
      "'/dev/random', '/dev/urandom')):\n"
      "  print(root)");
  spec.guard_program = true;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.stderr_data;
  EXPECT_EQ(outcome.stdout_data, "");
}

// The box sees the runtime's own part of /usr (python_spec: the python
// profile's view), not the host's compilers, headers or /usr/local.
TEST_F(SandboxIsolationTest, OnlyTheRuntimesPartOfUsrIsVisible) {
  std::string hidden[] = {
      "/usr/local",       "/usr/include", "/usr/bin/gcc",   "/usr/bin/node",
      "/usr/lib/go-1.19", "/usr/lib/gcc", "/usr/share/doc", "/usr/lib/python3/dist-packages"};
  std::string list;
  for (const std::string& path : hidden) {
    ASSERT_EQ(access(path.c_str(), F_OK), 0) << path << " missing on the host";
    list += "'" + path + "',";
  }
  std::string out = run_stdout(
      "import os, json\n"
      "print([p for p in [" +
      list +
      "] if os.path.exists(p)])\n"
      "print(len(os.listdir('/usr/lib/x86_64-linux-gnu')) < 100)");
  EXPECT_EQ(out, "[]\nTrue\n");
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxIsolationTest, RunsAsNobodyWithoutCapabilities) {
  std::string out = run_stdout(
      "import os\nstatus = open('/proc/self/status').read()\n"
      "caps = [l for l in status.splitlines() if l.startswith(('CapEff', "
      "'CapPrm', 'CapBnd', 'NoNewPrivs', 'Seccomp:'))]\n"
      "print(os.getuid(), os.getgid(), os.getgroups(), caps)\n"
      "print(open('/etc/passwd').read().count('sandbox'))");
  EXPECT_EQ(out,
            "65534 65534 [] ['CapPrm:\\t0000000000000000', "
            "'CapEff:\\t0000000000000000', 'CapBnd:\\t0000000000000000', "
            "'NoNewPrivs:\\t1', 'Seccomp:\\t2']\n2\n");
}

TEST_F(SandboxIsolationTest, SystemIsReadOnlyAndTmpIsWritable) {
  std::string out = run_stdout(
      "import os\nfor p in ['/usr/x', '/etc/x', '/x', '/tmp/x']:\n"
      " try:\n  open(p, 'w').write('x'); print('wrote', p)\n"
      " except OSError as e: print(e.errno)");
  EXPECT_EQ(out, "30\n30\n30\nwrote /tmp/x\n");  // EROFS
}

TEST_F(SandboxIsolationTest, KillingTheParentIsRefused) {
  SandboxOutcome outcome = run_ok(*sandbox_, python_file_spec("kill_parent.py"));
  EXPECT_EQ(outcome.stdout_data, "refused 1 1\nrefused 1 1\nsurvived 1\n");
  EXPECT_EQ(outcome.exit_code, 0);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxIsolationTest, StdinDataIsDeliveredThenEof) {
  SandboxSpec spec =
      python_spec("import sys, os\ndata = sys.stdin.read()\nos.write(3, data.encode())");
  spec.stdin_data = std::string(200000, 's') + "end";  // beyond a pipe buffer
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.channel_data, spec.stdin_data);
  spec.stdin_data.clear();
  outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.channel_data, "");
  EXPECT_EQ(outcome.limit, LimitHit::kNone);
}

TEST_F(SandboxIsolationTest, ChannelIsSeparateFromStdout) {
  SandboxOutcome outcome = run_ok(
      *sandbox_, python_spec("import os\nprint('out')\nos.write(3, b'{\"event\": \"done\"}\\n')"));
  EXPECT_EQ(outcome.stdout_data, "out\n");
  EXPECT_EQ(outcome.channel_data, "{\"event\": \"done\"}\n");
}

TEST_F(SandboxIsolationTest, NoFdOfGradeboxLeaksIn) {
  int stray = open("/dev/null", O_RDONLY);  // not close-on-exec on purpose
  ASSERT_GE(stray, 0);
  SandboxOutcome outcome = run_ok(*sandbox_, python_file_spec("open_fds.py"));
  close(stray);
  EXPECT_EQ(outcome.stdout_data, "[0, 1, 2, 3]\n") << outcome.stderr_data;
}

// An observer (a task's harness) shares its uid with the answer it starts;
// the guard closes its memory, descriptors and the channel to that child.
TEST_F(SandboxIsolationTest, GuardedProgramIsClosedToItsChildren) {
  SandboxSpec spec = python_file_spec("observer_guard_probe.py");
  spec.guard_program = true;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  ASSERT_EQ(outcome.exit_code, 0) << outcome.stderr_data;
  auto report = nlohmann::json::parse(outcome.stdout_data);
  EXPECT_EQ(report["dumpable"], 0);
  EXPECT_EQ(report["channel_cloexec"], true);
  EXPECT_EQ(report["LD_PRELOAD"], "");
  const auto& child = report["child"];
  EXPECT_EQ(child["mem"], "PermissionError") << report.dump();
  EXPECT_EQ(child["fd/3"], "PermissionError") << report.dump();
  EXPECT_EQ(child["own fd 3"], "closed");
  EXPECT_EQ(child["LD_PRELOAD"], "");
  EXPECT_EQ(outcome.channel_data, "{\"event\": \"done\"}\n");
  expect_next_run_works(*sandbox_);
}

// Same uid, so only the seccomp shield keeps the answer from stopping or
// killing its observer (which would cost a run's wall time, or its tests).
TEST_F(SandboxIsolationTest, NothingInTheBoxCanSignalAGuardedProgram) {
  SandboxSpec spec = python_file_spec("signal_observer.py");
  spec.guard_program = true;
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.stdout_data,
            "kill 1\nkill-group 1\nkill-all 1\nkill-high-bits 1\ntkill 1\ntgkill 1\n"
            "rt_sigqueueinfo 1\npidfd_open 1\nown-group 0\nobserver alive True\n")
      << outcome.stderr_data;
  EXPECT_EQ(outcome.exit_code, 0);
  expect_next_run_works(*sandbox_);
}

// Without the guard the same child reaches the parent: the test above can fail.
TEST_F(SandboxIsolationTest, UnguardedProgramIsOpenToItsChildren) {
  SandboxOutcome outcome = run_ok(*sandbox_, python_file_spec("observer_guard_probe.py"));
  ASSERT_EQ(outcome.exit_code, 0) << outcome.stderr_data;
  auto report = nlohmann::json::parse(outcome.stdout_data);
  EXPECT_EQ(report["dumpable"], 1);
  EXPECT_EQ(report["child"]["mem"], "opened") << report.dump();
  EXPECT_EQ(report["child"]["own fd 3"], "open");
}

TEST_F(SandboxIsolationTest, ExtraMountsAreReadOnlyUnlessWritable) {
  SandboxSpec spec = python_spec(
      "import os\nprint(open('/box/data/x.txt').read())\n"
      "try:\n open('/box/data/y', 'w')\nexcept OSError as e: print(e.errno)");
  std::string dir = std::string(GRADEBOX_BUILD_DIR) + "/sandbox-test-box";
  mkdir(dir.c_str(), 0755);
  FILE* file = fopen((dir + "/x.txt").c_str(), "w");
  fputs("visible", file);
  fclose(file);
  spec.mounts.push_back({dir, "/box/data", false});
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.stdout_data, "visible\n30\n") << outcome.stderr_data;
}

TEST_F(SandboxIsolationTest, MissingProgramIsASandboxError) {
  SandboxSpec spec = python_spec("");
  spec.argv = {"/usr/bin/no-such-program"};
  auto outcome = sandbox_->run(spec);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("execve(/usr/bin/no-such-program): ENOENT"),
            std::string::npos)
      << outcome.error().message;
  expect_next_run_works(*sandbox_);
}

}  // namespace
}  // namespace gradebox::testing
