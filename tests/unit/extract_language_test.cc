// canonical_language (tag aliases) and detect_language (content).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "gradebox/extract.h"

namespace gradebox {
namespace {

TEST(CanonicalLanguage, AliasesMapToCanonicalNames) {
  const std::vector<std::pair<std::string, std::string>> cases = {{"py", "python"},
                                                                  {"python3", "python"},
                                                                  {"py3", "python"},
                                                                  {"Python", "python"},
                                                                  {"js", "javascript"},
                                                                  {"javascript", "javascript"},
                                                                  {"mjs", "javascript"},
                                                                  {"cjs", "javascript"},
                                                                  {"node", "javascript"},
                                                                  {"nodejs", "javascript"},
                                                                  {"jsx", "javascript"},
                                                                  {"ts", "typescript"},
                                                                  {"typescript", "typescript"},
                                                                  {"tsx", "typescript"},
                                                                  {"go", "go"},
                                                                  {"golang", "go"},
                                                                  {"sh", "shell"},
                                                                  {"bash", "shell"},
                                                                  {"shell", "shell"},
                                                                  {"console", "shell"},
                                                                  {"json", "json"},
                                                                  {"sql", "sql"},
                                                                  {"text", "text"},
                                                                  {"plaintext", "text"},
                                                                  {"txt", "text"},
                                                                  {"{python}", "python"},
                                                                  {"{.js}", "javascript"},
                                                                  {"language-ts", "typescript"},
                                                                  {" TS ", "typescript"}};
  for (const auto& [tag, expected] : cases) {
    EXPECT_EQ(canonical_language(tag), expected) << "tag: " << tag;
  }
}

TEST(CanonicalLanguage, UnknownTagsAreEmpty) {
  EXPECT_EQ(canonical_language(""), "");
  EXPECT_EQ(canonical_language("pseudo"), "");
  EXPECT_EQ(canonical_language("pythonic"), "");
}

TEST(DetectLanguage, Python) {
  EXPECT_EQ(detect_language("def flatten(lst):\n    return [x for x in lst]\n"), "python");
  EXPECT_EQ(detect_language("from itertools import chain\n\nprint(list(chain([1], [2])))\n"),
            "python");
  EXPECT_EQ(detect_language("import sys\nclass Node:\n    pass\n"), "python");
  EXPECT_EQ(detect_language(">>> flatten([1, [2]])\n[1, 2]\n"), "python");
  // Python type hints are not TypeScript.
  EXPECT_EQ(detect_language("def flatten(items: list[Any]) -> list[Any]:\n    x: int = 0\n"
                            "    return items\n"),
            "python");
}

TEST(DetectLanguage, JavaScript) {
  EXPECT_EQ(detect_language("const express = require('express');\nconst app = express();\n"),
            "javascript");
  EXPECT_EQ(detect_language("fetch('/api/data')\n  .then(r => r.json())\n  "
                            ".then(d => console.log(d));\n"),
            "javascript");
  EXPECT_EQ(detect_language("let data = null;\nasync function main() {\n  data "
                            "= await load();\n}\n"),
            "javascript");
  EXPECT_EQ(detect_language("import express from 'express';\nexport default app;\n"), "javascript");
}

TEST(DetectLanguage, TypeScriptFromAnnotations) {
  EXPECT_EQ(detect_language("function dijkstra(graph: Graph, start: string): Map<string, number> "
                            "{\n"
                            "  const dist = new Map<string, number>();\n  return dist;\n}\n"),
            "typescript");
  EXPECT_EQ(detect_language("interface Edge {\n  to: string;\n  weight: number;\n}\n"),
            "typescript");
  EXPECT_EQ(detect_language("type Graph = Record<string, Edge[]>;\nconst g: Graph = {};\n"),
            "typescript");
  EXPECT_EQ(detect_language("class PriorityQueue<T> {\n  private heap: T[] = [];\n}\n"),
            "typescript");
}

TEST(DetectLanguage, JsTaggedBlockWithAnnotationsIsStillDetectedAsTypeScript) {
  const std::string code =
      "const dist: Record<string, number> = {};\nfunction relax(u: string, w: "
      "number): void {\n"
      "  console.log(u, w);\n}\n";
  EXPECT_EQ(detect_language(code), "typescript");
  auto blocks = extract_blocks("```javascript\n" + code + "```\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].language, "javascript");  // the tag wins
  EXPECT_EQ(blocks[0].language_from, "tag");
}

TEST(DetectLanguage, Go) {
  EXPECT_EQ(detect_language("package main\n\nimport \"fmt\"\n\nfunc main() "
                            "{\n\tfmt.Println(1)\n}\n"),
            "go");
  EXPECT_EQ(detect_language("func usersHandler(w http.ResponseWriter, r *http.Request) {\n"
                            "\tname := r.URL.Query().Get(\"name\")\n}\n"),
            "go");
  // SQL inside Go strings does not make it SQL.
  EXPECT_EQ(detect_language("rows, err := db.Query(\"SELECT id FROM users WHERE name = ?\", n)\n"
                            "if err != nil {\n\treturn err\n}\n"),
            "go");
}

TEST(DetectLanguage, Shell) {
  EXPECT_EQ(detect_language("$ npm install express\n"), "shell");
  EXPECT_EQ(detect_language("$ python flatten.py\n[1, 2, 3]\n"), "shell");
  EXPECT_EQ(detect_language("npm init -y\nnpm install express cors\nnode app.js\n"), "shell");
  EXPECT_EQ(detect_language("go run main.go\ncurl \"http://localhost:8080/users?name=al\"\n"),
            "shell");
}

TEST(DetectLanguage, JsonAndSql) {
  EXPECT_EQ(detect_language("{\n  \"page\": 1,\n  \"data\": [{\"id\": 1, "
                            "\"name\": \"Ann\"}]\n}\n"),
            "json");
  EXPECT_EQ(detect_language("[1, 2, 3, 4]\n"), "json");
  EXPECT_EQ(detect_language("SELECT u.id, o.total\nFROM users u\nLEFT JOIN "
                            "orders o ON o.user_id = u.id;\n"),
            "sql");
  EXPECT_EQ(detect_language("CREATE INDEX idx_orders_user ON orders(user_id);\n"), "sql");
  // A JavaScript object literal is not JSON.
  EXPECT_NE(detect_language("{ id: 1, name: 'Ann' }\n"), "json");
}

TEST(DetectLanguage, UnsureIsText) {
  EXPECT_EQ(detect_language(""), "text");
  EXPECT_EQ(detect_language("[1, 2, 3, 4, 5]  <- output\n"), "text");
  EXPECT_EQ(detect_language("Time complexity: O(n) where n is the number of elements.\n"), "text");
  EXPECT_EQ(detect_language("Traceback (most recent call last):\n  File \"x\", line 1\n"), "text");
}

TEST(DetectLanguage, DeeplyNestedJsonDoesNotRecurseWithoutBound) {
  std::string deep(100'000, '[');
  deep += std::string(100'000, ']');
  EXPECT_NE(detect_language(deep), "json");
}

}  // namespace
}  // namespace gradebox
