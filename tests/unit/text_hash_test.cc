// The shared text hash (src/util/text_hash.h): the published FNV-1a 64
// vectors, so cache keys and stamps stay the values older runs stored.
#include <gtest/gtest.h>

#include "util/text_hash.h"

namespace gradebox {
namespace {

TEST(TextHash, MatchesThePublishedFnv1a64Vectors) {
  EXPECT_EQ(fnv1a(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(hash_text(""), "cbf29ce484222325");
  EXPECT_EQ(hash_text("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(hash_text("foobar"), "85944171f73967e8");
}

TEST(TextHash, ASeedStartsAnIndependentStreamAndStateContinues) {
  EXPECT_NE(hash_text("foobar", 7), hash_text("foobar"));
  EXPECT_EQ(hash_text("foobar", 0), hash_text("foobar"));
  EXPECT_EQ(fnv1a("bar", fnv1a("foo")), fnv1a("foobar"));
}

}  // namespace
}  // namespace gradebox
