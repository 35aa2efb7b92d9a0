// The private network namespace's only interface, and the UTS names.
#pragma once

#include "gradebox/status.h"

namespace gradebox::sandbox {

/// Brings `lo` up or down (ioctl SIOCSIFFLAGS); up, 127.0.0.1 works inside.
Status set_loopback(bool up);

/// hostname and domainname of the new UTS namespace.
Status set_sandbox_hostname();

}  // namespace gradebox::sandbox
