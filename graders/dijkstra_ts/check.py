#!/usr/bin/env python3
"""Trusted checker for dijkstra_ts (runs outside the sandbox, stdlib only).

stdin:  {"tests": [...with expect...], "observations": [...events...], "outcome": {...}}
stdout: {"results": [{"id", "status", "detail"}], "extra": {...}}

Expected distances come from this file's reference Dijkstra (gen_tests.py
stores them in tests.json; large generated graphs are stored as a digest plus
a few target distances, and harness.js sends the answer's list as the same
digest). The harness reports what the answer returned and how it was called
(load event "report.shape"); every verdict is made here.

Every field of a test's value comes from the answer's runner: any JSON at
all, up to the channel's limits (gb_trusted). A value of the wrong shape
(a node id that is not one, a distance that is a list) is a fail; only a
fault of this script is a grader-error.
"""
import heapq
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_trusted"))  # -I drops it
from gb_trusted import cut, read_request, shown  # noqa: E402

UNREACHABLE = {"Infinity", "null", "undefined", "absent"}


# --- reference (shared with gen_tests.py; the LCG matches graphs.js) -------

def lcg(seed):
    state = seed & 0xFFFFFFFF

    def step():
        nonlocal state
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        return state >> 8
    return step


def generate(n, m, seed, max_weight=100):
    """Same graph as graphs.js generate(): random recursive tree + extra edges."""
    r = lcg(seed)
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        j = r() % (i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    edges = []
    for i in range(1, n):
        edges.append((perm[r() % i], perm[i], 1 + r() % max_weight))
    for _ in range(n - 1, m):
        edges.append((r() % n, r() % n, 1 + r() % max_weight))
    return edges, perm[0]


def graph_of(inp):
    if "generate" in inp:
        g = inp["generate"]
        edges, root = generate(g["n"], g["m"], g["seed"], g.get("max_weight", 100))
        return g["n"], edges, inp.get("source", root)
    return inp["n"], [tuple(e) for e in inp["edges"]], inp["source"]


def dijkstra(n, edges, source, directed=True):
    """Distances (None: unreachable). Non-negative weights only."""
    adj = [[] for _ in range(n)]
    for u, v, w in edges:
        adj[u].append((v, w))
        if not directed:
            adj[v].append((u, w))
    dist = [None] * n
    dist[source] = 0
    heap = [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, w in adj[u]:
            if dist[v] is None or d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


def digest(dist):
    import hashlib  # here: harness.js sends digests, so judging rarely needs it (import ~10 ms)
    return hashlib.sha256(json.dumps(dist, separators=(",", ":")).encode()).hexdigest()


# --- judging ---------------------------------------------------------------

def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def is_node(x, n):
    return isinstance(x, int) and not isinstance(x, bool) and 0 <= x < n


def is_unreachable(x):
    return isinstance(x, str) and x in UNREACHABLE


class Graph:
    """The test's graph; edges are generated/indexed only when a path is checked."""

    def __init__(self, inp, directed):
        self.inp, self.directed = inp, directed
        self.n = inp["generate"]["n"] if "generate" in inp else inp["n"]
        self.source = inp["source"]
        self._weights = None
        self._on_paths = None

    def index_only(self, paths):
        """Index only the edges out of these paths' nodes: on the large graph, indexing all
        200,000 edges costs seconds, and a path-only answer's few routes touch a few hundred."""
        self._on_paths = {x for p in paths if isinstance(p, list) for x in p if is_node(x, self.n)}

    def weights(self):
        if self._weights is None:
            n, edges, _ = graph_of(self.inp)
            self._weights = {}
            nodes = self._on_paths
            for u, v, w in edges:
                if nodes is not None and u not in nodes and v not in nodes:
                    continue
                for a, b in ([(u, v)] if self.directed else [(u, v), (v, u)]):
                    self._weights.setdefault((a, b), set()).add(w)
        return self._weights

    def path_length(self, path):
        """Total weight of a path that follows real edges, else None."""
        if not isinstance(path, list) or not path or path[0] != self.source:
            return None
        if not all(is_node(node, self.n) for node in path):
            return None
        total = 0
        for a, b in zip(path, path[1:]):
            ws = self.weights().get((a, b))
            if not ws:
                return None
            total += min(ws)
        return total


def path_to(value, i, graph):
    """The answer's path to node i: from `paths`, or walked back along `prev`."""
    paths = value.get("paths")
    if isinstance(paths, list) and i < len(paths) and isinstance(paths[i], list):
        return paths[i]
    prev = value.get("prev")
    if not isinstance(prev, list) or len(prev) != graph.n:
        return None
    path, node = [i], i
    while node != graph.source:
        node = prev[node]
        if not isinstance(node, int) or isinstance(node, bool) or node < 0 or node >= graph.n or node in path:
            return None
        path.append(node)
    return path[::-1]


def reported(value, end_mode, graph):
    """{node: reported distance} with paths turned into lengths where only a path came back: the
    length along the test's real edges (cheapest parallel edge), never a number from the answer."""
    dist = value.get("dist")
    if not isinstance(dist, list):
        return None
    nodes = value.get("targets") if end_mode else list(range(graph.n))
    if not isinstance(nodes, list) or len(nodes) != len(dist) or not all(is_node(x, graph.n) for x in nodes):
        return None
    out = {}
    if end_mode and isinstance(value.get("paths"), list) and "generate" in graph.inp:
        graph.index_only(value["paths"])
    for k, (node, d) in enumerate(zip(nodes, dist)):
        if d == "absent" and end_mode and isinstance(value.get("paths"), list):
            p = value["paths"][k] if k < len(value["paths"]) else None
            if p:
                d = graph.path_length(p) if isinstance(p, list) and p[-1] == node else None
                d = "not-a-path" if d is None else d
        out[node] = d
    return out


def dist_matches(got, want, end_mode):
    if want is None:
        return is_unreachable(got) or (end_mode and got == "throw")
    return is_num(got) and got == want


def compare(got, want, end_mode, only=None):
    """'' if every compared node matches, else a detail naming the first mismatch."""
    nodes = only if only is not None else sorted(got)
    for node in nodes:
        if node not in got:
            return f"node {node}: not reported"
        if not dist_matches(got[node], want[node], end_mode):
            exp = "unreachable (Infinity/absent/null/undefined)" if want[node] is None else want[node]
            return f"node {node}: expected {exp}, got {shown(got[node])}"
    return ""


def expected_dist(test, mode_key):
    exp = test["expect"][mode_key]
    if "dist" in exp:
        return exp["dist"]
    n, edges, source = graph_of(test["input"])  # large graphs: recomputed only on mismatch
    return dijkstra(n, edges, source, mode_key == "directed")


def judge_digest(test, value, mode_key, graph):
    """A generated graph's distances as harness.js sends them: the digest of the whole list, and the
    values at the target nodes (to name a node when the digest is not the reference's)."""
    if value.get("dist_n") != graph.n:
        return "fail", "result has no per-node distances"
    exp = test["expect"][mode_key]
    if value.get("dist_sha256") == exp.get("sha256"):
        return "pass", ""
    at = value.get("dist_at") if isinstance(value.get("dist_at"), dict) else {}
    targets = exp.get("targets", [])
    detail = compare({t: at.get(str(t), "absent") for t in targets},
                     dict(zip(targets, exp.get("targets_dist", []))), False)
    return "fail", detail or f"the {graph.n} distances differ from the reference's (sha256 {value.get('dist_sha256')})"


def judge_distances(test, value, shape, graph):
    end_mode = shape.get("mode") == "end"
    mode_key = "directed" if shape.get("directed", True) else "undirected"
    if "dist_sha256" in value and not end_mode:
        return judge_digest(test, value, mode_key, graph)
    got = reported(value, end_mode, graph)
    if got is None:
        return "fail", "result has no per-node distances"
    exp = test["expect"][mode_key]
    if "sha256" in exp and not end_mode and len(got) == graph.n:
        normalized = [None if is_unreachable(d) else d for d in (got[i] for i in range(graph.n))]
        if digest(normalized) == exp["sha256"]:
            return "pass", ""
    if "targets" in exp and end_mode:
        # an answer that returns only a path is called on a larger sample (runner.js endTargets)
        key = "path_targets" if shape.get("path_only") and "path_targets" in exp else "targets"
        want = dict(zip(exp[key], exp[key + "_dist"]))
        detail = compare(got, want, end_mode, only=exp[key])
        return ("fail", detail) if detail else ("pass", "")
    want = expected_dist(test, mode_key)
    if test["category"] == "source-zero":
        detail = compare(got, want, end_mode, only=[graph.source])
    else:
        detail = compare(got, dict(enumerate(want)), end_mode,
                         only=None if end_mode else list(range(graph.n)))
    return ("fail", detail) if detail else ("pass", "")


def judge_paths(test, value, shape, graph):
    end_mode = shape.get("mode") == "end"
    mode_key = "directed" if shape.get("directed", True) else "undirected"
    want = expected_dist(test, mode_key)
    got = reported(value, end_mode, graph) or {}
    nodes = value.get("targets") if end_mode else range(graph.n)
    if end_mode and got is None:
        return "fail", "result has no per-node distances"
    for k, node in enumerate(nodes or []):
        if want[node] is None:
            continue
        path = (value.get("paths") or [None] * (k + 1))[k] if end_mode else path_to(value, node, graph)
        length = graph.path_length(path) if path else None
        if length is None or path[-1] != node:
            return "fail", f"node {node}: path {shown(path)} does not lead from the source along real edges"
        if not is_num(got.get(node)) or length != got[node]:
            return "fail", f"node {node}: path sums to {length}, reported distance {shown(got.get(node))}"
    return "pass", ""


def judge_test(test, obs, shape):
    cat = test["category"]
    if cat == "parallel-edges" and not shape.get("holds_parallel_edges", True):
        return "n/a", f"representation {shape.get('rep')} holds one edge per pair"
    if cat == "zero-weight" and not shape.get("holds_zero_weight", True):
        return "n/a", f"representation {shape.get('rep')} uses 0 for 'no edge'"
    if cat == "path-consistency" and not shape.get("paths"):
        return "n/a", "the answer returns no paths or predecessors"
    if cat == "negative-weight-terminates":
        # Returning anything terminates; so does raising, which gradebox
        # judges from the test's expectation ("raises": "allowed").
        return "pass", "returned"
    if cat == "no-mutation":
        # A behaviour category: the call must return (any value, even one in a
        # shape nobody reads) and leave its input alone; the values are judged
        # elsewhere, and gradebox's behaviour rule (graders/README.md) gates it.
        mut = obs.get("mutation")
        if not isinstance(mut, dict) or mut.get("before") != mut.get("after"):
            return "fail", "input changed by the call: " + str((mut or {}).get("diff", "no snapshot"))[:400]
        value = obs.get("value") or {}
        if "repeat" in value and value["repeat"] != value.get("dist"):
            return "fail", "a second call on the same graph gave different distances"
        return "pass", ""
    if not isinstance(obs.get("value"), dict):
        return "fail", f"unusable result: {str(obs.get('message', ''))[:200]}"
    graph = Graph(test["input"], shape.get("directed", True))
    if cat == "path-consistency":
        return judge_paths(test, obs["value"], shape, graph)
    verdict = judge_distances(test, obs["value"], shape, graph)
    limit = test["input"].get("time_limit_ms")
    used = obs.get("cpu_ms", obs.get("time_ms"))
    if verdict[0] == "pass" and limit and is_num(used) and used > limit:
        return "timeout", f"{used} ms of CPU > {limit} ms"
    return verdict


def collect(observations):
    """load event, {id: test event}, done seen. gradebox sends one event per
    test, and only for the tests that returned (src/check/)."""
    load, by_id, done = None, {}, False
    for ev in observations:
        if not isinstance(ev, dict):
            continue
        kind = ev.get("event")
        if kind == "load" and load is None:
            load = ev
        elif kind == "test" and isinstance(ev.get("id"), str):
            by_id[ev["id"]] = ev
        elif kind == "done":
            done = True
    return load, by_id, done


def unclean_run(data, done):
    """(status, detail) for every test when the run's observations are void,
    else None. The harness always ends with a done event and exit 0; anything
    else (the answer killed it, a limit ended it) voids even the tests it
    reported, since the answer may have written them: they take the status
    gradebox gives an unreported test ("unreported": src/check/)."""
    outcome = data.get("outcome") or {}
    ended = outcome.get("exit_code") == 0 and not outcome.get("signal") and done
    if ended and outcome.get("limit") in (None, "none", "") and not outcome.get("violation"):
        return None
    unreported = data.get("unreported") or {}
    return unreported.get("status", "fail"), "harness did not finish cleanly: " + str(unreported.get("detail", ""))


def main():
    data = read_request()
    tests = data["tests"]
    load, by_id, done = collect(data.get("observations") or [])
    void = unclean_run(data, done)
    extra = cut(dict((load or {}).get("report") or {}))
    results = []
    for test in tests:
        tid = test["id"]
        if void:
            results.append({"id": tid, "status": void[0], "detail": void[1]})
        elif load is None or not load.get("ok"):
            reason = (load or {}).get("compile_error") or (load or {}).get("unsupported") or "no entry point"
            results.append({"id": tid, "status": "fail", "detail": str(reason)[:300]})
        elif tid not in by_id:
            results.append({"id": tid, "status": "fail", "detail": "no observation"})
        else:
            obs = by_id[tid]
            status, detail = judge_test(test, obs, (load.get("report") or {}).get("shape") or {})
            res = {"id": tid, "status": status, "detail": detail}
            if is_num(obs.get("time_ms")):
                res["time_ms"] = obs["time_ms"]
            results.append(res)
    json.dump({"results": results, "extra": extra}, sys.stdout)


if __name__ == "__main__":
    main()
