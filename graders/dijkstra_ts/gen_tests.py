#!/usr/bin/env python3
"""Writes tests.json for dijkstra_ts (a development tool, not run at grading).

Inputs are explicit small graphs or a seed for the large one; expectations
come from check.py's reference Dijkstra, for both readings of the edges
(directed, and undirected for answers whose addEdge/edge list is undirected).
Deterministic: the same file every run.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402  (the trusted reference)

LARGE = {"n": 50000, "m": 200000, "seed": 20240601}
PATH_SAMPLE = 3  # targets checked, one call each, for answers that return only a path (all within the limit)


def expect(n, edges, source):
    return {mode: {"dist": check.dijkstra(n, edges, source, mode == "directed")}
            for mode in ("directed", "undirected")}


def test(tid, category, n, edges, source, with_expect=True):
    t = {"id": tid, "category": category, "input": {"n": n, "edges": [list(e) for e in edges], "source": source}}
    if with_expect:
        t["expect"] = expect(n, edges, source)
    return t


def reachable_graph(rng, n, extra, max_w):
    """A random tree from the source (every node reachable) plus extra edges."""
    order = list(range(n))
    rng.shuffle(order)
    edges = [(order[rng.randrange(i)], order[i], rng.randint(1, max_w)) for i in range(1, n)]
    edges += [(rng.randrange(n), rng.randrange(n), rng.randint(1, max_w)) for _ in range(extra)]
    edges = [e for e in edges if e[0] != e[1]]
    rng.shuffle(edges)
    return edges, order[0]


def core_tests(rng):
    wiki = [(0, 1, 7), (0, 2, 9), (0, 5, 14), (1, 2, 10), (1, 3, 15), (2, 3, 11), (2, 5, 2), (3, 4, 6), (4, 5, 9)]
    other = [(0, 1, 2), (0, 2, 4), (1, 2, 1), (1, 3, 7), (2, 4, 3), (4, 3, 2), (3, 5, 1), (4, 5, 5)]
    out = [test("small-graph-1", "small-graph", 6, wiki, 0), test("small-graph-2", "small-graph", 6, other, 0)]
    for k in range(3):
        n = 6 + 4 * k
        edges, src = reachable_graph(rng, n, 2 * n, 9)
        edges += [(v, src, rng.randint(0, 3)) for v in range(n) if v != src and rng.random() < 0.3]
        out.append(test(f"source-zero-{k + 1}", "source-zero", n, edges, src))
    for k in range(50):
        n = rng.randint(10, 60)
        edges, src = reachable_graph(rng, n, rng.randint(n, 4 * n), rng.choice([5, 20, 100]))
        out.append(test(f"random-graphs-{k + 1:02d}", "random-graphs", n, edges, src))
    out += decrease_key_tests(rng)
    for k in range(3):
        n = 15 + 5 * k
        edges, src = reachable_graph(rng, n, 3 * n, 30)
        out.append(test(f"path-consistency-{k + 1}", "path-consistency", n, edges, src))
    return out


def decrease_key_tests(rng):
    """Each node's first-found distance is improved later (catches visited-at-push)."""
    g1 = [(0, 1, 10), (0, 2, 1), (2, 1, 1), (1, 3, 1), (0, 3, 20)]
    g2 = [(0, i, 10 * i) for i in range(2, 8)] + [(i, i + 1, 1) for i in range(1, 7)] + [(0, 1, 1)]
    g3 = [(0, 4, 100), (0, 1, 1), (1, 4, 50), (1, 2, 1), (2, 4, 10), (2, 3, 1), (3, 4, 1), (4, 5, 1)]
    n4 = 20
    g4 = [(0, v, 50 + rng.randint(0, 50)) for v in range(1, n4)]
    g4 += [(u, u + 1, rng.randint(1, 3)) for u in range(0, n4 - 1)]
    g4 += [(rng.randrange(n4), rng.randrange(n4), rng.randint(1, 40)) for _ in range(30)]
    return [test("decrease-key-1", "decrease-key", 4, g1, 0), test("decrease-key-2", "decrease-key", 8, g2, 0),
            test("decrease-key-3", "decrease-key", 6, g3, 0), test("decrease-key-4", "decrease-key", n4, g4, 0)]


