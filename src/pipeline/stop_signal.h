// A clean stop on Ctrl-C: the first SIGINT/SIGTERM asks the workers to take
// no new answer (what is stored stays stored, the run resumes later); a
// second one ends the process at once.
#pragma once

#include <atomic>

namespace gradebox::pipeline {

/// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& install_stop_handler();

}  // namespace gradebox::pipeline
