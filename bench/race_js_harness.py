"""Times the race_js harness (observer + runner) outside the sandbox against
a bare node start, interleaved so machine load hits both alike; prints medians.

  python3 bench/race_js_harness.py [answer.md|answer.js ...] [-n 10]

An .md answer is timed on its first fenced block (the reference has one); to
time what gradebox extracts from another, keep its box
(`gradebox grade --keep-box`) and pass its box/answer/answer.js.
"""

import json
import re
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

PACK = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "graders", "race_js")
FENCE = re.compile(r"^(```+|~~~+)[^\n]*\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)

ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}


def answer_code(path):
    text = open(path).read()
    if not path.endswith(".md"):
        return text
    block = FENCE.search(text)
    return block.group(2) if block else text


def timed(argv, obs_path=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    if obs_path:
        argv = ["/bin/sh", "-c", 'exec "$@" 3>"$0"', obs_path] + argv
    subprocess.run(argv, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    args = sys.argv[1:]
    rounds = int(args[args.index("-n") + 1]) if "-n" in args else 10
    answers = [a for a in args if a.endswith((".md", ".js"))] or [os.path.join(PACK, "reference.md")]
    tests = json.load(open(os.path.join(PACK, "tests.json")))["tests"]
    stripped = [{k: v for k, v in t.items() if k != "expect"} | {"time_limit_ms": 250} for t in tests]
    for answer in answers:
        with tempfile.TemporaryDirectory() as work:
            os.makedirs(os.path.join(work, "answer"))
            path = os.path.join(work, "answer", "answer.js")
            open(path, "w").write(answer_code(answer))
            inputs = os.path.join(work, "inputs.json")
            json.dump({"answer": path, "files": [], "tests": stripped, "options": {}}, open(inputs, "w"))
            harness = ["/usr/bin/python3", "-E", "-s", "-S", "-B", os.path.join(PACK, "harness.py"), inputs]
            bare, full = [], []
            for _ in range(rounds):
                bare.append(timed(["/usr/bin/node", "-e", "0"]))
                full.append(timed(harness, os.path.join(work, "obs.jsonl")))
        med = lambda rows, i: statistics.median(r[i] for r in rows) * 1000  # noqa: E731
        print(f"{os.path.basename(answer)}: harness {med(full, 0):.0f} ms wall / {med(full, 1):.0f} ms cpu; "
              f"bare node {med(bare, 0):.0f} ms wall / {med(bare, 1):.0f} ms cpu; "
              f"harness minus bare {med(full, 0) - med(bare, 0):.0f} ms wall")


if __name__ == "__main__":
    main()
