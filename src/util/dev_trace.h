// The dev loop's trace (`gradebox grade --verbose`): a process-wide switch and
// a line sink on stderr, so the harness runner and the trusted-script runner
// can show a grader author what they saw and called without every layer in
// between carrying a flag. Off by default; tracing never changes a verdict.
#pragma once

#include <string_view>

namespace gradebox {

/// Turns the trace on for the rest of the process.
void enable_dev_trace();

bool dev_trace_on();

/// Writes "gradebox: <topic>: <line>" to stderr when the trace is on. Whole
/// lines under a lock, so parallel gradings do not interleave within one.
void dev_trace(std::string_view topic, std::string_view line);

}  // namespace gradebox
