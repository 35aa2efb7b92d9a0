// LaunchGuard: what a launch opens inside it is close-on-exec after it, what
// was open before is left alone, and launches take turns.
#include "trusted/launch_guard.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace gradebox {
namespace {

bool close_on_exec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

TEST(LaunchGuard, WhatALaunchOpenedIsCloseOnExecAfterIt) {
  int before[2], inside[2];
  ASSERT_EQ(::pipe(before), 0);  // inheritable on purpose: not the launch's
  {
    LaunchGuard guard;
    ASSERT_EQ(::pipe(inside), 0);  // as Boost.Process 1.74 opens a launch's pipes
    EXPECT_FALSE(close_on_exec(inside[0]));
  }
  EXPECT_TRUE(close_on_exec(inside[0]));
  EXPECT_TRUE(close_on_exec(inside[1]));
  EXPECT_FALSE(close_on_exec(before[0]));
  EXPECT_FALSE(close_on_exec(before[1]));
  for (int fd : {before[0], before[1], inside[0], inside[1]}) ::close(fd);
}

TEST(LaunchGuard, ASecondLaunchWaitsForTheFirst) {
  std::atomic<bool> second_in{false};
  std::thread second;
  {
    LaunchGuard first;
    second = std::thread([&] {
      LaunchGuard guard;
      second_in = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(second_in);
  }
  second.join();
  EXPECT_TRUE(second_in);
}

}  // namespace
}  // namespace gradebox
