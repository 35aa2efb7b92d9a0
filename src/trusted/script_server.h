// Trusted task scripts (a task's check.py, probe.py) served by fork servers instead of
// a fresh interpreter per call: graders/_trusted/gb_script_server.py imports
// the script once and runs each request in a forked child, as `python3 -I -S
// script < stdin` would. Saves the interpreter's start and the script's
// imports (~25-40 ms) on each of the ~70 checks and probes of a sample run.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "gradebox/status.h"
#include "trusted/trusted_process.h"

namespace gradebox {

struct ScriptCall {
  std::filesystem::path script;  // absolute; the server runs in its folder
  std::string stdin_data;
  std::chrono::milliseconds timeout{60000};
  std::string network_namespace;  // RunningSandbox::network_namespace_path(); empty: the host's
};

/// Runs the script through an idle server of a process-wide pool (one is
/// started when none is idle, so parallel callers never wait on each other).
/// A server that cannot start or dies is replaced by a one-shot run; a call
/// that times out is an Error, as with run_trusted. A call with a
/// network_namespace is always a one-shot run, started in that network
/// through the sandbox's NetworkEntry (the servers stay on the host's).
Result<TrustedOutput> run_script(const ScriptCall& call);

/// Starts a server for `script` now, unless one is idle, so that its
/// interpreter start and imports (~50-80 ms) overlap the sandboxed run
/// instead of following it. The server waits in the pool for run_script.
void prestart_script(const std::filesystem::path& script);

}  // namespace gradebox
