"""devgrade: grade answers with a Python task pack, without gradebox or a sandbox.

A developer tool for writing task packs and fixtures (gradebox never runs
it). It mimics gradebox closely enough to check a pack: the primary block by
the task's entry regexes, the join retry on a missing name, expectations
stripped from inputs.json, time limits scaled from the reference, the
harness on fd 3, the built-in "values" checker with strict JSON types. It
does NOT isolate anything: run only answers you wrote or trust.

    python3 graders/_python/devgrade.py graders/flatten_py ANSWER.md...
    python3 graders/_python/devgrade.py graders/flatten_py --selftest
    python3 graders/_python/devgrade.py graders/flatten_py --expected fixtures/flatten_py/expected.json
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

FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^\n`]*)\n(.*?)^\1?\2[`~]*[ \t]*$", re.M | re.S)
PYTHON_TAGS = {"python", "py", "python3", "py3"}


class Pack:
    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, "task.json")) as handle:
            self.task = json.load(handle)
        with open(os.path.join(folder, self.task.get("tests", "tests.json"))) as handle:
            self.tests = json.load(handle)["tests"]
        self.kinds = {c["id"]: c["kind"] for c in self.task["categories"]}
        self.entry = [re.compile(p) for p in self.task["entry_point"].get("any_of", [])]


def python_blocks(answer):
    """Code of the fenced blocks that look like Python; bare code if none."""
    blocks = []
    fenced = list(FENCE.finditer(answer))
    for match in fenced:
        tag = (match.group(3).split() or [""])[0].lower()
        code = match.group(4)
        looks_python = re.search(r"^\s*(def|class|import|from|print)\b", code, re.M)
        if tag in PYTHON_TAGS or (not tag and looks_python):
            blocks.append(code)
    if not fenced:
        blocks.append(answer)
    return blocks


def primary_index(pack, blocks):
    for index, code in enumerate(blocks):
        if any(pattern.search(code) for pattern in pack.entry):
            return index
    return None


def defines(code, name):
    pattern = rf"^(def|class)\s+{re.escape(name)}\b|^{re.escape(name)}\s*=|^(from\s+\S+\s+)?import\s+.*\b{re.escape(name)}\b"
    return re.search(pattern, code, re.M) is not None


def run_harness(pack, code, limits, options=None):
    """The harness's events for `code` (list of dicts) and its wall time."""
    box = tempfile.mkdtemp(prefix="devgrade-")
    try:
        os.makedirs(os.path.join(box, "answer"))
        with open(os.path.join(box, "answer", pack.task["answer_file"]), "w") as handle:
            handle.write(code)
        for name in pack.task["harness"]["files"]:
            shutil.copy(os.path.join(pack.folder, name), box)
        tests = [{k: v for k, v in t.items() if k != "expect"} for t in pack.tests]
        for test in tests:
            test["time_limit_ms"] = limits[test["id"]]
        inputs = {"answer": os.path.join(box, "answer", pack.task["answer_file"]), "files": [],
                  "tests": tests, "options": options or pack.task.get("options", {})}
        with open(os.path.join(box, "inputs.json"), "w") as handle:
            json.dump(inputs, handle)
        argv = [a.replace("/box/", box + "/") for a in pack.task["harness"]["argv"]]
        return _run(argv + [os.path.join(box, "inputs.json")], box)
    finally:
        shutil.rmtree(box, ignore_errors=True)


def _run(argv, cwd):
    with tempfile.TemporaryFile() as channel, tempfile.TemporaryFile() as output:
        started = time.monotonic()
        subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                       close_fds=False, preexec_fn=lambda: _as_fd3(channel.fileno()),
                       timeout=300, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        wall = time.monotonic() - started
        channel.seek(0)
        events = []
        for line in channel.read().decode("utf-8", "replace").splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                events.append({"event": "malformed", "line": line[:200]})
        return events, wall


def _as_fd3(fd):
    if fd == 3:
        os.set_inheritable(3, True)  # dup2(3, 3) would leave close-on-exec set
    else:
        os.dup2(fd, 3)


def strict_equal(a, b):
    if type(a) is not type(b):
        return False
    if type(a) is list:
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    return a == b


def judge(test, event):
    """(status, detail) per the built-in values checker."""
    expect = test["expect"]
    if event is None:
        return "fail", "no observation"
    status = event.get("status")
    if status == "error":
        return ("pass", "") if expect.get("raises") else ("error", event.get("error_type", ""))
    if status == "unserializable":
        return "fail", "unserializable " + str(event.get("type"))
    if status != "ok":
        return status or "fail", str(event.get("reason") or event.get("message") or "")
    if expect.get("raises"):
        return "fail", "expected an exception"
    if "value_digest" in expect:
        got = event.get("value_digest")
        if type(got) is not dict or got.get("sha256") != expect["value_digest"]["sha256"]:
            return "fail", f"value digest: got {json.dumps(got)[:80]}"
    for key in ("value", "input_after"):
        if key in expect and (key not in event or not strict_equal(expect[key], event[key])):
            return "fail", f"{key}: got {json.dumps(event.get(key))[:80]}"
    return "pass", ""


