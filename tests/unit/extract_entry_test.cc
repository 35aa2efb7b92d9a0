// matches_entry: all_of / any_of semantics, bad regexes, hostile sizes.
#include <gtest/gtest.h>

#include <string>

#include "gradebox/extract.h"

namespace gradebox {
namespace {

EntryPointRule flatten_rule() {
  return {{}, {R"((^|\n)\s*def\s+\w*[Ff][Ll][Aa][Tt][Tt][Ee][Nn]\w*\s*\()"}, false};
}

EntryPointRule express_rule() {
  return {
      {R"(require\(\s*['"]express['"]\s*\)|from\s+['"]express['"])", R"(\.get\s*\()"}, {}, false};
}

TEST(MatchesEntry, AnyOfNeedsOneMatch) {
  EXPECT_TRUE(matches_entry("def flatten(xs):\n    return xs\n", flatten_rule()));
  EXPECT_TRUE(matches_entry("import x\n\ndef deep_Flatten_list(xs): pass\n", flatten_rule()));
  EXPECT_TRUE(
      matches_entry("class F:\n    def flatten(self, xs):\n        pass\n", flatten_rule()));
  EXPECT_FALSE(matches_entry("def unnest(xs):\n    return xs\n", flatten_rule()));
  EXPECT_FALSE(matches_entry("print(flatten([1]))\n", flatten_rule()));
  EXPECT_FALSE(matches_entry("x = 1  # def flatten (x) is elsewhere\n", flatten_rule()));
  EntryPointRule two{{}, {"dijkstra", "shortest"}, false};
  EXPECT_TRUE(matches_entry("function shortestPath() {}", two));
}

TEST(MatchesEntry, AllOfNeedsEveryMatch) {
  const std::string app =
      "const express = require('express');\nconst app = express();\n"
      "app.get('/users', (req, res) => res.json([]));\n";
  EXPECT_TRUE(matches_entry(app, express_rule()));
  EXPECT_TRUE(
      matches_entry("import express from \"express\";\nrouter.get('/', h);\n", express_rule()));
  EXPECT_FALSE(matches_entry("const fastify = require('fastify')();\nfastify.get('/users', h);\n",
                             express_rule()));
  EXPECT_FALSE(matches_entry("const express = require('express');\napp.post('/users', h);\n",
                             express_rule()));
}

TEST(MatchesEntry, AllOfAndAnyOfTogether) {
  EntryPointRule rule{{R"((^|\n)package\s+main)"}, {R"(func\s+\w*[Hh]andler)", "HandleFunc"}, true};
  EXPECT_TRUE(matches_entry("package main\n\nfunc usersHandler() {}\n", rule));
  EXPECT_FALSE(matches_entry("package main\n\nfunc main() {}\n", rule));
  EXPECT_FALSE(matches_entry("func usersHandler() {}\n", rule));
}

TEST(MatchesEntry, EmptyRuleMatchesAnything) {
  EXPECT_TRUE(matches_entry("anything", EntryPointRule{}));
}

TEST(MatchesEntry, BadRegexIsFalseNotACrash) {
  EXPECT_FALSE(matches_entry("def flatten(x): pass", {{"(unclosed"}, {}, false}));
  EXPECT_FALSE(matches_entry("def flatten(x): pass", {{}, {"[z-a]"}, false}));
  // A bad any_of alternative does not hide a good one.
  EXPECT_TRUE(matches_entry("def flatten(x): pass", {{}, {"*bad", "flatten"}, false}));
  // Asked twice: the cached failure stays a failure.
  EXPECT_FALSE(matches_entry("x", {{"(unclosed"}, {}, false}));
}

TEST(MatchesEntry, BackReferencesWorkOnNormalSizes) {
  EntryPointRule rule{{R"((['"])express\1)"}, {}, false};
  EXPECT_TRUE(matches_entry("require('express')", rule));
  EXPECT_FALSE(matches_entry("require('express\")", rule));
}

TEST(MatchesEntry, HugeInputsDoNotOverflowTheStack) {
  // Measured: libstdc++'s backtracking executor overflows an 8 MB stack on
  // \s* over 100 KB of spaces, and on [\s\S]* over a 100 KB block.
  std::string spaces = "\n" + std::string(1'000'000, ' ') + "def flatten(x): pass\n";
  EXPECT_TRUE(matches_entry(spaces, flatten_rule()));
  std::string filler;
  while (filler.size() < 1'000'000) filler += "x = compute(1, 2)\n";
  EXPECT_TRUE(matches_entry(filler + "def flatten(x): pass\n", {{}, {R"([\s\S]*flatten)"}, false}));
  EXPECT_FALSE(matches_entry(filler, {{}, {R"((x+x+)+y)"}, false}));
}

}  // namespace
}  // namespace gradebox
