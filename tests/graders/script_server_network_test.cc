// A probe runs in the sandbox's network namespace, entered through the
// sandbox's NetworkEntry before exec (root needed: setns); the pooled
// servers stay on the host's network.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "trusted/script_server.h"
#include "../support/script_folder.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

class ScriptServerNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_.write("task/probe.py", "import os\nprint(os.readlink('/proc/self/ns/net'))\n");
    // A process in a network namespace of its own: the "sandbox".
    holder_ = ::fork();
    if (holder_ == 0) {
      if (::unshare(CLONE_NEWNET) != 0) ::_exit(1);
      ::pause();
      ::_exit(0);
    }
  }
  void TearDown() override {
    ::kill(holder_, SIGKILL);
    ::waitpid(holder_, nullptr, 0);
  }

  Result<TrustedOutput> call(const std::string& netns) {
    ScriptCall c;
    c.script = folder_.path("task/probe.py");
    c.network_namespace = netns;
    return run_script(c);
  }

  static std::string namespace_of(const std::string& path) {
    return fs::read_symlink(path).string();
  }

  testing::ScriptFolder folder_{"gb_script_netns"};
  pid_t holder_ = -1;
};

TEST_F(ScriptServerNetworkTest, EachCallRunsInTheNamespaceItNames) {
  const std::string sandbox_ns = "/proc/" + std::to_string(holder_) + "/ns/net";
  for (int tries = 0; namespace_of(sandbox_ns) == namespace_of("/proc/self/ns/net") && tries < 500;
       ++tries)
    ::usleep(2000);  // until the holder has unshared
  ASSERT_NE(namespace_of(sandbox_ns), namespace_of("/proc/self/ns/net"));

  auto inside = call(sandbox_ns);
  ASSERT_TRUE(inside.ok()) << inside.error().message;
  EXPECT_EQ(inside->stdout_data, namespace_of(sandbox_ns) + "\n");
  // A host call then runs on the host's network: the join stayed in that child.
  auto host = call("");
  ASSERT_TRUE(host.ok()) << host.error().message;
  EXPECT_EQ(host->stdout_data, namespace_of("/proc/self/ns/net") + "\n");
}

TEST_F(ScriptServerNetworkTest, ANamespaceThatIsGoneIsAnErrorNamingItAndTheServerGoesOn) {
  auto gone = call("/proc/999999999/ns/net");
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.error().message.find("open(/proc/999999999/ns/net)"), std::string::npos);
  auto host = call("");
  ASSERT_TRUE(host.ok()) << host.error().message;
  EXPECT_EQ(host->exit_code, 0);
}

}  // namespace
}  // namespace gradebox
