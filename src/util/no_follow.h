// Reading a folder tree that someone else made (a benchmark run directory)
// without following symbolic links: an entry is classified by lstat, and
// each open refuses a link, so a run cannot make gradebox read, or even list,
// anything outside it (a link to /etc/shadow, a linked model folder).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "gradebox/status.h"
#include "util/unique_fd.h"

namespace gradebox {

enum class EntryKind { kFolder, kFile, kLink, kOther };

struct FolderEntry {
  std::string name;
  EntryKind kind = EntryKind::kOther;
};

/// Opens the caller's own folder (a link to it is the caller's choice).
Result<UniqueFd> open_folder(const std::filesystem::path& path);

/// Opens `name` inside `folder`; an error if it is a link or not a folder.
Result<UniqueFd> open_folder_at(int folder, const std::string& name);

/// The folder's entries but "." and "..", sorted by name, links not followed.
Result<std::vector<FolderEntry>> list_folder(int folder);

struct CappedText {
  std::string text;        // empty when too large: nothing of it is kept
  bool too_large = false;  // more than max_bytes
};

/// A regular file's text, read only if it holds at most `max_bytes`; an
/// error if `name` is a link or not a regular file (a FIFO never blocks).
Result<CappedText> read_file_at(int folder, const std::string& name, std::size_t max_bytes);

}  // namespace gradebox
