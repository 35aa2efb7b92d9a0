"""Answers whose result is a path (issue 17 classes 1 and 2): check.py turns a
path that stands alone into its length along the test's real edges, and
interpret.js reads a predecessor field by what its values are (a parent node
or a whole route)."""

import json
import os
import subprocess
import sys
import unittest

from test_check_limits import PACK, TESTS, check

END = {"mode": "end", "directed": True, "paths": True, "path_only": True, "rep": "builder"}


def routes(test_id):
    """Shortest routes of a small test, as the reference finds them (parents of a plain Dijkstra)."""
    inp = TESTS[test_id]["input"]
    dist = TESTS[test_id]["expect"]["directed"]["dist"]
    parent = {}
    for u, v, w in inp["edges"]:
        if dist[u] is not None and dist[v] is not None and dist[u] + w == dist[v] and v != inp["source"]:
            parent.setdefault(v, u)
    out = []
    for node in range(inp["n"]):
        if dist[node] is None:
            out.append([])
            continue
        path = [node]
        while path[-1] != inp["source"]:
            path.append(parent[path[-1]])
        out.append(path[::-1])
    return out


def path_value(test_id, paths):
    return {"targets": list(range(len(paths))), "dist": ["absent"] * len(paths), "paths": paths}


class PathOnlyTest(unittest.TestCase):
    def status(self, test_id, value, shape=END):
        code, result, _ = check(test_id, value, shape)
        self.assertEqual(code, 0, result)
        return result["status"], result["detail"]

    def test_shortest_routes_pass_and_empty_means_unreachable(self):
        for tid in ("small-graph-1", "unreachable-1", "parallel-edges-2", "path-consistency-1"):
            self.assertEqual(self.status(tid, path_value(tid, routes(tid))), ("pass", ""), tid)
        value = path_value("unreachable-1", [p or None for p in routes("unreachable-1")])
        self.assertEqual(self.status("unreachable-1", value)[0], "pass")

    def test_a_route_over_a_missing_edge_fails(self):
        paths = routes("small-graph-1")
        paths[4] = [0, 4]  # 0->4 is no edge of small-graph-1
        self.assertEqual(self.status("small-graph-1", path_value("small-graph-1", paths)),
                         ("fail", 'node 4: expected 26, got "not-a-path"'))

    def test_a_route_that_is_not_the_shortest_fails(self):
        paths = routes("small-graph-1")
        paths[5] = [0, 5]  # the direct edge costs 14, the best route 11
        self.assertEqual(self.status("small-graph-1", path_value("small-graph-1", paths)),
                         ("fail", "node 5: expected 11, got 14"))

    def test_a_route_to_another_node_fails(self):
        paths = routes("zero-weight-1")
        paths[2] = paths[1]  # a real route as long as node 2's (0), but to node 1
        self.assertEqual(self.status("zero-weight-1", path_value("zero-weight-1", paths)),
                         ("fail", 'node 2: expected 0, got "not-a-path"'))

    def test_parallel_edges_count_the_cheaper_one(self):
        paths = routes("parallel-edges-1")  # (0, 1) at 5 and at 2
        self.assertEqual(paths[1], [0, 1])
        self.assertEqual(self.status("parallel-edges-1", path_value("parallel-edges-1", paths))[0], "pass")

    def test_hostile_paths_fail_without_an_exception(self):
        for bad in ({"a": 1}, "0,1", 7, [0, [1]], [True, 1]):
            paths = routes("small-graph-1")
            paths[1] = bad
            status, detail = self.status("small-graph-1", path_value("small-graph-1", paths))
            self.assertEqual(status, "fail", bad)
            self.assertIn("node 1", detail)

    def test_large_sparse_checks_the_path_sample(self):
        exp = TESTS["large-sparse-1"]["expect"]["directed"]
        self.assertGreater(len(exp["path_targets"]), len(exp["targets"]))
        only_two = {"targets": exp["targets"], "dist": exp["targets_dist"]}
        self.assertEqual(self.status("large-sparse-1", dict(only_two), dict(END, path_only=False))[0], "pass")
        status, detail = self.status("large-sparse-1", dict(only_two))
        self.assertEqual(status, "fail")
        self.assertIn("not reported", detail)
        full = {"targets": exp["path_targets"], "dist": exp["path_targets_dist"]}
        self.assertEqual(self.status("large-sparse-1", full)[0], "pass")


INTERPRET = """
const { interpretAll } = require('./interpret');
process.stdout.write(JSON.stringify(%s.map(([raw, keys]) => interpretAll(raw, keys))));
"""


def interpreted(cases_js):
    out = subprocess.run(["node", "-e", INTERPRET % cases_js], cwd=PACK, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


class PredecessorRoutesTest(unittest.TestCase):
    def test_values_that_are_routes_become_paths_and_parents_stay_parents(self):
        routes_rec, parents, per_node, routes_list = interpreted("""[
          [{distances: {A: 0, B: 1, C: Infinity}, predecessors: {A: ['A'], B: ['A', 'B']}}, ['A', 'B', 'C']],
          [{distances: {A: 0, B: 1}, previous: {A: null, B: 'A'}}, ['A', 'B']],
          [new Map([['A', {distance: 0, previous: ['A']}], ['B', {distance: 2, previous: ['A', 'B']}]]), ['A', 'B']],
          [{dist: [0, 3, Infinity], parent: [[0], [0, 1], []]}, [0, 1, 2]],
        ]""")
        self.assertEqual(routes_rec["paths"], [[0], [0, 1], None])
        self.assertEqual(parents["prev"], [None, 0])
        self.assertNotIn("paths", parents)
        self.assertEqual(per_node["paths"], [[0], [0, 1]])
        self.assertEqual(routes_list["paths"], [[0], [0, 1], []])

    def test_routes_judged_by_check_py(self):
        test = TESTS["path-consistency-1"]
        dist = test["expect"]["directed"]["dist"]
        good = routes("path-consistency-1")
        shape = {"mode": "all", "directed": True, "paths": True, "rep": "rec-rec"}
        code, result, _ = check("path-consistency-1", {"dist": dist, "prev": [-1] * len(dist), "paths": good}, shape)
        self.assertEqual((code, result["status"]), (0, "pass"), result)
        bad = [list(p) for p in good]
        bad[1] = bad[1][:1] + bad[1]  # the source twice: no self-loop there
        code, result, _ = check("path-consistency-1", {"dist": dist, "paths": bad}, shape)
        self.assertEqual((code, result["status"]), (0, "fail"), result)


if __name__ == "__main__":
    sys.exit(unittest.main())
