// What a harness run shows a grader author (`grade --verbose`, `rerun-box`):
// each line the harness wrote on the result channel (its observations), made
// safe for a terminal, and a one-line summary of how the run ended. Reading
// only: nothing here feeds a verdict.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gradebox/sandbox.h"

namespace gradebox {

/// The channel's lines, each with control bytes replaced by '?' (the box
/// wrote them: an escape sequence must not reach a terminal) and cut at a
/// few KiB with a note of its full size.
std::vector<std::string> printable_channel_lines(const SandboxOutcome& outcome);

/// "exit 0, cpu 0.21 s, wall 0.30 s, peak 31 MiB" (and the limit or
/// violation that ended it, if any).
std::string outcome_summary(const SandboxOutcome& outcome);

/// --verbose: the harness's argv and the box it runs on, before it starts.
void trace_start(const SandboxSpec& spec, const std::string& box);

/// --verbose: every channel line, then the summary, on stderr.
void trace_outcome(const SandboxOutcome& outcome);

}  // namespace gradebox
