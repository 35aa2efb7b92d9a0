// The shared text hash (src/util/text_hash.h): pinned values, so cache keys,
// shard assignment and stamps stay what older runs stored.
#include <gtest/gtest.h>

#include "util/text_hash.h"

namespace gradebox {
namespace {

TEST(TextHash, KeepsTheValuesStoredRunsUse) {
  EXPECT_EQ(fnv1a(""), kFnvOffset);
  EXPECT_EQ(hash_text(""), "14650fb0739d0383");
  EXPECT_EQ(hash_text("a"), "44bd8ad473cd9906");
  EXPECT_EQ(hash_text("foobar"), "88fad7c0a8ff07f2");
}

TEST(TextHash, ASeedStartsAnIndependentStreamAndStateContinues) {
  EXPECT_NE(hash_text("foobar", 7), hash_text("foobar"));
  EXPECT_EQ(hash_text("foobar", 0), hash_text("foobar"));
  EXPECT_EQ(fnv1a("bar", fnv1a("foo")), fnv1a("foobar"));
}

}  // namespace
}  // namespace gradebox
