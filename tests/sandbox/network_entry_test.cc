// NetworkEntry (include/gradebox/sandbox.h): the one way a trusted helper's
// child enters a sandbox's network. Root needed (setns).
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "gradebox/sandbox.h"

namespace gradebox {
namespace {

std::string namespace_of(const std::string& path) {
  return std::filesystem::read_symlink(path).string();
}

// A process in a network namespace of its own, as a sandbox's init is.
class NetworkHolder {
 public:
  NetworkHolder() {
    pid_ = ::fork();
    if (pid_ == 0) {
      if (::unshare(CLONE_NEWNET) != 0) ::_exit(1);
      ::pause();
      ::_exit(0);
    }
    for (int tries = 0; tries < 500 && namespace_of(path()) == namespace_of("/proc/self/ns/net");
         ++tries)
      ::usleep(2000);  // until it has unshared
  }
  ~NetworkHolder() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::string path() const { return "/proc/" + std::to_string(pid_) + "/ns/net"; }

 private:
  pid_t pid_ = -1;
};

TEST(NetworkEntry, AForkedChildJoinsTheNamespaceAndTheParentStaysOnTheHost) {
  NetworkHolder holder;
  const std::string host = namespace_of("/proc/self/ns/net");
  ASSERT_NE(namespace_of(holder.path()), host);
  auto entry = NetworkEntry::open(holder.path());
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  pid_t child = ::fork();
  if (child == 0) {
    if (!entry->join_in_child()) ::_exit(2);
    ::_exit(namespace_of("/proc/self/ns/net") == namespace_of(holder.path()) ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(namespace_of("/proc/self/ns/net"), host);
}

TEST(NetworkEntry, ANamespaceThatIsGoneIsAnErrorNamingIt) {
  auto entry = NetworkEntry::open("/proc/999999999/ns/net");
  ASSERT_FALSE(entry.ok());
  EXPECT_NE(entry.error().message.find("open(/proc/999999999/ns/net)"), std::string::npos);
}

TEST(NetworkEntry, AMovedFromEntryJoinsNothing) {
  auto entry = NetworkEntry::open("/proc/self/ns/net");
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  NetworkEntry moved(std::move(*entry));
  EXPECT_FALSE(entry->join_in_child());
  EXPECT_TRUE(moved.join_in_child());  // its own namespace: a harmless join
}

}  // namespace
}  // namespace gradebox
