// The real runtime profiles mount only what `make deps` installed under
// /opt/gradebox: a box can read its mount table, which must not name the
// checkout or the build folder, and its /usr is the runtime's own view.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "grade/runtime_profile.h"

namespace gradebox {
namespace {

const std::filesystem::path kGraders = std::filesystem::path(GRADEBOX_SOURCE_DIR) / "graders";

class RealRuntimeProfile : public ::testing::TestWithParam<std::string> {};

TEST_P(RealRuntimeProfile, MountsOnlyInstalledPaths) {
  auto profile = load_runtime_profile(GetParam(), kGraders);
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  ASSERT_FALSE(profile->mounts.empty());
  for (const BindMount& mount : profile->mounts) {
    EXPECT_EQ(mount.source.rfind(std::string(kInstallRoot) + "/", 0), 0u) << mount.source;
    EXPECT_EQ(mount.source.find(GRADEBOX_SOURCE_DIR), std::string::npos) << mount.source;
  }
}

TEST_P(RealRuntimeProfile, UsrIsTheRuntimesInstalledView) {
  auto profile = load_runtime_profile(GetParam(), kGraders);
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  const BindMount& first = profile->mounts.at(0);
  EXPECT_EQ(first.target, "/usr");
  EXPECT_EQ(first.source, std::string(kInstallRoot) + "/runtimes/" + GetParam() + "/usr");
  EXPECT_FALSE(first.writable);
}

INSTANTIATE_TEST_SUITE_P(Profiles, RealRuntimeProfile, ::testing::Values("python", "node", "go"));

}  // namespace
}  // namespace gradebox
