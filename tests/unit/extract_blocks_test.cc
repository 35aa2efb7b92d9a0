// extract_blocks: fences, indented blocks, info strings, file names, CRLF,
// unclosed fences, containers, bare code, prose-only answers.
#include <gtest/gtest.h>

#include <string>

#include "gradebox/extract.h"

namespace gradebox {
namespace {

TEST(ExtractBlocks, ProseWithSeveralTaggedBlocks) {
  const std::string answer = R"(Here's a recursive solution:

```python
def flatten(nested):
    result = []
    for item in nested:
        if isinstance(item, list):
            result.extend(flatten(item))
        else:
            result.append(item)
    return result
```

Usage:

```py
print(flatten([1, [2, [3, 4], 5]]))
```

Run it:

```bash
$ python flatten.py
[1, 2, 3, 4, 5]
```

Output as JSON:

```json
[1, 2, 3, 4, 5]
```
)";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(blocks[i].index, i);
  EXPECT_EQ(blocks[0].language, "python");
  EXPECT_EQ(blocks[0].language_from, "tag");
  EXPECT_EQ(blocks[0].info, "python");
  EXPECT_EQ(blocks[0].first_line, 4);
  EXPECT_EQ(blocks[0].code.substr(0, 20), "def flatten(nested):");
  EXPECT_EQ(blocks[0].code.back(), '\n');
  EXPECT_EQ(blocks[0].code.find("```"), std::string::npos);
  EXPECT_FALSE(blocks[0].indented);
  EXPECT_EQ(blocks[1].language, "python");
  EXPECT_EQ(blocks[2].language, "shell");
  EXPECT_EQ(blocks[3].language, "json");
  EXPECT_EQ(blocks[3].language_from, "tag");
}

TEST(ExtractBlocks, TildeFencesAndUntaggedBlocksDetectLanguage) {
  const std::string answer =
      "~~~\nconst data = await fetch('/api/data').then(r => "
      "r.json());\nconsole.log(data);\n~~~\n\n"
      "```\npackage main\n\nfunc main() {}\n```\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].language, "javascript");
  EXPECT_EQ(blocks[0].language_from, "content");
  EXPECT_EQ(blocks[0].info, "");
  EXPECT_FALSE(blocks[0].indented);
  EXPECT_EQ(blocks[1].language, "go");
  EXPECT_FALSE(blocks[1].indented);
}

TEST(ExtractBlocks, LongerFenceWrapsShorterOne) {
  const std::string answer =
      "````text\nUse this:\n```js\nconsole.log(1)\n```\n````\n\n"
      "```js\nconst fence = \"```\";\nconsole.log(fence);\n```\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].language, "text");
  EXPECT_EQ(blocks[0].code, "Use this:\n```js\nconsole.log(1)\n```\n");
  // A ``` inside a string does not close the fence: it is not at line start.
  EXPECT_EQ(blocks[1].code, "const fence = \"```\";\nconsole.log(fence);\n");
}

TEST(ExtractBlocks, MarkdownWrapperIsUnwrapped) {
  // The outer fence closes at the inner block's closing fence (a closing
  // fence has no info string), so the inner fence is unclosed inside it.
  const std::string answer =
      "```markdown\nHere's the code:\n\n```python\ndef flatten(x):\n"
      "    return x\n```\n\nDone.\n```\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].index, 0);
  EXPECT_EQ(blocks[0].language, "python");
  EXPECT_EQ(blocks[0].code, "def flatten(x):\n    return x\n");
  EXPECT_EQ(blocks[0].first_line, 5);
  // A markdown block without inner code stays one block.
  blocks = extract_blocks("Intro.\n\n```md\n# Title\n\nSome *prose*.\n```\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].language, "markdown");
}

TEST(ExtractBlocks, InfoStringsWithFileNamesAndAttributes) {
  const std::string answer =
      "```js app.js\nconst express = require('express');\n```\n\n"
      "```python title=\"flatten.py\"\ndef flatten(x): return x\n```\n\n"
      "```javascript:routes/users.js\nconst router = "
      "require('express').Router();\n```\n\n"
      "```ts {1,3}\nconst x: number = 1;\n```\n\n"
      "```app.ts\nexport const y = 2;\n```\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(blocks[0].filename, "app.js");
  EXPECT_EQ(blocks[0].language, "javascript");
  EXPECT_EQ(blocks[0].info, "js app.js");
  EXPECT_EQ(blocks[1].filename, "flatten.py");
  EXPECT_EQ(blocks[1].language, "python");
  EXPECT_EQ(blocks[2].filename, "routes/users.js");
  EXPECT_EQ(blocks[2].language, "javascript");
  EXPECT_EQ(blocks[3].filename, "");
  EXPECT_EQ(blocks[3].language, "typescript");
  EXPECT_EQ(blocks[4].filename, "app.ts");
  EXPECT_EQ(blocks[4].language, "typescript");
  EXPECT_EQ(blocks[4].language_from, "tag");
}

TEST(ExtractBlocks, FileNameLineBeforeTheBlock) {
  const std::string answer = R"(**app.js**

```js
const app = require('express')();
```

### routes/users.js
```javascript
module.exports = router;
```

`data/users.js`:

```js
module.exports = [];
```

File: server.js
```js
app.listen(3000);
```

Create `db.js`:
```js
module.exports = {};
```

Now explain why this is nice and what it does with the data below.
```js
console.log('no name');
```
)";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 6u);
  EXPECT_EQ(blocks[0].filename, "app.js");
  EXPECT_EQ(blocks[1].filename, "routes/users.js");
  EXPECT_EQ(blocks[2].filename, "data/users.js");
  EXPECT_EQ(blocks[3].filename, "server.js");
  EXPECT_EQ(blocks[4].filename, "db.js");
  EXPECT_EQ(blocks[5].filename, "");
}

TEST(ExtractBlocks, FileNameFromTheFirstCommentLine) {
  const std::string answer =
      "```js\n// routes/users.js\nconst express = require('express');\n```\n\n"
      "```python\n# flatten.py\ndef flatten(x):\n    return x\n```\n\n"
      "```python\n# Flatten a list recursively\ndef flatten(x):\n    return "
      "x\n```\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].filename, "routes/users.js");
  EXPECT_EQ(blocks[1].filename, "flatten.py");
  EXPECT_EQ(blocks[2].filename, "");
  EXPECT_EQ(blocks[1].code.substr(0, 12),
            "# flatten.py");  // the comment stays code
}

TEST(ExtractBlocks, FileNameThatContradictsTheBlockIsIgnored) {
  const std::string answer =
      "Save it as `flatten.py` and run:\n\n```bash\npython3 flatten.py\n```\n\n"
      "### Node.js\n```js\nconsole.log(1);\n```\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].language, "shell");
  EXPECT_EQ(blocks[0].filename, "");
  EXPECT_EQ(blocks[1].filename, "");  // a product name, not a file
}

TEST(ExtractBlocks, CrlfIsNormalised) {
  const std::string answer =
      "Fix:\r\n\r\n```javascript\r\nasync function main() {\r\n  const r = "
      "await fetch('/api/data');\r\n"
      "  console.log(await r.json());\r\n}\r\nmain();\r\n```\r\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].code.find('\r'), std::string::npos);
  EXPECT_EQ(blocks[0].code,
            "async function main() {\n  const r = await fetch('/api/data');\n"
            "  console.log(await r.json());\n}\nmain();\n");
  EXPECT_EQ(blocks[0].info, "javascript");
  EXPECT_EQ(blocks[0].first_line, 4);
}

TEST(ExtractBlocks, UnclosedFenceRunsToTheEnd) {
  const std::string answer =
      "Solution:\n\n```python\ndef flatten(lst):\n    out = []\n    return "
      "out\n\nThat's it.\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].code, "def flatten(lst):\n    out = []\n    return out\n\nThat's it.\n");
}

TEST(ExtractBlocks, BlocksInListItemsAndBlockquotesAreDeindented) {
  const std::string answer = R"(Steps:

1. Install:

   ```bash
   npm install express
   ```

2. Write the server:

   ```js
   const express = require('express');
   const app = express();
   app.get('/users', (req, res) => {
     res.json([]);
   });
   ```

> ```python
> def flatten(x):
>     return x
> ```
)";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].code, "npm install express\n");
  EXPECT_EQ(blocks[1].code,
            "const express = require('express');\nconst app = express();\n"
            "app.get('/users', (req, res) => {\n  res.json([]);\n});\n");
  EXPECT_EQ(blocks[1].first_line, 12);
  EXPECT_EQ(blocks[2].code, "def flatten(x):\n    return x\n");
  EXPECT_EQ(blocks[2].language, "python");
}

