// The filesystem the program sees: a read-only tmpfs root holding the
// merged-usr symlinks, a minimal /etc and /dev, a fresh /proc, a
// size-limited /tmp and the spec's mounts (among them /usr: a runtime's
// view, installed by `make deps`). Nothing else of the host.
#pragma once

#include "gradebox/status.h"
#include "launch_config.h"

namespace gradebox::sandbox {

/// Runs in the PID-1 init, inside the new mount and PID namespaces, before
/// the spec is known: the root tmpfs with /etc, /dev and /proc; the
/// host's root stays at /.oldroot.
Status prepare_base_filesystem();

/// Once the spec is known: /tmp, the spec's binds and copies, then the
/// host's root is unmounted and the root made read-only.
Status finish_filesystem(const LaunchConfig& config);

}  // namespace gradebox::sandbox
