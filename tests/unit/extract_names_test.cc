// defined_names: top-level names per language, for the join retry.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gradebox/extract.h"

namespace gradebox {
namespace {

using Names = std::vector<std::string>;

Candidate block(const std::string& language, const std::string& code) {
  Candidate candidate;
  candidate.language = language;
  candidate.code = code;
  return candidate;
}

TEST(DefinedNames, PythonTopLevelDefinitions) {
  const std::string code = R"(import itertools
from collections import deque as Queue, OrderedDict
from typing import (Any, List)
import os.path, numpy as np

MAX_DEPTH: int = 1000
a, b = 1, 2
counter += 1
x == 3

@lru_cache(maxsize=None)
def flatten(nested):
    """Docstring
helper = "inside a docstring, not a name"
    """
    inner = 1
    return nested

async def fetch_all():
    pass

class Flattener(Base):
    depth = 0

if __name__ == "__main__":
    result = flatten([1])
)";
  EXPECT_EQ(defined_names(block("python", code)),
            (Names{"itertools", "Queue", "OrderedDict", "Any", "List", "os", "np", "MAX_DEPTH", "a",
                   "b", "flatten", "fetch_all", "Flattener"}));
}

TEST(DefinedNames, JavaScriptTopLevelDeclarations) {
  const std::string code = R"(const express = require('express');
const { users, findUser: lookup } = require('./data');
const [first, ...rest] = list;
let count = 0, other = 1;
var legacy;
function paginate(items, page) {
  const inner = 1;
  function helper() {}
  return items;
}
async function main() {}
function* ids() {}
class UserStore {
  constructor() { this.x = 1; }
}
module.exports = { paginate };
const text = `
const notAName = 1;
`;
export default function handler() {}
export const PAGE_SIZE = 10;
)";
  EXPECT_EQ(defined_names(block("javascript", code)),
            (Names{"express", "users", "lookup", "first", "rest", "count", "legacy", "paginate",
                   "main", "ids", "UserStore", "text", "handler", "PAGE_SIZE"}));
}

TEST(DefinedNames, TypeScriptDeclarations) {
  const std::string code = R"(interface Edge { to: string; weight: number }
type Graph = Map<string, Edge[]>;
export enum Color { Red }
export abstract class Heap<T> {
  private items: T[] = [];
}
export function dijkstra(graph: Graph, source: string): Map<string, number> {
  return new Map();
}
declare const process: any;
)";
  EXPECT_EQ(defined_names(block("typescript", code)),
            (Names{"Edge", "Graph", "Color", "Heap", "dijkstra", "process"}));
}

TEST(DefinedNames, GoPackageLevelDeclarations) {
  const std::string code = R"(package main

import (
	"database/sql"
)

var db *sql.DB

var (
	mu       sync.Mutex
	hits, misses int
)

const (
	A = iota
	B
)

type Order struct {
	ID    int     `json:"id"`
	Total float64 `json:"total"`
}

type (
	User struct{ Name string }
)

func (s *server) usersHandler(w http.ResponseWriter, r *http.Request) {
	rows := 1
}

func main() {
	x := 1
}
)";
  EXPECT_EQ(defined_names(block("go", code)),
            (Names{"db", "mu", "hits", "misses", "A", "B", "Order", "User", "main"}));
}

TEST(DefinedNames, OtherLanguagesDefineNothing) {
  EXPECT_TRUE(defined_names(block("shell", "export X=1\n")).empty());
  EXPECT_TRUE(defined_names(block("json", "{\"a\": 1}")).empty());
}

}  // namespace
}  // namespace gradebox
