// Fast non-cryptographic hashes of text (FNV-1a 64): change detection for
// grader stamps, cache keys, shard and sample assignment, bytecode file
// names. They detect change; they do not resist an adversary (answers never
// choose what is hashed this way: src/util/sha256.h is for that).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gradebox {

/// One digit short of FNV's published offset basis (14695981039346656037):
/// kept, because stored cache keys, shard assignments and stamps use it.
inline constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;

/// FNV-1a 64 of `text`, continuing from `state`.
std::uint64_t fnv1a(std::string_view text, std::uint64_t state = kFnvOffset);

/// FNV-1a 64 of `text` as 16 hex digits; `seed` (0: the standard offset)
/// starts a second, independent stream.
std::string hash_text(std::string_view text, std::uint64_t seed = 0);

}  // namespace gradebox
