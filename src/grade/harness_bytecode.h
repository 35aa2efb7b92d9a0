// Python harness modules as bytecode, compiled once per host. A box is new
// for every run, so without it Python would compile gbharness and its
// helpers afresh each time (~35 ms of the flatten harness's CPU). The .pyc
// files are checked-hash ones: Python uses one only when the source beside
// it hashes the same, so a stale file costs a compile, never a wrong harness.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gradebox/task.h"

namespace gradebox {

struct BoxExtraFile {
  std::filesystem::path from;  // on the host
  std::string to;              // relative to the box, e.g. "__pycache__/gb_json.cpython-311.pyc"
};

/// The compiled modules of `task`'s harness, for its box; empty when the
/// harness is not Python or they cannot be compiled (Python then compiles
/// them itself, as before). Compiles at most once per process and module.
std::vector<BoxExtraFile> harness_bytecode(const Task& task);

}  // namespace gradebox
