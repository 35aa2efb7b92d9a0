// Reasoning spans, truncation and the entry fallback in extract()
// (docs/extraction.md): drafts in <think> never beat the final answer.
#include <gtest/gtest.h>

#include <string>

#include "gradebox/extract.h"

namespace gradebox {
namespace {

const EntryPointRule kFlattenOrOneArgDef{
    {}, {R"((^|\n)def\s+\w*flatten\w*\s*\()"}, false, {R"((^|\n)def\s+\w+\s*\(\s*\w+\s*\))"}};

const std::string kDraft = "```python\ndef flatten(x):\n    return x  # draft\n```\n";
const std::string kFinal = "```python\ndef flatten(nested):\n    return list(nested)\n```\n";

Extraction run(const std::string& answer, const std::string& separate = {}) {
  return extract(answer, "python", kFlattenOrOneArgDef, {}, separate);
}

TEST(ExtractReasoning, ThinkDraftIsListedButTheFinalIsPrimary) {
  Extraction ex = run("<think>\nLet me try:\n\n" + kDraft + "\nNo.\n</think>\n\n" + kFinal);
  ASSERT_EQ(ex.candidates.size(), 2u);
  EXPECT_TRUE(ex.candidates[0].reasoning);
  EXPECT_FALSE(ex.candidates[1].reasoning);
  ASSERT_TRUE(ex.primary);
  EXPECT_EQ(*ex.primary, 1);
  EXPECT_FALSE(ex.from_reasoning);
  EXPECT_NE(ex.reason.find("reasoning"), std::string::npos) << ex.reason;
  EXPECT_EQ(ex.candidates[1].first_line, 13);  // lines counted in the whole answer
}

TEST(ExtractReasoning, FenceRightAfterTheTagAndOtherTagNames) {
  for (const std::string tag : {"think", "thinking", "reasoning", "THINK"}) {
    Extraction ex = run("<" + tag + ">\n" + kDraft + "</" + tag + ">\n" + kFinal);
    ASSERT_EQ(ex.candidates.size(), 2u) << tag;
    EXPECT_TRUE(ex.candidates[0].reasoning) << tag;
    ASSERT_TRUE(ex.primary) << tag;
    EXPECT_EQ(*ex.primary, 1) << tag;
  }
}

TEST(ExtractReasoning, LoneClosingTagMakesEverythingBeforeItReasoning) {
  Extraction ex = run("Okay, a draft:\n\n" + kDraft + "\nHmm.\n</think>\n\n" + kFinal);
  ASSERT_EQ(ex.candidates.size(), 2u);
  EXPECT_TRUE(ex.candidates[0].reasoning);
  EXPECT_EQ(*ex.primary, 1);
}

TEST(ExtractReasoning, CodeOnlyInTheReasoningIsGradedAndSaysSo) {
  Extraction ex = run("<think>\n" + kFinal + "</think>\nUse the function above.\n");
  ASSERT_TRUE(ex.primary);
  EXPECT_EQ(*ex.primary, 0);
  EXPECT_TRUE(ex.from_reasoning);
}

TEST(ExtractReasoning, AnUnclosedFenceInTheReasoningDoesNotSwallowTheAnswer) {
  Extraction ex = run("<think>\n```python\ndef flatten(x):\n</think>\n\n" + kFinal);
  ASSERT_TRUE(ex.primary);
  EXPECT_FALSE(ex.candidates[*ex.primary].reasoning);
  EXPECT_FALSE(ex.truncated);
}

TEST(ExtractReasoning, ATagInsideAnAnswerBlockIsCode) {
  Extraction ex = run("```python\ndef flatten(s):\n    return s.split('<think>')\n```\n");
  ASSERT_EQ(ex.candidates.size(), 1u);
  EXPECT_FALSE(ex.candidates[0].reasoning);
  EXPECT_NE(ex.candidates[0].code.find("<think>"), std::string::npos);
}

TEST(ExtractReasoning, SeparateReasoningOnlyWhenTheAnswerHasNoPrimary) {
  Extraction with_code = run(kFinal, kDraft);
  EXPECT_EQ(with_code.candidates.size(), 1u);
  EXPECT_FALSE(with_code.from_reasoning);

  Extraction prose = run("The function recurses into lists.\n", kFinal);
  ASSERT_EQ(prose.candidates.size(), 1u);
  EXPECT_TRUE(prose.candidates[0].reasoning);
  ASSERT_TRUE(prose.primary);
  EXPECT_TRUE(prose.from_reasoning);
}

TEST(ExtractReasoning, TruncatedWhenTheAnswerEndsInsideAFenceOrTheReasoning) {
  EXPECT_TRUE(run("```python\ndef flatten(x):\n    return x\n").truncated);
  EXPECT_TRUE(run("<think>\nstill thinking about " + kDraft).truncated);
  EXPECT_FALSE(run(kFinal).truncated);
  EXPECT_FALSE(run("<think>x</think>\n" + kFinal).truncated);
  EXPECT_FALSE(answer_cut_off("no code at all"));
}

TEST(ExtractReasoning, FallbackEntryCountsOnlyWhenNoBlockHasTheEntryProper) {
  Extraction ex =
      run("```python\ndef is_nested(x):\n    return isinstance(x, list)\n```\n" + kFinal);
  ASSERT_TRUE(ex.primary);
  EXPECT_EQ(*ex.primary, 1);
  EXPECT_FALSE(ex.candidates[0].has_entry);

  Extraction only_fallback = run("```python\ndef walk(x):\n    return x\n```\n");
  ASSERT_TRUE(only_fallback.primary);
  EXPECT_EQ(*only_fallback.primary, 0);
}

}  // namespace
}  // namespace gradebox
