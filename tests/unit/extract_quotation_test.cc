// is_quotation on the prompts that quote code (race_js, review_go): the
// quoted "before" is a quotation, the fixed "after" is not, even when the
// fix changes only two lines of a fifty-line program.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gradebox/extract.h"
#include "extract_data.h"

namespace gradebox {
namespace {

using testing::read_data;

using testing::kRacePrompt;

// Dice similarity of whitespace-stripped, non-empty line multisets: the
// threshold rule first considered. Kept here to show why it was rejected.
double line_dice(const std::string& a, const std::string& b) {
  auto lines = [](const std::string& text) {
    std::map<std::string, int> counts;
    std::istringstream in(text);
    std::string line;
    int total = 0;
    while (std::getline(in, line)) {
      std::string squeezed;
      for (char c : line) {
        if (c != ' ' && c != '\t') squeezed += c;
      }
      if (!squeezed.empty()) ++counts[squeezed], ++total;
    }
    return std::make_pair(counts, total);
  };
  auto [ca, na] = lines(a);
  auto [cb, nb] = lines(b);
  int common = 0;
  for (const auto& [line, count] : ca) common += std::min(count, cb[line]);
  return 2.0 * common / (na + nb);
}

TEST(IsQuotation, RaceSnippetQuotedVerbatim) {
  EXPECT_TRUE(is_quotation(kRacePrompt, {kRacePrompt}));
}

TEST(IsQuotation, RaceSnippetQuotedWithOtherCommentsAndSpacing) {
  const std::string quoted =
      "// ❌ The problem:\n"
      "let data = null\n"
      "fetch('/api/data').then(r=>r.json()).then(d => data = d)\n"
      "\n"
      "console.log(data);   // runs before the fetch resolves\n";
  EXPECT_TRUE(is_quotation(quoted, {kRacePrompt}));
}

TEST(IsQuotation, AnExcerptOfThePromptIsAQuotation) {
  EXPECT_TRUE(
      is_quotation("fetch('/api/data').then(r => r.json()).then(d => data = d);\n", {kRacePrompt}));
}

TEST(IsQuotation, RaceFixesAreNotQuotations) {
  const std::vector<std::string> fixes = {
      // the same three lines, the log moved into the callback
      "let data = null;\n"
      "fetch('/api/data').then(r => r.json()).then(d => {\n"
      "  data = d;\n"
      "  console.log(data);\n"
      "});\n",
      // async/await
      "async function main() {\n"
      "  const r = await fetch('/api/data');\n"
      "  const data = await r.json();\n"
      "  console.log(data);\n"
      "}\n"
      "main().catch(console.error);\n",
      // one line changed, two kept
      "let data = null;\n"
      "await fetch('/api/data').then(r => r.json()).then(d => data = d);\n"
      "console.log(data);\n",
      // a bad "fix" that adds a line is a fix to grade, not a quotation
      "let data = null;\n"
      "fetch('/api/data').then(r => r.json()).then(d => data = d);\n"
      "setTimeout(() => console.log(data), 1000);\n"};
  for (const std::string& fix : fixes) EXPECT_FALSE(is_quotation(fix, {kRacePrompt})) << fix;
}

TEST(IsQuotation, ReviewGoQuotedVerbatimAndAsModelsQuoteIt) {
  const std::string prompt = read_data("review_go_prompt.go");
  EXPECT_TRUE(is_quotation(prompt, {prompt}));
  // Spaces for tabs and reviewer comments ("// ❌ SQL injection!") added.
  EXPECT_TRUE(is_quotation(read_data("review_go_quoted.go"), {prompt}));
}

TEST(IsQuotation, ReviewGoFixesAreNotQuotations) {
  const std::string prompt = read_data("review_go_prompt.go");
  EXPECT_FALSE(is_quotation(read_data("review_go_fixed.go"), {prompt}));
  EXPECT_FALSE(is_quotation(read_data("review_go_minimal_fix.go"), {prompt}));
}

TEST(IsQuotation, WhyNotASimilarityThreshold) {
  // A two-line fix of the Go program is ~0.97 similar to the prompt, so no
  // threshold in the 0.85-0.9 range can separate it from a quotation.
  const std::string prompt = read_data("review_go_prompt.go");
  EXPECT_GT(line_dice(prompt, read_data("review_go_minimal_fix.go")), 0.95);
  EXPECT_LT(line_dice(prompt, read_data("review_go_fixed.go")), 0.7);
}

TEST(IsQuotation, ChecksEveryPromptBlockAndIgnoresEmptyOnes) {
  EXPECT_TRUE(is_quotation(kRacePrompt, {"print('other')\n", kRacePrompt}));
  EXPECT_FALSE(is_quotation(kRacePrompt, {}));
  EXPECT_FALSE(is_quotation("// only a comment\n", {kRacePrompt}));
  EXPECT_FALSE(is_quotation("", {kRacePrompt}));
}

}  // namespace
}  // namespace gradebox
