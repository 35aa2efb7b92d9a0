#!/usr/bin/env python3
"""Runs every fixture through dev/run_box.py (no sandbox) and compares the
category outcomes with fixtures/dijkstra_ts/expected.json. Development only."""
import json
import os
import subprocess
import sys

TASK_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(TASK_DIR)), "fixtures", "dijkstra_ts")


def outcome(path):
    out = subprocess.run([sys.executable, os.path.join(TASK_DIR, "dev", "run_box.py"), path, "--json"],
                         capture_output=True, text=True).stdout
    data = json.loads(out[:out.index("\nverdict-ish")])
    load = data["load"]
    if not load.get("ok"):
        for key, verdict in (("compile_error", "compile-error"), ("unsupported", "unsupported")):
            if load.get(key):
                return {"verdict": verdict}
        return {"verdict": "no-code"}
    cats = {t["id"]: t["category"] for t in json.load(open(os.path.join(TASK_DIR, "tests.json")))["tests"]}
    seen = {}
    for r in data["result"]["results"]:
        seen.setdefault(cats[r["id"]], set()).add(r["status"])
    return {"verdict": "graded", "categories": {c: "pass" if s == {"pass"} else "n/a" if s == {"n/a"} else "fail"
                                                for c, s in seen.items()}}


def main():
    expected = json.load(open(os.path.join(FIXTURES, "expected.json")))
    bad = 0
    for name, want in sorted(expected.items()):
        if want["verdict"] == "no-code":
            continue  # decided by extraction, which this dev loop does not reproduce
        got = outcome(os.path.join(FIXTURES, name))
        ok = got == want
        bad += not ok
        diff = "" if ok else " got " + json.dumps({k: v for k, v in got.get("categories", got).items()
                                                    if want.get("categories", want).get(k) != v})
        print(("ok   " if ok else "DIFF ") + name + diff)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
