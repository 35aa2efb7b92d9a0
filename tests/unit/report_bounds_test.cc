// Values a report shows of the answer's data are bounded without recursion:
// strings keep their head with the original's size and digest, containers
// too deep or too large become markers, and bounding twice changes nothing.
#include <gtest/gtest.h>

#include "deep_json.h"
#include "../support/in_child.h"
#include "report/json_text.h"
#include "report/report_bounds.h"
#include "util/sha256.h"

namespace gradebox {
namespace {

using nlohmann::json;

using testing::nested;

int depth_of(const json& value) {  // the test's own walk, for bounded values only
  int deepest = 0;
  if (value.is_structured())
    for (const auto& item : value) deepest = std::max(deepest, depth_of(item));
  return value.is_structured() ? deepest + 1 : 0;
}

TEST(Sha256, MatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  Sha256 pieces;  // streamed in pieces that straddle blocks
  for (int i = 0; i < 1000; ++i) pieces.add(std::string(1000, 'a'));
  EXPECT_EQ(pieces.hex(), sha256_hex(std::string(1000000, 'a')));
}

TEST(JsonText, WritesWhatNlohmannsCompactDumpWrites) {
  json value = json::parse(R"({"a": [1, -2, 3.5, 1e300, true, null, "x\"\n\u00e9"],
                               "b": {}, "c": [[], {"d": []}]})");
  value["bad"] = std::string("\xff\xfe ok");
  EXPECT_EQ(compact_text(value), value.dump(-1, ' ', false, json::error_handler_t::replace));
  EXPECT_EQ(compact_text(value, 7),
            value.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 7));
}

TEST(JsonText, AMillionLevelsAreWrittenWithoutRecursion) {
  json deep = nested(1000000);
  EXPECT_EQ(compact_text(deep, 5), "[[[[[");
  std::size_t bytes = 0;
  write_compact(deep, [&](std::string_view piece) {
    bytes += piece.size();
    return true;
  });
  EXPECT_EQ(bytes, 2000000u);
}

TEST(BoundedString, ShortTextIsKeptLongTextKeepsItsHeadSizeAndDigest) {
  EXPECT_EQ(bounded_string("short", 100), "short");
  std::string big(1 << 20, 'x');
  std::string kept = bounded_string(big, 4096);
  EXPECT_LE(kept.size(), 4096u);
  EXPECT_EQ(kept.substr(0, 100), big.substr(0, 100));
  EXPECT_NE(kept.find("[truncated: 1048576 bytes, sha256 " + sha256_hex(big).substr(0, 16) + "]"),
            std::string::npos)
      << kept.substr(kept.size() - 80);
  EXPECT_EQ(bounded_string(kept, 4096), kept);  // bounding twice changes nothing
}

TEST(BoundedString, CutsNeitherACharacterNorLeavesInvalidText) {
  std::string text = std::string(10, 'a') + std::string(3000, '\xff') + "\xc3\xa9";
  std::string kept = bounded_string(text, 200);
  EXPECT_LE(kept.size(), 200u);
  EXPECT_EQ(json(kept).dump().find("\\u"), std::string::npos);  // valid UTF-8: dump does not throw
}

TEST(BoundedValue, DeepValuesAreCutAtTheDepthCapIntoAMarker) {
  for (int depth : {20000, 1000000}) {
    json bounded = bounded_value(nested(depth), {4096, 64 << 10, 64});
    EXPECT_EQ(depth_of(bounded), 65) << depth;  // 64 levels, then the marker object
    json cut = bounded;
    for (int level = 0; level < 64; ++level) cut = json(cut[0]);
    ASSERT_TRUE(is_truncation_marker(cut)) << cut.dump();
    EXPECT_EQ(cut["bytes"], 2 * (depth - 64));
    std::string text = std::string(depth - 64, '[') + std::string(depth - 64, ']');
    EXPECT_EQ(cut["sha256"], sha256_hex(text).substr(0, 16));
    EXPECT_EQ(cut["excerpt"], text.substr(0, 200));
  }
}

TEST(BoundedValue, LargeContainersAndStringsShrinkSmallOnesStay) {
  json value = {{"small", {1, 2, 3}}, {"list", json::array()}, {"text", std::string(10000, 'y')}};
  for (int i = 0; i < 100000; ++i) value["list"].push_back(i);
  json bounded = bounded_value(value, {1024, 16 << 10, 8});
  EXPECT_EQ(bounded["small"], json({1, 2, 3}));
  EXPECT_TRUE(is_truncation_marker(bounded["list"])) << compact_text(bounded["list"], 300);
  EXPECT_EQ(bounded["list"]["bytes"], value["list"].dump().size());
  EXPECT_LE(bounded["text"].get<std::string>().size(), 1024u);
  EXPECT_EQ(bounded_value(bounded, {1024, 16 << 10, 8}),
            bounded);  // bounding twice changes nothing
}

TEST(BoundedValue, KeysAreBoundedAndInvalidTextReplaced) {
  json value = json::object();
  value[std::string(10000, 'k')] = std::string("\xff");
  json bounded = bounded_value(value);
  ASSERT_EQ(bounded.size(), 1u);
  EXPECT_LE(bounded.begin().key().size(), 4096u);
  EXPECT_EQ(bounded.begin().value(), "\xEF\xBF\xBD");
}

TEST(BoundedValue, SurvivesAMillionLevelsInAChild) {
  // The same walk in a child first: a recursion would die there, not here.
  EXPECT_EQ(testing::fate_in_child([] { bounded_value(nested(1000000)); }), "exited 0");
}

}  // namespace
}  // namespace gradebox
