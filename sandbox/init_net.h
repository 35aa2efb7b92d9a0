// The private network namespace's only interface, and the UTS names.
#pragma once

#include "gradebox/status.h"

namespace gradebox::sandbox {

/// Brings `lo` up (ioctl SIOCSIFFLAGS), so 127.0.0.1 works inside.
Status bring_loopback_up();

/// hostname and domainname of the new UTS namespace.
Status set_sandbox_hostname();

}  // namespace gradebox::sandbox
