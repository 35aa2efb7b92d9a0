// extract(): realistic answers for each task, the primary candidate and the
// reason given for it.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "gradebox/extract.h"
#include "extract_data.h"

namespace gradebox {
namespace {

using testing::read_data;

const EntryPointRule kFlatten{
    {}, {R"((^|\n)\s*def\s+\w*[Ff][Ll][Aa][Tt][Tt][Ee][Nn]\w*\s*\()"}, false};
const EntryPointRule kRace{{}, {R"(\bfetch\s*\()"}, false};
const EntryPointRule kGo{{R"((^|\n)package\s+main)", R"((^|\n)import\s)"},
                         {R"(func\s+(\([^)]*\)\s*)?\w*[Hh]andler)"},
                         true};
const EntryPointRule kExpress{
    {R"(require\(\s*['"]express['"]\s*\)|from\s+['"]express['"])", R"(\.get\s*\()"}, {}, false};
const EntryPointRule kDijkstra{{}, {R"([Dd]ijkstra|[Ss]hortest)"}, false};

using testing::kRacePrompt;

const std::string kFlattenAnswer =
    R"(Here are two ways to flatten a nested list.

### Option 1: recursion

```python
def flatten(nested_list):
    """Flatten a nested list recursively."""
    result = []
    for item in nested_list:
        if isinstance(item, list):
            result.extend(flatten(item))
        else:
            result.append(item)
    return result
```

### Option 2: a generator

```python
def flatten_gen(nested_list):
    for item in nested_list:
        if isinstance(item, list):
            yield from flatten_gen(item)
        else:
            yield item
```

Example usage:

```python
if __name__ == "__main__":
    data = [1, [2, [3, 4], 5], [6]]
    print(flatten(data))  # [1, 2, 3, 4, 5, 6]
```

```
$ python flatten.py
[1, 2, 3, 4, 5, 6]
```
)";

TEST(Extract, FlattenAnswerWithAlternativesPicksTheFirst) {
  Extraction result = extract(kFlattenAnswer, "python", kFlatten, {});
  ASSERT_EQ(result.candidates.size(), 4u);
  ASSERT_TRUE(result.primary.has_value());
  EXPECT_EQ(*result.primary, 0);
  EXPECT_TRUE(result.candidates[0].has_entry);
  EXPECT_TRUE(result.candidates[1].has_entry);
  EXPECT_FALSE(result.candidates[2].has_entry);  // usage demo
  EXPECT_EQ(result.candidates[3].language, "shell");
  EXPECT_FALSE(result.candidates[3].has_entry);
  EXPECT_EQ(result.reason, "block 0: first python block defining the entry point");
}

TEST(Extract, ChooseLastPicksTheLastBlockWithTheEntry) {
  EntryPointRule last = kFlatten;
  last.choose_last = true;
  Extraction result = extract(kFlattenAnswer, "python", last, {});
  ASSERT_TRUE(result.primary.has_value());
  EXPECT_EQ(*result.primary, 1);
  EXPECT_EQ(result.reason, "block 1: last python block defining the entry point");
}

TEST(Extract, RaceAnswerQuotingThePromptBeforeTheFix) {
  const std::string answer =
      "The problem is that `console.log` runs before the promise resolves:\n\n"
      "```javascript\n" +
      kRacePrompt +
      "```\n\n"
      "**Option 1: async/await**\n\n"
      "```javascript\n"
      "async function main() {\n"
      "  try {\n"
      "    const response = await fetch('/api/data');\n"
      "    if (!response.ok) throw new Error(`HTTP ${response.status}`);\n"
      "    const data = await response.json();\n"
      "    console.log(data);\n"
      "  } catch (err) {\n"
      "    console.error('Failed:', err);\n"
      "  }\n"
      "}\n"
      "main();\n"
      "```\n\n"
      "**Option 2: keep the .then chain**\n\n"
      "```js\n"
      "fetch('/api/data')\n"
      "  .then(r => r.json())\n"
      "  .then(data => console.log(data))\n"
      "  .catch(console.error);\n"
      "```\n";
  Extraction result = extract(answer, "javascript", kRace, {kRacePrompt});
  ASSERT_EQ(result.candidates.size(), 3u);
  EXPECT_TRUE(result.candidates[0].quotation);
  EXPECT_FALSE(result.candidates[0].has_entry);
  EXPECT_FALSE(result.candidates[1].quotation);
  EXPECT_FALSE(result.candidates[2].quotation);
  ASSERT_TRUE(result.primary.has_value());
  EXPECT_EQ(*result.primary, 1);
  EXPECT_EQ(result.reason,
            "block 1: first javascript block defining the entry point; block 0 "
            "is a quotation of the prompt");
}

TEST(Extract, ReviewGoPicksTheLastCompleteProgramNotTheQuote) {
  const std::string prompt = read_data("review_go_prompt.go");
  Extraction result = extract(read_data("review_go_answer.md"), "go", kGo, {prompt});
  ASSERT_EQ(result.candidates.size(), 4u);
  EXPECT_TRUE(result.candidates[0].quotation);
  EXPECT_EQ(result.candidates[1].filename, "main.go");
  EXPECT_EQ(result.candidates[1].first_line, 80);
  EXPECT_EQ(result.candidates[2].language, "shell");
  EXPECT_EQ(result.candidates[3].language, "json");
  ASSERT_TRUE(result.primary.has_value());
  EXPECT_EQ(*result.primary, 1);
  EXPECT_NE(result.reason.find("last go block"), std::string::npos) << result.reason;
  EXPECT_NE(result.reason.find("block 0 is a quotation"), std::string::npos) << result.reason;
}

TEST(Extract, ReviewGoProseOnlyHasNoPrimary) {
  const std::string answer =
      "The handler is vulnerable to SQL injection because the name is "
      "concatenated into the query.\n\n"
      "It also runs one query per user (N+1) and opens the database on every "
      "request.\n";
  Extraction result = extract(answer, "go", kGo, {read_data("review_go_prompt.go")});
  EXPECT_TRUE(result.candidates.empty());
  EXPECT_FALSE(result.primary.has_value());
  EXPECT_EQ(result.reason, "no code in the answer");
}

TEST(Extract, OnlyTheQuoteInTheLanguage) {
  const std::string answer =
      "```js\n" + kRacePrompt + "```\n\nJust wait longer:\n\n```bash\nsleep 2\n```\n";
  Extraction result = extract(answer, "javascript", kRace, {kRacePrompt});
  EXPECT_FALSE(result.primary.has_value());
  EXPECT_EQ(result.reason, "every javascript block quotes the prompt (block 0)");
}

TEST(Extract, ExpressAppSplitOverFiles) {
  const std::string answer = R"(Project layout:

**data/users.js**
```js
const users = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, name: `User ${i + 1}` }));
module.exports = { users };
```

**app.js**
```js
const express = require('express');
const { users } = require('./data/users');

const app = express();
app.get('/api/users', (req, res) => {
  const page = parseInt(req.query.page) || 1;
  const limit = parseInt(req.query.limit) || 10;
  res.json({ data: users.slice((page - 1) * limit, page * limit), total: users.length });
});
app.listen(3000, () => console.log('listening'));
```
)";
  Extraction result = extract(answer, "javascript", kExpress, {});
  ASSERT_EQ(result.candidates.size(), 2u);
  EXPECT_EQ(result.candidates[0].filename, "data/users.js");
  EXPECT_EQ(result.candidates[1].filename, "app.js");
  ASSERT_TRUE(result.primary.has_value());
  EXPECT_EQ(*result.primary, 1);
  EXPECT_EQ(defined_names(result.candidates[0]), std::vector<std::string>{"users"});
}

TEST(Extract, FastifyAppHasNoEntryPoint) {
  const std::string answer =
      "```js\nconst fastify = require('fastify')();\nfastify.get('/users', "
      "async () => []);\n"
      "fastify.listen({ port: 3000 });\n```\n\n```bash\nnpm install "
      "fastify\n```\n";
  Extraction result = extract(answer, "javascript", kExpress, {});
  EXPECT_FALSE(result.primary.has_value());
  EXPECT_EQ(result.reason, "1 javascript block, none defines the entry point");
}

TEST(Extract, LanguageMustEqualTheTaskLanguage) {
  const std::string answer =
      "```javascript\nfunction dijkstra(graph, start) {\n  const dist = {};\n  "
      "return dist;\n}\n```\n";
  Extraction as_ts = extract(answer, "typescript", kDijkstra, {});
  EXPECT_FALSE(as_ts.primary.has_value());
  EXPECT_FALSE(as_ts.candidates[0].has_entry);
  EXPECT_EQ(as_ts.reason, "no typescript block among 1 block");
  Extraction as_js = extract(answer, "javascript", kDijkstra, {});
  ASSERT_TRUE(as_js.primary.has_value());
  EXPECT_EQ(*as_js.primary, 0);
}

TEST(Extract, UntaggedTypeScriptIsDetected) {
  const std::string answer =
      "```\ntype Graph = Map<string, Array<{ to: string; weight: number "
      "}>>;\n\n"
      "export function dijkstra(graph: Graph, source: string): Map<string, "
      "number> {\n"
      "  const dist = new Map<string, number>();\n  return dist;\n}\n```\n";
  Extraction result = extract(answer, "typescript", kDijkstra, {});
  ASSERT_TRUE(result.primary.has_value());
  EXPECT_EQ(result.candidates[0].language_from, "content");
}

TEST(Extract, BareCodeAnswer) {
  const std::string answer =
      "def flatten(lst):\n    out = []\n    for x in lst:\n"
      "        out.extend(flatten(x) if isinstance(x, list) else [x])\n    "
      "return out\n";
  Extraction result = extract(answer, "python", kFlatten, {});
  ASSERT_EQ(result.candidates.size(), 1u);
  EXPECT_EQ(result.candidates[0].language_from, "bare");
  ASSERT_TRUE(result.primary.has_value());
  EXPECT_EQ(*result.primary, 0);
}

TEST(Extract, TypicalAnswerIsFastAndAHugeOneTerminates) {
  std::string typical = kFlattenAnswer;
  while (typical.size() < 5000)
    typical += "\nMore explanation of the approach, its cost, and edge cases.\n" + kFlattenAnswer;
  const int runs = 200;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i)
    ASSERT_TRUE(extract(typical, "python", kFlatten, {}).primary.has_value());
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "extract() of a " << typical.size() << "-byte answer: " << ms / runs << " ms\n";

  std::string huge = "```python\n";
  while (huge.size() < 1'000'000) huge += "value = [1, [2, 3]]  # filler\n";
  huge += "def flatten(x):\n    return x\n```\n";
  start = std::chrono::steady_clock::now();
  Extraction result = extract(huge, "python", kFlatten, {kRacePrompt});
  ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "extract() of a " << huge.size() << "-byte answer: " << ms << " ms\n";
  EXPECT_TRUE(result.primary.has_value());
}

}  // namespace
}  // namespace gradebox
