// The isolation layer's public interface. sandbox/ implements it; nothing in
// it knows about tasks or grading. A run is: fresh mount, PID, network
// (loopback only), IPC and UTS namespaces; an unprivileged uid with no
// capabilities and no_new_privs; a libseccomp deny-list; cgroup (v1 or v2)
// memory and process limits, rlimits for CPU, file size and open files; and a
// small PID-1 init that reaps orphans and reports the program's status.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gradebox/status.h"

namespace gradebox {

/// Where `make deps` installs what boxes mount: each runtime's view of /usr
/// (runtimes/<name>/usr), npm packages, the Go harness. A fixed path: a box
/// can read its mount table, which must name no checkout or build folder.
inline constexpr const char* kInstallRoot = "/opt/gradebox";

/// A host path made visible inside the sandbox. Read-only unless writable.
struct BindMount {
  std::string source;  // host path (file or directory)
  std::string target;  // absolute path inside the sandbox
  bool writable = false;
  /// A small regular file copied into the box instead of bound: its host
  /// path (e.g. in the build tree) never shows in the box's mountinfo.
  bool copy = false;
};

/// Resource limits of one run. Zero means "use the default".
struct SandboxLimits {
  double cpu_seconds = 10.0;                    // RLIMIT_CPU-style, whole tree
  double wall_seconds = 30.0;                   // backstop against sleeping/blocked
  std::uint64_t memory_bytes = 512ull << 20;    // cgroup memory limit
  int max_processes = 64;                       // cgroup pids limit (threads count)
  std::uint64_t file_size_bytes = 16ull << 20;  // RLIMIT_FSIZE
  int open_files = 256;                         // RLIMIT_NOFILE
  std::uint64_t output_bytes = 1ull << 20;      // stdout and stderr, each
  std::uint64_t channel_bytes = 64ull << 20;    // the result channel (fd 3)
  std::uint64_t tmpfs_bytes = 64ull << 20;      // size of the writable /tmp
};

/// What to run and what it may see. argv[0] is an absolute path inside the
/// sandbox. The environment is exactly `env` (nothing is inherited).
struct SandboxSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  /// Beyond the base system (a minimal /etc, /dev, /proc, /tmp). /usr too:
  /// a runtime's view (kInstallRoot/runtimes/<name>/usr), never the host's.
  std::vector<BindMount> mounts;
  std::string cwd = "/tmp";
  std::string stdin_data;  // empty: stdin reads EOF at once
  SandboxLimits limits;
  bool loopback = true;  // bring `lo` up in the private network namespace
  /// The program supervises untrusted children of the same uid: start it
  /// non-dumpable (its memory and descriptors closed to them through /proc)
  /// with fd 3 close-on-exec, by LD_PRELOAD of the sandbox's observer guard.
  /// A statically linked program must call prctl(PR_SET_DUMPABLE, 0) itself.
  /// Nothing in the box may signal it either (seccomp_policy.h's signal
  /// shield), and it cannot signal itself.
  bool guard_program = false;
  /// Extra syscalls a runtime needs on top of the default policy's allow-all
  /// minus deny-list (reserved for per-runtime variants; empty by default).
  std::vector<std::string> seccomp_allow;
};

/// Which limit, if any, ended the run.
enum class LimitHit { kNone, kCpu, kWall, kMemory, kProcesses, kOutput, kFileSize };
const char* to_string(LimitHit limit);

/// What happened to one run. A sandbox fault is never an Outcome: it is an
/// Error from Sandbox::run (two error channels, as in isolate).
struct SandboxOutcome {
  bool exited = false;  // true: exit_code is valid; false: killed by term_signal
  int exit_code = -1;
  int term_signal = 0;
  double cpu_seconds = 0;  // user + system of the program and its descendants
  double wall_seconds = 0;
  std::uint64_t peak_memory_bytes = 0;
  LimitHit limit = LimitHit::kNone;
  std::string violation;  // name of the blocked syscall, e.g. "ptrace"; empty if none
  std::string stdout_data;
  std::string stderr_data;
  std::string channel_data;  // everything written to fd 3 (the result channel)
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  bool channel_truncated = false;
};

/// A sandboxed program that is still running (servers probed from outside).
class RunningSandbox {
 public:
  virtual ~RunningSandbox() = default;
  /// Runs `fn` on a thread that has joined the sandbox's network namespace
  /// (and nothing else of it), so trusted code can reach its loopback ports.
  virtual Status in_network(const std::function<void()>& fn) = 0;
  /// A path that opens the network namespace from gradebox's own process,
  /// for a trusted helper that should join it. It stays valid while this
  /// object lives, even after the program and its box have ended (the
  /// helper then finds an empty network: nothing listens).
  virtual std::string network_namespace_path() const = 0;
  /// Waits for the program to end (or a limit to end it) and reports.
  virtual Result<SandboxOutcome> wait() = 0;
  /// Ends the whole process tree now; wait() then reports what happened.
  virtual void kill() = 0;
};

/// The one way for a trusted helper process that gradebox starts (a task's
/// prober) into a sandbox's network, to reach the servers listening on its
/// loopback: nothing outside sandbox/ enters a namespace itself. Opened from
/// gradebox's process while the sandbox surely exists; the launcher then
/// calls join_in_child() in the forked child, before it execs.
class NetworkEntry {
 public:
  /// Opens `path` (RunningSandbox::network_namespace_path()); an Error names it.
  static Result<NetworkEntry> open(const std::string& path);
  NetworkEntry(NetworkEntry&& other) noexcept;
  NetworkEntry& operator=(NetworkEntry&&) = delete;
  ~NetworkEntry();
  /// Joins the namespace, for the calling thread only: call it in a forked
  /// child before exec. Async-signal-safe (gradebox is multi-threaded);
  /// false when the kernel refuses.
  bool join_in_child() const noexcept;

 private:
  explicit NetworkEntry(int fd) : fd_(fd) {}
  int fd_ = -1;
};

/// The isolation layer. Implementations: the namespace sandbox (real) and
/// FakeSandbox in tests (no root needed).
class Sandbox {
 public:
  virtual ~Sandbox() = default;
  virtual Result<std::unique_ptr<RunningSandbox>> start(const SandboxSpec& spec) = 0;
  /// start() then wait().
  Result<SandboxOutcome> run(const SandboxSpec& spec);
};

/// The real sandbox. Fails (with a clear Error, never by running unconfined)
/// when this machine cannot isolate: not root and no user namespaces,
/// seccomp missing, the init helper missing.
Result<std::unique_ptr<Sandbox>> make_namespace_sandbox();

/// Removes what an earlier gradebox that was killed left behind (cgroups,
/// temporary directories of processes that no longer exist).
void clean_stale_sandboxes();

}  // namespace gradebox