TEST(ExtractBlocks, IndentedBlocksAreCandidates) {
  const std::string answer =
      "You can write it like this, using recursion on every sublist of the "
      "input:\n\n"
      "    def flatten(items):\n"
      "        out = []\n"
      "        for x in items:\n"
      "            out.extend(flatten(x) if isinstance(x, list) else [x])\n"
      "        return out\n\n"
      "This visits each element once, so it runs in linear time overall.\n\n"
      "    ```js\n    not a fence\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_TRUE(blocks[0].indented);
  EXPECT_EQ(blocks[0].first_line, 3);
  EXPECT_EQ(blocks[0].language, "python");
  EXPECT_EQ(blocks[0].language_from, "content");
  EXPECT_EQ(blocks[0].code.substr(0, 23), "def flatten(items):\n   ");
  // An indented block whose text starts with ``` is still an indented block.
  EXPECT_TRUE(blocks[1].indented);
  EXPECT_EQ(blocks[1].code, "```js\nnot a fence\n");
}

TEST(ExtractBlocks, UntaggedFenceIsNotIndented) {
  auto blocks = extract_blocks("```\nx = 1\n```\n\n   ```\n   y = 2\n   ```\n");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_FALSE(blocks[0].indented);
  EXPECT_FALSE(blocks[1].indented);
  EXPECT_EQ(blocks[1].code, "y = 2\n");
}

