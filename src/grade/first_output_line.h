// Asks a trusted host program a one-line question (a toolchain's version):
// runs argv unsandboxed with stdin from /dev/null and returns the first line
// it writes to stdout or stderr. posix_spawn with plain pipes, so asking
// costs no fork of a multi-threaded gradebox and no Boost.Process to compile.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gradebox {

/// The first line (without its newline) argv[0] writes, after it exited;
/// nullopt when it cannot be started or writes nothing. argv[0] is a path
/// (no PATH search).
std::optional<std::string> first_output_line(const std::vector<std::string>& argv);

}  // namespace gradebox