def grade(pack, answer, limits):
    """{"verdict", "categories", "tests", "load", "wall"} for one answer."""
    blocks = python_blocks(answer)
    index = primary_index(pack, blocks)
    if index is None:
        return {"verdict": "no-code", "categories": {}, "tests": {}}
    events, wall = run_harness(pack, blocks[index], limits)
    missing = {e.get("missing_name") for e in _all_events(events)} - {None}
    donors = [i for i, code in enumerate(blocks) if i != index and any(defines(code, n) for n in missing)]
    if missing and donors:
        joined = "\n\n".join(blocks[i] for i in sorted(donors + [index]))
        events, wall = run_harness(pack, joined, limits)
    return summarize(pack, events, wall)


def _all_events(events):
    for event in events:
        yield event
        for error in event.get("errors", []) if isinstance(event.get("errors"), list) else []:
            yield error


def summarize(pack, events, wall):
    load = next((e for e in events if e.get("event") == "load"), {})
    result = {"load": load, "wall": wall, "tests": {}, "categories": {}}
    if "compile_error" in load:
        result["verdict"] = "compile-error"
        return result
    if not any(e.get("event") == "start" for e in events):
        result["verdict"] = "grader-error"  # the harness never started
        return result
    if load.get("no_entry"):
        result["verdict"] = "no-code"
        return result
    result["verdict"] = "graded"
    seen = {}
    for event in events:
        if event.get("event") == "test":
            seen[event.get("id")] = None if event.get("id") in seen else event
    for test in pack.tests:
        status, detail = judge(test, seen.get(test["id"]))
        event = seen.get(test["id"]) or {}
        result["tests"][test["id"]] = {"status": status, "detail": detail,
                                       "time_ms": event.get("time_ms")}
        previous = result["categories"].get(test["category"], "pass")
        result["categories"][test["category"]] = "pass" if previous == status == "pass" else "fail"
    return result


def reference_limits(pack):
    """Per-test limits as gradebox derives them: max(floor, multiple x reference)."""
    provisional = {t["id"]: t.get("time_limit_ms", 5000) for t in pack.tests}
    with open(os.path.join(pack.folder, pack.task["reference"])) as handle:
        reference = grade(pack, handle.read(), provisional)
    floor = pack.task["limits"].get("test_cpu_floor_ms", 1000)
    multiple = pack.task["limits"].get("reference_multiple", 10)
    limits = {}
    for test in pack.tests:
        measured = reference["tests"].get(test["id"], {}).get("time_ms") or 0
        limits[test["id"]] = test.get("time_limit_ms", max(floor, multiple * measured))
    return limits, reference


def print_result(name, result, verbose):
    cats = result.get("categories", {})
    failing = [c for c, v in cats.items() if v != "pass"]
    print(f"{name}: {result['verdict']}  wall {result.get('wall', 0):.2f}s  failing: {', '.join(failing) or '-'}")
    if verbose:
        print("  load:", json.dumps(result.get("load"))[:300])
        for test_id, info in result.get("tests", {}).items():
            print(f"  {test_id:22} {info['status']:13} {info['time_ms']!s:>9} ms  {info['detail'][:90]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pack")
    parser.add_argument("answers", nargs="*")
    parser.add_argument("--expected", help="expected.json: compare every listed answer")
    parser.add_argument("--selftest", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    pack = Pack(args.pack)
    limits, reference = reference_limits(pack)
    print_result("reference", reference, args.verbose)
    ok = reference["verdict"] == "graded" and all(v == "pass" for v in reference["categories"].values())
    jobs = [(path, None) for path in args.answers]
    if args.selftest:
        jobs += [(os.path.join(pack.folder, c["answer"]), c) for c in pack.task.get("selftest", [])]
    expected = {}
    if args.expected:
        with open(args.expected) as handle:
            expected = json.load(handle)
        jobs += [(os.path.join(os.path.dirname(args.expected), n), None) for n in expected]
    for path, case in jobs:
        with open(path) as handle:
            result = grade(pack, handle.read(), limits)
        print_result(os.path.basename(path), result, args.verbose)
        ok &= _meets(result, case, expected.get(os.path.basename(path)))
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


def _meets(result, case, want):
    if case is not None:
        verdict = case.get("verdict") or "graded"
        cats = result.get("categories", {})
        missed = [c for c in case.get("must_fail", []) if cats.get(c) == "pass"]
        good = result["verdict"] == verdict and (verdict != "graded" or not missed)
        if not good:
            print(f"  !! selftest: want verdict {verdict}, failing {case.get('must_fail')}; missed {missed}")
        return good
    if want is None:
        return True
    got = {c: v for c, v in result.get("categories", {}).items()}
    diffs = {c: (v, got.get(c, "n/a")) for c, v in want.get("categories", {}).items() if got.get(c, "n/a") != v}
    if result["verdict"] != want.get("verdict") or diffs:
        print(f"  !! expected verdict {want.get('verdict')}, got {result['verdict']}; (want, got): {diffs}")
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
