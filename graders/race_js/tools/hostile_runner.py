"""Grades the reference with race_js's runner replaced by tools/hostile_runner.js,
a runner fully under the answer's control (what a complete escape from the vm
realm would give), once per variant, in the real sandbox. No variant may
pass any category; the `info` variant prints what such a runner can reach
(its descriptors, the observer's /proc mem and fd/3, the inputs file, its
process group). Needs build/gradebox.

  python3 graders/race_js/tools/hostile_runner.py [variant ...]
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.dirname(HERE)
GRADERS = os.path.dirname(PACK)
ROOT = os.path.dirname(GRADERS)
VARIANTS = ["info", "forge", "forge-calls", "exit", "kill", "mem"]  # "stop" costs the run's wall limit


def graders_copy(tmp, variant):
    """A graders folder whose race_js runs hostile_runner.js as its runner."""
    root = os.path.join(tmp, "graders")
    os.makedirs(root)
    for name in os.listdir(GRADERS):
        if name != "race_js":
            os.symlink(os.path.join(GRADERS, name), os.path.join(root, name))
    shutil.copytree(PACK, os.path.join(root, "race_js"), ignore=shutil.ignore_patterns("__pycache__"))
    with open(os.path.join(HERE, "hostile_runner.js")) as f:
        source = f.read().replace("const VARIANT = 'info';", f"const VARIANT = {json.dumps(variant)};")
    with open(os.path.join(root, "race_js", "race_runner.js"), "w") as f:
        f.write(source)
    return root


def grade(variant):
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GRADEBOX_GRADERS=graders_copy(tmp, variant))
        out = subprocess.run([os.path.join(ROOT, "build", "gradebox"), "grade", "--task", "race_js",
                              os.path.join(PACK, "reference.md"), "--format", "json"],
                             env=env, capture_output=True, text=True, timeout=120).stdout
    return json.loads(out)


def main():
    bad = 0
    for variant in sys.argv[1:] or VARIANTS:
        report = grade(variant)
        passed = sorted({t["category"] for t in report.get("tests", []) if t.get("status") == "pass"})
        first = (report.get("tests") or [{}])[0]
        print(f"{variant}: {report.get('verdict')} correctness {report['correctness']['score']} "
              f"edge {report['edge_cases']['score']} passed={passed}")
        print(f"    {first.get('status')}: {first.get('detail', '')[:600]}")
        bad += bool(passed)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
