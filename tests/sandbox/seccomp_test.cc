// The deny-list: a blocked call ends the caller and is reported by name;
// a program that raises SIGSYS itself is a crash, not a violation.
#include <gtest/gtest.h>
#include <signal.h>

#include "sandbox_test_support.h"

namespace gradebox::testing {
namespace {

class SandboxSeccompTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = make_sandbox();
    ASSERT_NE(sandbox_, nullptr);
  }
  SandboxOutcome run_ctypes(const std::string& call) {
    return run_ok(*sandbox_, python_spec("import ctypes\nlibc = ctypes.CDLL(None)\n" + call +
                                         "\nprint('not blocked')"));
  }
  void expect_violation(const SandboxOutcome& outcome, const std::string& name) {
    EXPECT_EQ(outcome.violation, name);
    EXPECT_FALSE(outcome.exited);
    EXPECT_EQ(outcome.term_signal, SIGSYS);
    EXPECT_EQ(outcome.stdout_data, "");  // the call never returned
    expect_next_run_works(*sandbox_);
  }
  std::unique_ptr<Sandbox> sandbox_;
};

TEST_F(SandboxSeccompTest, PtraceIsAViolation) {
  expect_violation(run_ctypes("libc.ptrace(0, 0, 0, 0)"), "ptrace");
}

TEST_F(SandboxSeccompTest, MountIsAViolation) {
  expect_violation(run_ctypes("libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)"), "mount");
}

TEST_F(SandboxSeccompTest, UnshareIsAViolation) {
  expect_violation(run_ctypes("libc.unshare(0x40000000)"),
                   "unshare");  // NEWNET
}

TEST_F(SandboxSeccompTest, CloneWithNamespaceFlagsIsAViolation) {
  // syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)
  expect_violation(run_ctypes("libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0)"), "clone");
}

TEST_F(SandboxSeccompTest, NewMountApiIsAViolation) {
  expect_violation(run_ctypes("libc.syscall(430, b'tmpfs', 0)"), "fsopen");
}

// Another ABI's numbering (x32: nr | 0x40000000) would slip past rules
// written for the native one: refused, and named like any violation.
TEST_F(SandboxSeccompTest, X32CallIsANamedViolation) {
  expect_violation(run_ctypes("libc.syscall(0x40000027)"), "x32 getpid (0x40000027)");
}

// A guarded program (a task's harness, whose children are answers) stacks
// the signal shield: its filter must not turn the call into a silent kill.
TEST_F(SandboxSeccompTest, X32CallUnderTheSignalShieldIsANamedViolation) {
  SandboxSpec spec = python_spec(
      "import ctypes\nctypes.CDLL(None).syscall(0x40000027)\n"
      "print('not blocked')");
  spec.guard_program = true;
  expect_violation(run_ok(*sandbox_, spec), "x32 getpid (0x40000027)");
}

TEST_F(SandboxSeccompTest, RaisingSigsysItselfIsACrashNotAViolation) {
  SandboxOutcome outcome =
      run_ok(*sandbox_, python_spec("import os, signal\nos.kill(os.getpid(), signal.SIGSYS)"));
  EXPECT_EQ(outcome.violation, "");
  EXPECT_FALSE(outcome.exited);
  EXPECT_EQ(outcome.term_signal, SIGSYS);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxSeccompTest, ViolationInAChildIsReportedAndTheParentGoesOn) {
  SandboxOutcome outcome =
      run_ok(*sandbox_, python_spec("import os, ctypes\npid = os.fork()\nif pid == 0:\n"
                                    " ctypes.CDLL(None).ptrace(0, 0, 0, 0)\n os._exit(0)\n"
                                    "print(os.waitpid(pid, 0)[1])"));
  EXPECT_EQ(outcome.violation, "ptrace");
  EXPECT_EQ(outcome.stdout_data, "9\n");  // the child was killed
  EXPECT_EQ(outcome.exit_code, 0);
  expect_next_run_works(*sandbox_);
}

TEST_F(SandboxSeccompTest, RuntimeProbesFailSoftly) {
  SandboxOutcome outcome = run_ok(*sandbox_, python_file_spec("io_uring_probe.py"));
  EXPECT_EQ(outcome.stdout_data, "[38, 38, 97, 7]\n") << outcome.stderr_data;
  EXPECT_EQ(outcome.violation, "");
}

TEST_F(SandboxSeccompTest, AllowListLiftsADenial) {
  SandboxSpec spec = python_spec("import ctypes\nprint(ctypes.CDLL(None).ptrace(0, 0, 0, 0))");
  spec.seccomp_allow = {"ptrace"};
  SandboxOutcome outcome = run_ok(*sandbox_, spec);
  EXPECT_EQ(outcome.violation, "");
  EXPECT_EQ(outcome.exit_code, 0);
}

}  // namespace
}  // namespace gradebox::testing
