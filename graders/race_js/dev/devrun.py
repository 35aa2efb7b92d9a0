"""Dev loop for the race_js pack, without the C++ side: extract a block from
an answer (roughly as gradebox does: first JavaScript block that calls fetch
or names an HTTP client), lay out a box in a temp dir, run the harness
unsandboxed with a minimal environment, judge with check.py, and compare
with fixtures' expected.json when given.

  python3 graders/race_js/dev/devrun.py fixtures/race_js/*.md [-v]
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.dirname(HERE)
GRADERS = os.path.dirname(PACK)
FENCE = re.compile(r"^(```+|~~~+)[ \t]*([^\n`]*)\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)
ENTRY = re.compile(r"\bfetch\s*\(|\baxios\b|require\(\s*['\"](got|superagent|request|needle)['\"]")
JS_TAGS = {"", "js", "javascript", "mjs", "cjs", "node", "jsx"}


def js_blocks(text):
    blocks = [(m.group(2).strip().split()[0].lower() if m.group(2).strip() else "", m.group(3))
              for m in FENCE.finditer(text)]
    return [code for tag, code in blocks if tag in JS_TAGS]


def joined_with_definitions(text, primary, names):
    """The join retry: blocks defining a missing name, in order, then the primary."""
    defining = [code for code in js_blocks(text) if code is not primary and any(
        re.search(rf"\b(const|let|var|function|class)\s+{re.escape(n)}\b", code) for n in names)]
    return "\n".join(defining + [primary]) if defining else None


def primary_block(text):
    blocks = [(m.group(2).strip().split()[0].lower() if m.group(2).strip() else "", m.group(3))
              for m in FENCE.finditer(text)]
    if not blocks:
        return text
    for tag, code in blocks:
        if tag in JS_TAGS and ENTRY.search(code) and "Always logs null" not in code:
            return code
    return None


def run_harness(code, tests, workdir):
    answer_dir = os.path.join(workdir, "answer")
    os.makedirs(answer_dir, exist_ok=True)
    answer = os.path.join(answer_dir, "answer.js")
    with open(answer, "w") as f:
        f.write(code)
    stripped = [{k: v for k, v in t.items() if k != "expect"} | {"time_limit_ms": 1000} for t in tests]
    inputs = os.path.join(workdir, "inputs.json")
    with open(inputs, "w") as f:
        json.dump({"answer": answer, "files": [], "tests": stripped, "options": {}}, f)
    obs_path = os.path.join(workdir, "obs.jsonl")
    argv = ["/usr/bin/python3", "-E", "-s", "-S", "-B", os.path.join(PACK, "harness.py"), inputs]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
           "NODE_PATH": os.path.join(GRADERS, "_node", "node_modules")}
    start = time.monotonic()
    shell = ["/bin/sh", "-c", 'exec "$@" 3>"$0"', obs_path] + argv  # the result channel on fd 3
    proc = subprocess.run(shell, env=env, cwd=workdir, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - start
    with open(obs_path) as f:
        observations = [json.loads(line) for line in f if line.strip()]
    outcome = {"exit_code": proc.returncode, "signal": None, "limit": None, "violation": None,
               "stdout": proc.stdout, "stderr": proc.stderr, "wall_seconds": elapsed}
    return observations, outcome, elapsed


def judge(tests, observations, outcome):
    payload = json.dumps({"tests": tests, "observations": observations, "outcome": outcome})
    proc = subprocess.run(["/usr/bin/python3", "-I", os.path.join(PACK, "check.py")], input=payload,
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def categories(tests, results):
    status = {r["id"]: r["status"] for r in results}
    cats = {}
    for t in tests:
        cats.setdefault(t["category"], []).append(status.get(t["id"], "fail"))
    return {c: "pass" if all(s == "pass" for s in v) else "fail" for c, v in cats.items()}


def grade(path, tests, verbose):
    text = open(path).read()
    code = primary_block(text)
    if code is None:
        return {"verdict": "no-code"}, 0.0
    with tempfile.TemporaryDirectory() as workdir:
        observations, outcome, elapsed = run_harness(code, tests, workdir)
    missing = {o["missing_name"] for o in observations if isinstance(o.get("missing_name"), str)}
    joined = joined_with_definitions(text, code, missing) if missing else None
    if joined:  # gradebox keeps the better of the two; the joined run is enough here
        with tempfile.TemporaryDirectory() as workdir:
            observations, outcome, elapsed = run_harness(joined, tests, workdir)
    load = next((o for o in observations if o.get("event") == "load"), {})
    if load.get("unsupported"):
        return {"verdict": "unsupported", "detail": load["unsupported"]}, elapsed
    if load.get("compile_error"):
        return {"verdict": "compile-error", "detail": load["compile_error"]}, elapsed
    verdict = judge(tests, observations, outcome)
    if verbose:
        for r in verdict["results"]:
            if r["status"] != "pass":
                print(f"    {r['id']}: {r['status']} {r['detail'][:300]}")
        if outcome["stderr"].strip():
            print("    stderr:", outcome["stderr"][-600:])
    return {"verdict": "graded", "categories": categories(tests, verdict["results"])}, elapsed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    tests = json.load(open(os.path.join(PACK, "tests.json")))["tests"]
    mismatches = 0
    for path in args:
        got, elapsed = grade(path, tests, verbose)
        expected_file = os.path.join(os.path.dirname(path), "expected.json")
        expected = json.load(open(expected_file)).get(os.path.basename(path)) if os.path.exists(expected_file) else None
        fails = sorted(c for c, s in got.get("categories", {}).items() if s != "pass")
        mark = "" if expected is None else ("ok " if expected == {k: v for k, v in got.items() if k != "detail"} else "MISMATCH ")
        mismatches += mark.startswith("MISMATCH")
        print(f"{mark}{os.path.basename(path)}: {got['verdict']} {elapsed*1000:.0f}ms fails={fails} {got.get('detail', '')}")
        if mark.startswith("MISMATCH"):
            print("    expected:", json.dumps(expected))
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
