// The join retry's choice of blocks (docs/extraction.md, "Split blocks"):
// names from every language's error messages, and the closure over helper
// blocks whatever they define.
#include <gtest/gtest.h>

#include "grade/join_blocks.h"

namespace gradebox {
namespace {

using Names = std::set<std::string>;

TEST(UndefinedNames, EachLanguagesMessage) {
  EXPECT_EQ(undefined_names_in("NameError: name '_walk' is not defined"), Names{"_walk"});
  EXPECT_EQ(undefined_names_in("error: ReferenceError: MinHeap is not defined"), Names{"MinHeap"});
  EXPECT_EQ(undefined_names_in("./answer.go:12:9: undefined: openDB"), Names{"openDB"});
  EXPECT_EQ(undefined_names_in("TS2304: Cannot find name 'PriorityQueue'."),
            Names{"PriorityQueue"});
  EXPECT_TRUE(undefined_names_in("TypeError: x is not a function").empty());
  EXPECT_TRUE(undefined_names_in("name '1 2' is not defined").empty());
}

Candidate block(int index, const std::string& code, bool has_entry = false,
                bool reasoning = false) {
  Candidate c;
  c.index = index;
  c.code = code;
  c.language = "python";
  c.has_entry = has_entry;
  c.reasoning = reasoning;
  return c;
}

TEST(BlocksToJoin, FollowsHelpersThatNeedOtherHelpers) {
  Extraction ex;
  ex.candidates = {
      block(0, "KINDS = (list,)\n"), block(1, "def is_seq(x):\n    return isinstance(x, KINDS)\n"),
      block(2, "def flatten(xs):\n    return [y for x in xs if is_seq(x) for y in x]\n", true),
      block(3, "print(flatten([1]))\n")};
  EXPECT_EQ(blocks_to_join(ex, 2, {"is_seq"}), (std::vector<int>{0, 1, 2}));
}

TEST(BlocksToJoin, NeverAnAlternativeAReasoningDraftOrAnUnknownName) {
  Extraction ex;
  ex.candidates = {
      block(0, "def helper(x):\n    return x\n", false, true),
      block(1, "def flatten(xs):\n    return helper(xs)\n", true),
      block(2, "def flatten(xs):\n    return xs\ndef helper(x):\n    return x\n", true)};
  EXPECT_EQ(blocks_to_join(ex, 1, {"helper"}), (std::vector<int>{1}));
  EXPECT_EQ(blocks_to_join(ex, 1, {"nowhere"}), (std::vector<int>{1}));
}

TEST(BlocksToJoin, ClassesAndConstantsInTypeScript) {
  Extraction ex;
  ex.candidates = {
      block(0, "type G = Record<string, number>;\nconst INF = Infinity;\n"),
      block(1, "class MinHeap {\n  push(x: number) {}\n}\n"),
      block(2, "function dijkstra(g: G) {\n  const h = new MinHeap();\n  return INF;\n}\n", true)};
  for (auto& c : ex.candidates) c.language = "typescript";
  EXPECT_EQ(blocks_to_join(ex, 2, {"MinHeap"}), (std::vector<int>{0, 1, 2}));
}

}  // namespace
}  // namespace gradebox
