// One Boost.Process launch at a time, and nothing it opened left
// inheritable. Boost 1.74 opens a launch's pipes without O_CLOEXEC (the
// exec-error pipe gets FD_CLOEXEC only after pipe(2), the stdio pipes never),
// so a child another thread starts meanwhile inherits them. The launch then
// waits for that child to exit before it learns its own exec worked (forever,
// when the other child is a pooled script server), and a child never sees
// EOF on a stdin whose write end another child holds. Every Boost launch in
// gradebox runs inside a LaunchGuard.
#pragma once

#include <mutex>
#include <vector>

namespace gradebox {

class LaunchGuard {
 public:
  /// Waits for any other launch, then notes this process's open descriptors.
  LaunchGuard();
  /// Marks every descriptor opened since close-on-exec (the launch's own
  /// ends of its pipes), then lets the next launch in.
  ~LaunchGuard();
  LaunchGuard(const LaunchGuard&) = delete;
  LaunchGuard& operator=(const LaunchGuard&) = delete;

 private:
  std::unique_lock<std::mutex> lock_;
  std::vector<int> open_before_;
};

}  // namespace gradebox
