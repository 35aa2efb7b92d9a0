// Every file gradebox writes (leaderboards, HTML, JUnit, diffs, per-answer
// reports, the host cache) goes through here: the text goes to a temporary
// in the target's folder that is then renamed over the target. A reader
// never sees half a file; a failed write (a full disk) leaves the old file
// and no temporary; a symlink at the target is replaced, never followed, so
// a planted link cannot make gradebox (often root) overwrite its target.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gradebox/status.h"
#include "util/unique_fd.h"

namespace gradebox {

/// Writes `text` to `target` atomically. The folders above the target are
/// the caller's own path and are followed. A device or pipe at the target
/// (`-o /dev/null`, `/dev/stdout`) is written in place: renaming over it
/// would replace the device, and no file can be truncated through it.
Status write_file_atomically(const std::filesystem::path& target, std::string_view text);

/// Writes `text` to `name` inside the open folder `folder` atomically; links
/// are never followed. `shown` names the file in error messages.
Status write_file_atomically_at(int folder, const std::string& name, std::string_view text,
                                const std::filesystem::path& shown);

/// Opens root/parts[0]/parts[1]/..., creating what is missing. `root` is the
/// caller's own path (followed); below it a symlink is an error, never
/// followed. Each part must be a plain name (no '/', not "." or "..").
Result<UniqueFd> open_folders_below(const std::filesystem::path& root,
                                    const std::vector<std::string>& parts);

}  // namespace gradebox
