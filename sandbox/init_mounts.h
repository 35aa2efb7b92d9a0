// The filesystem the program sees: a read-only tmpfs root holding /usr (and
// the merged-usr symlinks), a minimal /etc and /dev, a fresh /proc, a
// size-limited /tmp and the spec's bind mounts. Nothing else of the host.
#pragma once

#include "gradebox/status.h"
#include "launch_config.h"

namespace gradebox::sandbox {

/// Runs in the PID-1 init, inside the new mount and PID namespaces. On
/// return the root is the new tmpfs and the host's root is unmounted.
Status build_filesystem(const LaunchConfig& config);

}  // namespace gradebox::sandbox
