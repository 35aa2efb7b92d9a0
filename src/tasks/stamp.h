// Content hashes: a grader's version stamp changes whenever anything that
// decides its verdicts changes, so cached results and nightly comparisons
// know when the grader itself moved.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "util/text_hash.h"

namespace gradebox {

/// An order-sensitive hash over labelled pieces of content.
class ContentHash {
 public:
  void add(std::string_view label, std::string_view content);
  /// The file's bytes; a missing file hashes as its absence.
  void add_file(const std::filesystem::path& file, std::string_view label);
  /// Every regular file below `dir` (sorted relative paths and contents),
  /// skipping caches, build outputs, node_modules, dot files and the
  /// top-level entries named in `skip_top`.
  void add_folder(const std::filesystem::path& dir, std::string_view label,
                  const std::set<std::string>& skip_top = {});
  std::string hex() const;

 private:
  std::uint64_t state_ = kFnvOffset;
};

}  // namespace gradebox
