// Data from the answer's side is parsed under declared limits: a line over
// the cap or nested past the depth limit is refused and named, never parsed.
#include <gtest/gtest.h>

#include "../support/in_child.h"
#include "check/bounded_json.h"
#include "check/checker.h"
#include "check/observations.h"

namespace gradebox {
namespace {

TEST(BoundedJson, PlainValuesWithinTheLimitsParse) {
  auto value = parse_bounded(R"({"a": [1, "]]]\"[[["]})");
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ((*value)["a"][1], "]]]\"[[[");
}

TEST(BoundedJson, DepthIsCountedOutsideStringsAndStopsEarly) {
  EXPECT_EQ(nesting_depth(R"([[["[[[[[["]]])", 100), 3);
  EXPECT_EQ(nesting_depth(std::string(1000000, '['), 2000), 2001);
}

TEST(BoundedJson, AMillionLevelsAreRefusedNotParsed) {
  std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  auto value = parse_bounded(deep, {4u << 20, 2000});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().message, "nested deeper than the 2000-level limit");
  EXPECT_TRUE(parse_bounded(std::string(2000, '[') + std::string(2000, ']')).ok());
}

TEST(BoundedJson, ALineOverTheCapIsRefused) {
  auto value = parse_bounded("\"" + std::string(2 << 20, 'x') + "\"");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().message, "over the 1048576-byte line limit");
}

TEST(BoundedJson, AnOverLimitChannelLineFailsItsTestNamingTheLimit) {
  std::string channel =
      "{\"event\": \"start\"}\n{\"event\": \"test\", \"id\": \"a\", \"status\": \"ok\", "
      "\"value\": " +
      std::string(100000, '[') + std::string(100000, ']') + "}\n" +
      "{\"event\": \"test\", \"id\": \"b\", \"status\": \"ok\", \"value\": 1}\n";
  Observations obs = parse_observations(channel, {"a", "b"});
  EXPECT_TRUE(obs.started);
  EXPECT_EQ(obs.tests.count("a"), 0u);
  EXPECT_EQ(obs.tests.count("b"), 1u);
  EXPECT_EQ(obs.limit_note, "a channel line was nested deeper than the 2000-level limit");
  SandboxOutcome outcome;
  outcome.exited = true;
  outcome.exit_code = 0;
  auto result = status_without_value("a", obs, outcome);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, TestStatus::kFail);
  EXPECT_NE(result->detail.find("2000-level limit"), std::string::npos) << result->detail;
}

TEST(BoundedJson, AChannelLine20000DeepIsRefusedNamingTheLimit) {
  std::string line = "{\"event\": \"load\", \"report\": " + std::string(20000, '[') +
                     std::string(20000, ']') + "}\n";
  Observations obs = parse_observations("{\"event\": \"start\"}\n" + line, {});
  EXPECT_FALSE(obs.load.has_value());
  EXPECT_EQ(obs.limit_note, "a channel line was nested deeper than the 2000-level limit");
}

TEST(BoundedJson, BriefWritesOnlyTheHeadOfADeepValue) {
  for (int depth : {20000, 1000000}) {
    const auto deep = nlohmann::json::parse(std::string(depth, '[') + std::string(depth, ']'));
    EXPECT_EQ(testing::fate_in_child([&] { brief(deep); }), "exited 0") << depth;
    if (HasFailure()) return;  // it would end this process too
    EXPECT_EQ(brief(deep, 10), "[[[[[[[...");
  }
}

TEST(BoundedJson, InputsCarryTheSameLimitsForTheHarnesses) {
  EXPECT_EQ(channel_limits_json(),
            nlohmann::json({{"max_line_bytes", 1048576}, {"max_depth", 2000}}));
}

}  // namespace
}  // namespace gradebox
