// A report's JSON fields behave as plain JSON values: null until written,
// copies independent of the original, moves leave a readable null.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "gradebox/json_field.h"

namespace gradebox {
namespace {

TEST(JsonField, ReadsAsNullUntilWritten) {
  const JsonField field;
  EXPECT_TRUE(field->is_null());
  JsonField written;
  (*written)["a"] = 1;
  EXPECT_EQ(*written, nlohmann::json({{"a", 1}}));
}

TEST(JsonField, ACopyIsDeep) {
  JsonField original;
  original = nlohmann::json{{"run", {{"stdout", "x"}}}};
  JsonField copy = original;
  (*copy)["run"]["stdout"] = "changed";
  EXPECT_EQ((*original)["run"]["stdout"], "x");
  JsonField assigned;
  assigned = original;
  (*original)["run"] = nullptr;
  EXPECT_EQ((*assigned)["run"]["stdout"], "x");
}

TEST(JsonField, AMovedFromFieldReadsAsNull) {
  JsonField from;
  from = nlohmann::json::array({1, 2});
  JsonField to = std::move(from);
  EXPECT_EQ(to->size(), 2u);
  EXPECT_TRUE(std::as_const(from)->is_null());  // NOLINT(bugprone-use-after-move): on purpose
}

}  // namespace
}  // namespace gradebox
