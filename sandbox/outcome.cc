#include "outcome.h"

#include <signal.h>

namespace gradebox::sandbox {
namespace {

// The first limit that explains the end wins: output (gradebox stopped the
// run), memory (the OOM killer), then the init's wall/CPU verdict, then the
// rlimit signals and refused forks.
LimitHit decide_limit(const InitReport& report, const CgroupStats& stats,
                      const SandboxLimits& limits, bool output_exceeded) {
  if (output_exceeded) return LimitHit::kOutput;
  if (stats.oom_kills > 0) return LimitHit::kMemory;
  if (report.limit != LimitHit::kNone) return report.limit;
  if (report.term_signal == SIGXCPU) return LimitHit::kCpu;
  // RLIMIT_CPU's hard limit ends a program that ignores SIGXCPU.
  if (report.term_signal == SIGKILL && stats.cpu_seconds >= limits.cpu_seconds) {
    return LimitHit::kCpu;
  }
  if (report.term_signal == SIGXFSZ) return LimitHit::kFileSize;
  if (stats.pids_refused > 0) return LimitHit::kProcesses;
  return LimitHit::kNone;
}

}  // namespace

InitReport killed_report() {
  InitReport report;
  report.exited = false;
  report.term_signal = SIGKILL;
  return report;
}

SandboxOutcome compose_outcome(const InitReport& report, const CgroupStats& stats,
                               const SandboxLimits& limits, bool output_exceeded, Streams streams) {
  SandboxOutcome outcome;
  outcome.exited = report.exited;
  outcome.exit_code = report.exit_code;
  outcome.term_signal = report.term_signal;
  outcome.cpu_seconds = stats.cpu_seconds;
  outcome.wall_seconds = report.wall_seconds;
  outcome.peak_memory_bytes = stats.peak_memory_bytes;
  outcome.limit = decide_limit(report, stats, limits, output_exceeded);
  outcome.violation = report.violation;
  outcome.stdout_data = std::move(streams.stdout_data);
  outcome.stderr_data = std::move(streams.stderr_data);
  outcome.channel_data = std::move(streams.channel_data);
  outcome.stdout_truncated = streams.stdout_truncated;
  outcome.stderr_truncated = streams.stderr_truncated;
  outcome.channel_truncated = streams.channel_truncated;
  return outcome;
}

}  // namespace gradebox::sandbox
