// Small facts about this host that cost a process to learn (the reference's
// timings, a toolchain's version), kept under $XDG_CACHE_HOME/gradebox so
// each gradebox process does not pay for them again.
#pragma once

#include <filesystem>
#include <string>

namespace gradebox {

/// $XDG_CACHE_HOME/gradebox/<kind> (else ~/.cache/..., else /tmp/.cache/...).
std::filesystem::path host_cache_dir(const std::string& kind);

/// The file's text, or "" when it cannot be read.
std::string read_cached(const std::filesystem::path& file);

/// Writes the file (creating its folder); a failure only means no cache.
void write_cached(const std::filesystem::path& file, const std::string& text);

}  // namespace gradebox