TEST(ExtractBlocks, BareCodeAnswerIsOneCandidate) {
  const std::string answer =
      "def flatten(nested):\n"
      "    \"\"\"Flatten a nested list recursively.\n\n"
      "    Every element that is not a list is kept in order.\n"
      "    \"\"\"\n"
      "    result = []\n\n"
      "    for item in nested:\n"
      "        if isinstance(item, list):\n"
      "            result.extend(flatten(item))\n"
      "        else:\n"
      "            result.append(item)\n\n"
      "    return result\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].language_from, "bare");
  EXPECT_EQ(blocks[0].language, "python");
  EXPECT_EQ(blocks[0].code, answer);
  EXPECT_EQ(blocks[0].first_line, 1);
  EXPECT_FALSE(blocks[0].indented);
}

TEST(ExtractBlocks, BareCodeWithIntroAndOutroSentences) {
  const std::string answer =
      "Here is the code:\n\n"
      "const express = require('express');\n"
      "const app = express();\n"
      "app.get('/users', (req, res) => res.json([]));\n"
      "app.listen(3000);\n\n"
      "This starts a server on port 3000 and answers with an empty list.\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].language, "javascript");
  EXPECT_EQ(blocks[0].first_line, 3);
  EXPECT_EQ(blocks[0].code.substr(0, 35), "const express = require('express');");
  EXPECT_EQ(blocks[0].code.find("This starts"), std::string::npos);
}

TEST(ExtractBlocks, BareJavaScriptWithJsDoc) {
  const std::string answer =
      "/**\n"
      " * Fixes the race: log only after the data arrives.\n"
      " * @returns {Promise<void>}\n"
      " */\n"
      "async function main() {\n"
      "  const res = await fetch('/api/data');\n"
      "  console.log(await res.json());\n"
      "}\n\n"
      "main().catch((err) => console.error('Request failed:', err));\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].language, "javascript");  // JSDoc types do not vote
  EXPECT_EQ(blocks[0].language_from, "bare");
}

TEST(ExtractBlocks, ShortBulletReviewIsNotBareCode) {
  const std::string answer =
      "Issues:\n"
      "- SQL injection: `db.Query(\"... LIKE ?\", \"%\"+name+\"%\")`\n"
      "- Replace with `rows, err := db.Query(q, \"%\"+name+\"%\")`\n"
      "- N+1: use a JOIN\n";
  EXPECT_TRUE(extract_blocks(answer).empty());
}

TEST(ExtractBlocks, ProseOnlyAnswerHasNoCandidates) {
  const std::string answer = R"(## Review

The handler has several problems:

- **SQL injection**: the `name` parameter is concatenated into the query. Use placeholders
  such as `?` with `db.Query(query, "%"+name+"%")` instead.
- **N+1 queries**: every user triggers another query for orders; use a single JOIN.
- **Connection pool**: `sql.Open` is called on every request. Open it once in `main`.

Also, `rows` is never closed, which leaks connections, and errors from `Scan` are ignored.
)";
  EXPECT_TRUE(extract_blocks(answer).empty());
  EXPECT_TRUE(extract_blocks("").empty());
  EXPECT_TRUE(extract_blocks("I cannot help with that request, sorry.").empty());
}

TEST(ExtractBlocks, ProseWithInlineCodeIsNotBareCode) {
  const std::string answer =
      "Dijkstra's algorithm finds the shortest paths from a source node.\n\n"
      "1. Set the distance of the source to 0.\n"
      "2. Relax each outgoing edge of the closest node.\n\n"
      "With a binary heap this runs in O((V + E) log V). In TypeScript you "
      "would model the graph as a `Map<string, Array<{ node: string; weight: "
      "number }>>` and the queue as a small heap class.\n";
  EXPECT_TRUE(extract_blocks(answer).empty());
}

TEST(ExtractBlocks, LongStringMessagesStayCode) {
  const std::string answer =
      "def flatten(items):\n"
      "    if not isinstance(items, list):\n"
      "        raise TypeError(\"flatten expects a list of values and nested "
      "lists of them\")\n"
      "    return [x for sub in items for x in (flatten(sub) if "
      "isinstance(sub, list) else [sub])]\n";
  auto blocks = extract_blocks(answer);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].language_from, "bare");
}

TEST(ExtractBlocks, EmptyFencesAreSkipped) {
  auto blocks = extract_blocks("```python\n```\n\n```js\n\n\n```\n\n```go\nfunc main() {}\n```\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].index, 0);
  EXPECT_EQ(blocks[0].language, "go");
}

TEST(ExtractBlocks, MegabyteAnswerTerminates) {
  std::string answer = "Intro.\n\n```python\n";
  while (answer.size() < 1'000'000) answer += "x = [1, 2, 3]  # a line of filler code here\n";
  answer += "```\n\n" + std::string(200'000, ' ') + "\n```\n" + std::string(100'000, '`') + "\n";
  auto blocks = extract_blocks(answer);
  ASSERT_GE(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].language, "python");
  EXPECT_GT(blocks[0].code.size(), 900'000u);
}

}  // namespace
}  // namespace gradebox
