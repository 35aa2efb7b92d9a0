// Names of the limits, shared by gradebox (reports) and gradebox-init (the
// status line it writes).
#include <string_view>

#include "gradebox/sandbox.h"

namespace gradebox {

const char* to_string(LimitHit limit) {
  switch (limit) {
    case LimitHit::kNone:
      return "none";
    case LimitHit::kCpu:
      return "cpu";
    case LimitHit::kWall:
      return "wall";
    case LimitHit::kMemory:
      return "memory";
    case LimitHit::kProcesses:
      return "processes";
    case LimitHit::kOutput:
      return "output";
    case LimitHit::kFileSize:
      return "file-size";
  }
  return "none";
}

}  // namespace gradebox
