#!/usr/bin/python3 -I
"""Dev loop for Go server task packs, before/without the gradebox binary.

    graders/_go/devrun.py graders/review_go fixtures/review_go/*.md [--json]

For each answer: picks the last Go block with the task's entry point (rough
extraction: gradebox's own is the real one), lays out a box, runs the
harness AND the prober inside one bubblewrap sandbox that mimics gradebox's
(uid 65534, /usr and graders/_go read-only, tmpfs /tmp, private network),
then runs check.py outside and prints the per-category verdicts and times.
Not a trust boundary: here the prober (and the database it serves) shares
the answer's sandbox and uid, and the task folder is readable at /task;
gradebox runs the prober outside.
"""
import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GO_DIR = Path(__file__).resolve().parent
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n`]*)\n(.*?)^ {0,3}\1[`~]*[ \t]*$", re.S | re.M)


def pick_block(answer, task):
    rule = task["entry_point"]
    prompt = [re.sub(r"\s+", " ", p).strip() for p in task.get("prompt_code", [])]
    chosen = None
    for m in FENCE.finditer(answer):
        tag, code = m.group(2).strip().split(" ")[0].lower(), m.group(3)
        if tag not in ("go", "golang", ""):
            continue
        flat = re.sub(r"\s+", " ", code).strip()
        if any(difflib.SequenceMatcher(None, flat, p).ratio() > 0.95 for p in prompt):
            continue
        if all(re.search(r, code) for r in rule.get("all_of", [])) and \
                (not rule.get("any_of") or any(re.search(r, code) for r in rule["any_of"])):
            chosen = code
    return chosen


def sandboxed(box, out, task_dir):
    script = ("/opt/gradebox/go/bin/gbgo /box/inputs.json 3>/out/obs.jsonl >/out/stdout 2>/out/stderr & h=$!; "
              "/usr/bin/python3 -I /task/probe.py </out/probe_in.json >/out/probe.json 2>/out/probe.err; "
              "kill $h 2>/dev/null; wait; times >/out/times")
    return ["bwrap", "--unshare-all", "--die-with-parent", "--uid", "65534", "--gid", "65534",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--ro-bind", str(GO_DIR), "/opt/gradebox/go", "--ro-bind", str(box), "/box",
            "--bind", str(out), "/out", "--ro-bind", str(task_dir), "/task", "--chdir", "/tmp",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
            "/bin/sh", "-c", script]


def cpu_of_times(text):
    """Children's user+system seconds from the shell's `times` (second line)."""
    total = 0.0
    for field in text.splitlines()[-1].split():
        minutes, _, secs = field.rstrip("s").partition("m")
        total += float(minutes) * 60 + float(secs)
    return total


def grade(task_dir, answer_path):
    task = json.loads((task_dir / "task.json").read_text())
    tests = json.loads((task_dir / "tests.json").read_text())["tests"]
    answer = answer_path.read_text()
    # A .go file is graded as bare code, quotation or not (the original itself).
    code = answer if answer_path.suffix == ".go" else pick_block(answer, task)
    work = Path(tempfile.mkdtemp(prefix="gbgo-dev-"))
    box, out = work / "box", work / "out"
    (box / "answer").mkdir(parents=True)
    out.mkdir()
    out.chmod(0o777)
    observations, probe, seconds = [], None, 0.0
    if code is not None:
        (box / "answer" / task["answer_file"]).write_text(code)
        for f in task["harness"]["files"]:
            shutil.copy(task_dir / f, box / Path(f).name)
        stripped = [{k: v for k, v in t.items() if k != "expect"} for t in tests]
        (box / "inputs.json").write_text(json.dumps(
            {"answer": "/box/answer/" + task["answer_file"], "files": [], "tests": stripped, "options": {}}))
        (out / "probe_in.json").write_text(json.dumps({"tests": tests, "options": {}}))
        start = time.monotonic()
        subprocess.run(sandboxed(box, out, task_dir), timeout=120)
        seconds = time.monotonic() - start
        grade.cpu = cpu_of_times((out / "times").read_text())
        observations = [json.loads(l) for l in (out / "obs.jsonl").read_text().splitlines() if l.strip()]
        probe_text = (out / "probe.json").read_text()
        probe = json.loads(probe_text) if probe_text.strip() else None
    checked = subprocess.run(["/usr/bin/python3", "-I", str(task_dir / "check.py")], capture_output=True, text=True,
                             input=json.dumps({"answer": answer, "tests": tests, "observations": observations,
                                               "outcome": {}, "probe": probe}))
    if checked.returncode:
        raise SystemExit(checked.stderr)
    shutil.rmtree(work, ignore_errors=True)
    return json.loads(checked.stdout), observations, seconds


def summary(task_dir, result, observations):
    tests = {t["id"]: t["category"] for t in json.loads((task_dir / "tests.json").read_text())["tests"]}
    cats = {}
    for r in result["results"]:
        cats.setdefault(tests[r["id"]], []).append(r["status"])
    return {c: ("pass" if all(s == "pass" for s in v) else "fail") for c, v in cats.items()}


def main():
    task_dir = Path(sys.argv[1]).resolve()
    for path in [Path(p) for p in sys.argv[2:] if not p.startswith("--")]:
        result, observations, seconds = grade(task_dir, path)
        load = next((e for e in observations if e.get("event") == "load"), None)
        server = result["extra"].get("server") or {}
        print(f"== {path.name}  ({seconds:.2f} s sandboxed, {getattr(grade, 'cpu', 0):.2f} s CPU: server up after {server.get('waited')} s, "
              f"probe {result['extra'].get('probe_seconds')} s)  events: {[e.get('event') for e in observations]}\n   load: {json.dumps(load)[:300]}")
        if "--json" in sys.argv:
            print(json.dumps(result, indent=1))
        for r in result["results"]:
            print(f"   {r['status']:5} {r['id']:24} {r['detail'][:150]}")
        print("   categories:", json.dumps(summary(task_dir, result, observations)))


if __name__ == "__main__":
    main()
