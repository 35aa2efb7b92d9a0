"""A box for the harness's own tests: the task's harness files, an answer.ts
and inputs.json for chosen tests, laid out in a temporary folder as gradebox
lays out /box (without the sandbox: the tests run it themselves, or as uid
65534 under the observer guard). Not a grader: no extraction, no checking;
to grade an answer through the real pipeline use
`gradebox grade --task dijkstra_ts ANSWER.md --keep-box --verbose`.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time

TASK_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRADERS = os.path.dirname(TASK_DIR)
# The checkout's packages, then where `make deps` installs what boxes mount.
NODE_PATH = os.path.join(GRADERS, "_node", "node_modules") + ":/opt/gradebox/node_modules"


def make_box(answer_ts, ids, limit_ms):
    """A box whose inputs hold the tests `ids`, each with the limit `limit_ms`."""
    task = json.load(open(os.path.join(TASK_DIR, "task.json")))
    box = tempfile.mkdtemp(prefix="gb-dijkstra-")
    os.makedirs(os.path.join(box, "answer"))
    answer = os.path.join(box, "answer", "answer.ts")
    with open(answer, "w") as f:
        f.write(answer_ts)
    for rel in task["harness"]["files"]:
        shutil.copy(os.path.join(TASK_DIR, rel), os.path.join(box, os.path.basename(rel)))
    tests = json.load(open(os.path.join(TASK_DIR, task["tests"])))["tests"]
    stripped = [{"id": t["id"], "category": t["category"], "input": dict(t["input"], time_limit_ms=limit_ms),
                 "time_limit_ms": limit_ms} for t in tests if t["id"] in ids]
    with open(os.path.join(box, "inputs.json"), "w") as f:
        json.dump({"answer": answer, "files": [], "tests": stripped, "options": {}}, f)
    return box


def run(box):
    """(observation events, wall seconds) of the harness run as this user, fd 3 captured."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "NODE_ENV": "production",
           "NODE_PATH": NODE_PATH}
    obs_path = os.path.join(box, "obs.jsonl")
    with open(obs_path, "wb") as obs:
        start = time.monotonic()
        subprocess.run(["/usr/bin/node", os.path.join(box, "harness.js"), os.path.join(box, "inputs.json")],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       preexec_fn=lambda: (os.dup2(obs.fileno(), 3), os.set_inheritable(3, True)),
                       close_fds=False, timeout=120)
        wall = time.monotonic() - start
    return [json.loads(line) for line in open(obs_path) if line.strip()], wall


def run_tests(answer_ts, ids, limit_ms):
    """Test events by id of `answer_ts` on the tests `ids`, and the run's wall seconds."""
    box = make_box(answer_ts, ids, limit_ms)
    try:
        events, wall = run(box)
    finally:
        shutil.rmtree(box, ignore_errors=True)
    return {e["id"]: e for e in events if e.get("event") == "test"}, wall
