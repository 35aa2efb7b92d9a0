// `grade --keep-box`: what a kept box needs to be run again by hand. Beside
// the box folder (never inside it: the box is what the sandbox sees, and the
// prober's input holds the expectations) goes rerun.json: the sandbox spec
// the harness ran under and, for server tasks, the prober call. `gradebox
// rerun-box FOLDER` reads it back and runs the same harness, in the same
// sandbox, on the same box (cli/rerun_box_command.cc).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "gradebox/sandbox.h"
#include "gradebox/status.h"
#include "grade/box.h"
#include "trusted/script_server.h"

namespace gradebox {

/// One harness run as it can be repeated.
struct KeptRun {
  SandboxSpec spec;
  std::optional<ScriptCall> probe;  // its network_namespace is set at the re-run
};

/// Writes <box's folder>/rerun.json and tells stderr where the box is and the
/// command that runs it again.
Status keep_for_rerun(const Box& box, const KeptRun& run);

/// Reads FOLDER/rerun.json back; an Error names what is wrong with it.
Result<KeptRun> read_kept_run(const std::filesystem::path& folder);

}  // namespace gradebox
