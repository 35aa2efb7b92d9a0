// Content hashes: a grader's version stamp changes whenever any file of its
// pack changes (tests, harness, shared helpers), so cached results and
// nightly comparisons know when the grader itself moved.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gradebox {

/// FNV-1a 64 of `text`, as 16 hex digits. Not cryptographic: it detects
/// change, it does not resist an adversary (answers never choose graders).
std::string hash_text(const std::string& text, std::uint64_t seed = 0);

/// Hash over every regular file below `dir` (sorted relative paths and
/// contents) plus the `extra` files, skipping caches and node_modules.
std::string folder_hash(const std::filesystem::path& dir,
                        const std::vector<std::filesystem::path>& extra = {});

}  // namespace gradebox
