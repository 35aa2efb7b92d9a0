#!/usr/bin/env python3
"""Development loop for dijkstra_ts WITHOUT the sandbox (trusted answers only).

Lays out a box the way gradebox does (answer/answer.ts, harness files
flattened, inputs.json with every expect stripped), runs the harness with a
minimal environment and fd 3 captured, then runs check.py on the result.

  dev/run_box.py ANSWER.md|ANSWER.ts [--only cat1,cat2] [--json] [--keep]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, OrderedDict

TASK_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRADERS = os.path.dirname(TASK_DIR)


def extract(text):
    """First TypeScript-ish fenced block holding the entry point (approximation of src/extract)."""
    task = json.load(open(os.path.join(TASK_DIR, "task.json")))
    blocks = re.findall(r"^(```|~~~)[ \t]*([\w+-]*)[^\n]*\n(.*?)^\1[ \t]*$", text, re.S | re.M)
    if not blocks:
        return text
    for _, lang, body in blocks:
        if lang.lower() in ("ts", "typescript", "") and any(re.search(p, body) for p in task["entry_point"]["any_of"]):
            return body
    return blocks[0][2]


def make_box(answer_text, only):
    task = json.load(open(os.path.join(TASK_DIR, "task.json")))
    box = tempfile.mkdtemp(prefix="gb-dijkstra-")
    os.makedirs(os.path.join(box, "answer"))
    with open(os.path.join(box, "answer", "answer.ts"), "w") as f:
        f.write(answer_text)
    for rel in task["harness"]["files"]:
        shutil.copy(os.path.join(TASK_DIR, rel), os.path.join(box, os.path.basename(rel)))
    tests = json.load(open(os.path.join(TASK_DIR, task["tests"])))["tests"]
    if only:
        tests = [t for t in tests if t["category"] in only]
    stripped = [{"id": t["id"], "category": t["category"], "input": t["input"], "time_limit_ms": 1000} for t in tests]
    inputs = {"answer": os.path.join(box, "answer", "answer.ts"), "files": [], "tests": stripped, "options": {}}
    with open(os.path.join(box, "inputs.json"), "w") as f:
        json.dump(inputs, f)
    return box, tests


def run(box):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "NODE_ENV": "production",
           "NODE_PATH": os.path.join(GRADERS, "_node", "node_modules")}
    obs_path = os.path.join(box, "obs.jsonl")
    with open(obs_path, "wb") as obs:
        t0 = time.monotonic()
        before = os.times()
        p = subprocess.run(["/usr/bin/node", os.path.join(box, "harness.js"), os.path.join(box, "inputs.json")],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=lambda: (os.dup2(obs.fileno(), 3), os.set_inheritable(3, True)),
                           close_fds=False, timeout=120)
        wall = time.monotonic() - t0
        after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    observations = [json.loads(line) for line in open(obs_path) if line.strip()]
    outcome = {"exit_code": p.returncode, "signal": None, "limit": None, "violation": "",
               "stdout": p.stdout.decode(errors="replace")[-2000:], "stderr": p.stderr.decode(errors="replace")[-2000:],
               "cpu_seconds": cpu, "wall_seconds": wall}
    return observations, outcome


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("answer")
    ap.add_argument("--only", default="")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    text = open(args.answer).read()
    code = extract(text) if args.answer.endswith(".md") else text
    box, tests = make_box(code, set(filter(None, args.only.split(","))))
    observations, outcome = run(box)
    t0 = time.monotonic()
    chk = subprocess.run(["/usr/bin/python3", "-I", os.path.join(TASK_DIR, "check.py")],
                         input=json.dumps({"tests": tests, "observations": observations, "outcome": outcome}).encode(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check_s = time.monotonic() - t0
    if chk.returncode != 0:
        sys.exit("check.py failed: " + chk.stderr.decode())
    result = json.loads(chk.stdout)
    load = next((o for o in observations if o.get("event") == "load"), {})
    if args.json:
        print(json.dumps({"load": load, "result": result, "outcome": outcome}, indent=1))
    summary = OrderedDict()
    cats = {t["id"]: t["category"] for t in tests}
    for r in result["results"]:
        summary.setdefault(cats[r["id"]], Counter())[r["status"]] += 1
    print("verdict-ish:", "graded" if load.get("ok") else {k: load.get(k) for k in ("compile_error", "unsupported", "no_entry") if load.get(k)})
    shape = (load.get("report") or {}).get("shape")
    if shape:
        print("shape:", shape.get("adapter"), "directed" if shape.get("directed") else "undirected", "paths" if shape.get("paths") else "")
    tsc = (load.get("report") or {}).get("tsc") or {}
    print("tsc: %s diagnostics in %s ms; first: %s" % (tsc.get("count"), tsc.get("time_ms"), (tsc.get("first") or [])[:3]))
    print("timings:", (load.get("report") or {}).get("timings"), "wall %.3f s cpu %.3f s check %.3f s" % (outcome["wall_seconds"], outcome["cpu_seconds"], check_s))
    for cat, c in summary.items():
        bad = [r for r in result["results"] if cats[r["id"]] == cat and r["status"] not in ("pass", "n/a")]
        print("  %-28s %s %s" % (cat, dict(c), ("| " + bad[0]["detail"][:150]) if bad else ""))
    if outcome["stderr"].strip():
        print("stderr:", outcome["stderr"][-600:])
    if args.keep:
        print("box:", box)
    else:
        shutil.rmtree(box)


if __name__ == "__main__":
    main()
