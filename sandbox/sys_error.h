// Errors that name the failed call, its argument and errno's name, e.g.
// "mount(/usr, /newroot/usr): EPERM" (errors are values: include/gradebox/status.h).
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "gradebox/status.h"

namespace gradebox::sandbox {

inline std::string errno_name(int error) {
  const char* name = strerrorname_np(error);
  return name ? name : "errno " + std::to_string(error);
}

/// Error{"<call>(<argument>): <ERRNO>"} from the current errno.
inline Error sys_error(const std::string& call, const std::string& argument) {
  return Error{call + "(" + argument + "): " + errno_name(errno)};
}

/// Returns early from a function returning Status/Result when `expr` fails.
#define GB_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    auto gb_status_ = (expr);                        \
    if (!gb_status_.ok()) return gb_status_.error(); \
  } while (0)

}  // namespace gradebox::sandbox
