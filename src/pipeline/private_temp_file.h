// A temporary file only this user can read (mode 0600, made by mkstemp in
// $TMPDIR or /tmp), for text handed to a child process by name: the
// reasoning of an answer, which `gradebox grade --reasoning FILE` reads
// while the answer itself comes on its stdin. Removed when the object goes.
#pragma once

#include <string>

#include "gradebox/status.h"

namespace gradebox::pipeline {

class PrivateTempFile {
 public:
  /// A new file named gradebox-<what>-XXXXXX holding `text`.
  static Result<PrivateTempFile> write(const std::string& what, const std::string& text);

  PrivateTempFile(PrivateTempFile&& other) noexcept;
  PrivateTempFile& operator=(PrivateTempFile&&) = delete;
  PrivateTempFile(const PrivateTempFile&) = delete;
  ~PrivateTempFile();

  const std::string& path() const { return path_; }

 private:
  explicit PrivateTempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;  // empty once moved from
};

}  // namespace gradebox::pipeline