def edge_tests(rng):
    out = [
        test("unreachable-1", "unreachable", 6, [(0, 1, 3), (1, 2, 4), (3, 4, 1), (4, 5, 2), (5, 3, 1)], 0),
        test("unreachable-2", "unreachable", 4, [(0, 1, 2), (2, 0, 1), (3, 2, 4)], 0),
    ]
    comp_a, src_a = reachable_graph(rng, 10, 10, 9)
    comp_b, _ = reachable_graph(rng, 8, 8, 9)
    out.append(test("unreachable-3", "unreachable", 18, comp_a + [(u + 10, v + 10, w) for u, v, w in comp_b], src_a))
    out += [
        test("zero-weight-1", "zero-weight", 4, [(0, 1, 0), (1, 2, 0), (2, 3, 5), (0, 3, 6)], 0),
        test("zero-weight-2", "zero-weight", 4, [(0, 1, 0), (1, 0, 0), (1, 2, 3), (2, 1, 0), (2, 3, 0)], 0),
        test("parallel-edges-1", "parallel-edges", 3, [(0, 1, 5), (0, 1, 2), (1, 2, 1)], 0),
        test("parallel-edges-2", "parallel-edges", 3, [(0, 1, 2), (0, 1, 5), (1, 2, 1), (0, 2, 10), (0, 2, 4)], 0),
        test("self-loop-1", "self-loop", 3, [(0, 0, 3), (0, 1, 2), (1, 1, 1), (1, 2, 2)], 0),
        test("self-loop-2", "self-loop", 4, [(0, 0, 0), (0, 1, 4), (1, 2, 1), (2, 2, 7), (2, 3, 2), (0, 3, 9)], 0),
        test("single-node-1", "single-node", 1, [], 0),
        test("isolated-source-1", "isolated-source", 5, [(1, 2, 3), (2, 3, 1), (3, 4, 2), (4, 1, 5)], 0),
        test("isolated-source-2", "isolated-source", 4, [(1, 0, 3), (2, 0, 1), (1, 2, 2), (3, 1, 1)], 0),
        large_test(),
        negative_weight_test(),
    ]
    for k, n in enumerate((12, 20)):
        edges, src = reachable_graph(rng, n, 2 * n, 20)
        out.append(test(f"no-mutation-{k + 1}", "no-mutation", n, edges, src))
    return out


def negative_weight_test():
    """Terminating is all it asks: returning anything, or raising (an answer
    may refuse negative weights), which gradebox judges from "raises"."""
    t = test("negative-weight-terminates-1", "negative-weight-terminates", 4,
             [(0, 1, 4), (0, 2, 2), (2, 1, -3), (1, 3, 1), (2, 3, 5)], 0, with_expect=False)
    t["expect"] = {"raises": "allowed"}
    return t


def large_test():
    n = LARGE["n"]
    edges, src = check.generate(n, LARGE["m"], LARGE["seed"])
    inp = {"generate": dict(LARGE), "source": src, "time_limit_ms": 3000, "targets": {}, "path_targets": {}}
    exp = {}
    sample = random.Random(LARGE["seed"]).sample(range(n), PATH_SAMPLE)
    for mode in ("directed", "undirected"):
        dist = check.dijkstra(n, edges, src, mode == "directed")
        far = max(range(n), key=lambda v: (dist[v] if dist[v] is not None else -1, v))
        targets = [far, (src + n // 2) % n]
        inp["targets"][mode] = targets
        path_targets = (targets + [v for v in sample if v not in targets])[:PATH_SAMPLE]
        inp["path_targets"][mode] = path_targets
        exp[mode] = {"sha256": check.digest(dist), "targets": targets, "targets_dist": [dist[t] for t in targets],
                     "path_targets": path_targets, "path_targets_dist": [dist[t] for t in path_targets]}
    return {"id": "large-sparse-1", "category": "large-sparse", "time_limit_ms": 3000, "input": inp, "expect": exp}


def main():
    rng = random.Random(7)
    tests = core_tests(rng) + edge_tests(rng)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests.json")
    with open(path, "w") as f:
        json.dump({"tests": tests}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(tests)} tests to {path}")


if __name__ == "__main__":
    main()
