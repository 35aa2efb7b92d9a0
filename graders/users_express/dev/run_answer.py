"""Development loop for the users_express pack, without gradebox's C++ side.

    python3 graders/users_express/dev/run_answer.py [--json] ANSWER.md...
    python3 graders/users_express/dev/run_answer.py --fixtures   # compare with expected.json

Approximates what gradebox does: pulls the JavaScript blocks out of the
markdown (a rough extractor: fences, file names from the info string or the
line above), lays them out as /box/answer, runs the harness under bubblewrap
(private network namespace with loopback, read-only /usr and /box, tmpfs
/tmp, empty environment but the node profile's), runs probe.py joined to
that network namespace (nsenter), ends the sandbox, runs check.py. Needs
root (nsenter). Development aid only: the real pipeline is gradebox grade.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRADERS = os.path.dirname(PACK)
ROOT = os.path.dirname(GRADERS)
FIXTURES = os.path.join(ROOT, "fixtures", "users_express")
NODE_MODULES = os.path.join(GRADERS, "_node", "node_modules")
FENCE = re.compile(r"^(```+|~~~+)([^\n]*)\n(.*?)^\1[ \t]*$", re.M | re.S)
FILE_NAME = re.compile(r"([\w./-]+\.(?:js|mjs|cjs|ts|json))")
JS_TAGS = {"js", "javascript", "node", "mjs", "cjs", "jsx", "ts", "typescript"}


def blocks(text):
    out = []
    for m in FENCE.finditer(text):
        info = m.group(2).strip()
        tag = info.split()[0].split(":")[0].lower() if info else ""
        before = text[:m.start()].rstrip().split("\n")[-1] if m.start() else ""
        name = FILE_NAME.search(info[len(tag):]) or (FILE_NAME.search(before) if len(before) < 120 else None)
        code = m.group(3)
        first = code.split("\n", 1)[0]
        if not name and re.match(r"^\s*//\s*[\w./-]+\.(js|mjs|ts)\s*$", first):
            name = FILE_NAME.search(first)
        out.append({"tag": tag, "code": code, "name": name.group(1) if name else ""})
    if not out:
        out.append({"tag": "js", "code": text, "name": ""})
    return out


def layout(text, task):
    rule = task["entry_point"]
    js = [b for b in blocks(text) if b["tag"] in JS_TAGS or (b["tag"] == "" and "require(" in b["code"])]
    has_entry = lambda c: all(re.search(p, c) for p in rule["all_of"]) and any(re.search(p, c) for p in rule["any_of"])
    primary = next((b for b in js if has_entry(b["code"])), None)
    if primary is None:
        return None
    files = [(primary["name"] or task["answer_file"], primary["code"])]
    taken = {files[0][0]}
    for b in js:
        if b is not primary and b["name"] and b["name"] not in taken and not b["name"].endswith(".json"):
            taken.add(b["name"])
            files.append((b["name"], b["code"]))
    return files


def make_box(files, task, tests):
    box = tempfile.mkdtemp(prefix="gbx-")
    for name, code in files:
        path = os.path.join(box, "answer", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(code)
    for rel in task["harness"]["files"]:
        src = os.path.join(PACK, rel)
        with open(src) as f, open(os.path.join(box, os.path.basename(rel)), "w") as g:
            g.write(f.read())
    inputs = {"answer": "/box/answer/" + files[0][0], "files": ["/box/answer/" + n for n, _ in files[1:]],
              "tests": [{k: v for k, v in t.items() if k != "expect"} for t in tests], "options": task["options"]}
    with open(os.path.join(box, "inputs.json"), "w") as f:
        json.dump(inputs, f)
    os.system(f"chmod -R a+rX {box}")
    return box


def sandbox_argv(box, task, info_fd):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
           "NODE_PATH": "/opt/gradebox/node_modules", "NODE_ENV": "production"}
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--ro-bind", box, "/box",
            "--ro-bind", NODE_MODULES, "/opt/gradebox/node_modules", "--clearenv", "--chdir", "/tmp",
            "--info-fd", str(info_fd)]
    for k, v in env.items():
        argv += ["--setenv", k, v]
    return argv + ["--"] + task["harness"]["argv"]


def child_pid(info_path, deadline):
    while time.monotonic() < deadline:
        try:
            with open(info_path) as f:
                return json.loads(f.read())["child-pid"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.001)
    return None


def run(files, task, tests, answer_text=""):
    box = make_box(files, task, tests)
    channel_path, info_path = os.path.join(box, "channel.out"), os.path.join(box, "info.json")
    # fd 3 is the result channel, fd 4 bwrap's info (child pid); a shell sets
    # them up so Popen's own descriptors are left alone.
    shell = 'exec "$@" 3>"$GBX_CHANNEL" 4>"$GBX_INFO"'
    env = {"PATH": "/usr/bin:/bin", "GBX_CHANNEL": channel_path, "GBX_INFO": info_path}
    t0 = time.monotonic()
    proc = subprocess.Popen(["/bin/sh", "-c", shell, "sh"] + sandbox_argv(box, task, 4), env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pid = child_pid(info_path, t0 + 5)
    if pid is None:
        proc.kill()
        raise SystemExit(f"bwrap did not start: {proc.communicate()[1][-500:]}")
    probe_in = json.dumps({"tests": tests, "options": task["options"],
                           "answer_files": [{"path": name, "code": code} for name, code in files]})
    probe = subprocess.run(["nsenter", f"--net=/proc/{pid}/ns/net", "/usr/bin/python3", "-I",
                            os.path.join(PACK, "probe.py")], input=probe_in, capture_output=True, text=True)
    t_probe = time.monotonic()
    proc.kill()
    out, err = proc.communicate()
    events = [json.loads(line) for line in open(channel_path) if line.strip()]
    if probe.returncode != 0:
        raise SystemExit(f"probe failed: {probe.stderr}")
    request = {"answer": answer_text, "tests": tests, "observations": events, "untrusted": [], "problems": [],
               "outcome": {"exit_code": proc.returncode, "signal": 0, "limit": "none", "violation": "",
                           "stdout": out.decode(errors="replace")[:65536], "stderr": err.decode(errors="replace")[:65536]},
               "probe": json.loads(probe.stdout)}
    check = subprocess.run(["/usr/bin/python3", "-I", os.path.join(PACK, "check.py")], input=json.dumps(request),
                           capture_output=True, text=True)
    t_end = time.monotonic()
    os.system(f"rm -rf {box}")
    if check.returncode != 0:
        raise SystemExit(f"check failed: {check.stderr}")
    return {"events": events, "probe": request["probe"], "check": json.loads(check.stdout),
            "stderr": err.decode(errors="replace")[-2000:], "stdout": out.decode(errors="replace")[-500:],
            "ms": {"probe_done": round((t_probe - t0) * 1000), "total": round((t_end - t0) * 1000)}}


def verdict_and_categories(result, task):
    load = next((e for e in result["events"] if e.get("event") == "load"), {})
    # As gradebox should: check.py overrides a load event's claim it can
    # show to be forged (see check.py claim_doubt).
    if result["check"]["extra"].get("verdict_override") == "graded":
        load = {}
    verdict = "graded"
    if load.get("compile_error"):
        verdict = "compile-error"
    elif load.get("unsupported"):
        verdict = "unsupported"
    elif load.get("no_entry"):
        verdict = "no-code"
    cats = {}
    tests = {t["id"]: t["category"] for t in json.load(open(os.path.join(PACK, "tests.json")))["tests"]}
    for r in result["check"]["results"]:
        c = tests[r["id"]]
        if r["status"] == "n/a":
            cats.setdefault(c, "n/a")
        elif r["status"] == "pass":
            cats[c] = "pass" if cats.get(c, "n/a") in ("pass", "n/a") else "fail"
        else:
            cats[c] = "fail"
    return verdict, cats


def grade(path, task, tests):
    files = layout(open(path).read(), task)
    if files is None:
        return {"verdict": "no-code", "categories": {}, "ms": {}}, None
    result = run(files, task, tests, open(path).read())
    verdict, cats = verdict_and_categories(result, task)
    return {"verdict": verdict, "categories": cats if verdict == "graded" else {}, "ms": result["ms"]}, result


def main(argv):
    task = json.load(open(os.path.join(PACK, "task.json")))
    tests = json.load(open(os.path.join(PACK, "tests.json")))["tests"]
    as_json = "--json" in argv
    paths = [a for a in argv if not a.startswith("--")]
    expected = {}
    if "--fixtures" in argv:
        expected = json.load(open(os.path.join(FIXTURES, "expected.json")))
        paths = [os.path.join(FIXTURES, name) for name in expected]
    bad = 0
    for path in paths:
        summary, result = grade(path, task, tests)
        want = expected.get(os.path.basename(path))
        if want is not None:
            ok = want["verdict"] == summary["verdict"] and (want["verdict"] != "graded" or want["categories"] == summary["categories"])
            bad += not ok
            diff = {c: (want["categories"].get(c), summary["categories"].get(c)) for c in
                    set(want.get("categories", {})) | set(summary["categories"])
                    if want.get("categories", {}).get(c) != summary["categories"].get(c)}
            print(f"{'ok  ' if ok else 'DIFF'} {os.path.basename(path):34} {summary['verdict']:12} {summary['ms']} {diff if diff else ''}")
        elif as_json:
            print(json.dumps({"summary": summary, "result": result}, indent=1))
        else:
            print(os.path.basename(path), summary["verdict"], summary["ms"])
            for k, v in summary["categories"].items():
                print(f"   {k:18} {v}")
            if result and summary["verdict"] == "graded":
                for r in result["check"]["results"]:
                    if r["status"] != "pass":
                        print(f"     {r['id']:22} {r['status']:8} {r['detail'][:150]}")
                print("   discovery:", json.dumps(result["probe"].get("discovery"))[:600])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
