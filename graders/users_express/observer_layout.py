"""Observer side (trusted; reads the answer's files as text, runs none of
them): lays the answer out so a runner can load it like a project, and
chooses the entry file.

    <work>/node_modules      one symlink to the grader's packages, so ESM
                             imports resolve too (ESM ignores NODE_PATH)
    <work>/<run>/app/...     a copy of the answer's files (answers may write
                             data files next to themselves; /box is read-only)
    <work>/<run>/node_modules/express   express 4 or 5 for this run
    <work>/<run>/node_modules/<stub>    no-op stand-ins (express_stubs.json),
                                        only for the stubs the answer names

TypeScript gets a transpiled .js sibling (the esbuild binary: CommonJS
output). The layout keeps the text of every file it wrote (`texts`): the
runner's processes can rewrite the copies, so the observer reads its own.
"""

import json
import os
import re

PACK = os.path.dirname(os.path.abspath(__file__))
SCRIPT = re.compile(r"\.(c|m)?js$")
TEST_FILE = re.compile(r"(^|/)(tests?|__tests__|spec)/|\.(test|spec)\.(c|m)?js$")
NAME_ORDER = ["server", "index", "app", "main"]


class Layout:
    def __init__(self, root, app_dir, files, stubs, errors, texts, packages):
        self.root, self.app_dir, self.files = root, app_dir, files
        self.primary = files[0]
        self.stubs, self.errors, self.texts, self.packages = stubs, errors, texts, packages


def packages_dir():
    for folder in os.environ.get("NODE_PATH", "").split(os.pathsep):
        if folder and os.path.exists(os.path.join(folder, "express")):
            return folder
    return None


def answer_root(answer_path):
    """The folder that holds the answer's files: everything under ".../answer/"."""
    marker = os.sep + "answer" + os.sep
    at = answer_path.rfind(marker)
    return answer_path[:at + len(marker) - 1] if at >= 0 else os.path.dirname(answer_path)


def _link_packages(work_dir, run_modules, source, major):
    os.makedirs(run_modules, exist_ok=True)
    if not source:
        return
    shared = os.path.join(work_dir, "node_modules")
    if not os.path.lexists(shared):
        os.symlink(source, shared)
    os.symlink(os.path.join(source, "express5" if major == 5 else "express"), os.path.join(run_modules, "express"))


def _write_stubs(run_modules, source, sources):
    """Stubs for the packages the answer's sources name and the grader lacks."""
    with open(os.path.join(PACK, "express_stubs.json")) as f:
        stubs = json.load(f)
    used = []
    for name, files in stubs.items():
        if not any(q + name in code for code in sources for q in "'\"`"):
            continue
        if source and os.path.exists(os.path.join(source, name)):
            continue  # a real package wins
        folder = os.path.join(run_modules, name)
        os.makedirs(folder)
        _write(os.path.join(folder, "package.json"), json.dumps({"name": name, "main": "index.js"}))
        for file, code in files.items():
            _write(os.path.join(folder, file), code)
        used.append(name)
    return used


def _write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _esbuild_error(stderr, name):
    """esbuild's first error as `file:line:col: ERROR: message`."""
    text = stderr.decode(errors="replace")
    message = re.search(r"\[ERROR\] (.*)", text)
    where = re.search(r"^\s+(\S+:\d+:\d+):", text, re.M)
    if message:
        return f"Transform failed with 1 error:\n{where.group(1) + ': ' if where else name + ': '}ERROR: {message.group(1)}"
    return f"esbuild failed: {text.strip()[:500]}"


def _transpile(app_dir, source, everything, texts):
    """.ts -> .js with esbuild; with `everything`, .js files too, in place
    (the retry for TypeScript laid out under a .js name). Returns errors."""
    pattern = re.compile(r"\.(ts|mts|cts|js|mjs|cjs)$" if everything else r"\.(ts|mts|cts)$")
    found = [f for f in _list_files(app_dir) if pattern.search(f) and not f.endswith(".d.ts")]
    import subprocess  # here: only TypeScript pays for its import

    binary = os.path.join(source or "", "esbuild", "bin", "esbuild")
    errors = []
    for file in found:
        out = re.sub(r"\.(ts|mts|cts)$", ".js", file)
        if out != file and os.path.exists(out):
            continue
        if not os.path.exists(binary):
            return [{"type": "Error", "message": "esbuild unavailable"}]
        with open(file, encoding="utf-8", errors="replace") as f:
            code = f.read()
        done = subprocess.run([binary, "--loader=ts", "--format=cjs", "--target=node20", f"--sourcefile={file}",
                               "--log-level=error", "--color=false"], input=code.encode(), capture_output=True)
        if done.returncode != 0:
            errors.append({"type": "SyntaxError", "message": _esbuild_error(done.stderr, file)[:2000],
                           "file": os.path.basename(file)})
            continue
        texts[out] = done.stdout.decode("utf-8", errors="replace")
        _write(out, texts[out])
    return errors


def _list_files(folder):
    out = []
    for dirpath, _, names in os.walk(folder):
        out.extend(os.path.join(dirpath, n) for n in sorted(names))
    return out


def _copy_answer(inputs, source, app_dir, texts):
    sources = []
    for file in [inputs["answer"], *(inputs.get("files") or [])]:
        target = os.path.normpath(os.path.join(app_dir, os.path.relpath(file, source)))
        if not target.startswith(app_dir + os.sep):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(file, encoding="utf-8", errors="replace") as f:
            code = f.read()
        _write(target, code)
        texts[target] = code
        sources.append(code)
    return sources


def lay_out(inputs, work_dir, run_name, major, typescript_everywhere=False):
    source = answer_root(inputs["answer"])
    root = os.path.join(work_dir, run_name)
    app_dir = os.path.join(root, "app")
    packages = packages_dir()
    os.makedirs(app_dir, exist_ok=True)
    texts = {}
    sources = _copy_answer(inputs, source, app_dir, texts)
    run_modules = os.path.join(root, "node_modules")
    _link_packages(work_dir, run_modules, packages, major)
    stubs = _write_stubs(run_modules, packages, sources)
    errors = _transpile(app_dir, packages, typescript_everywhere, texts)
    copies = [re.sub(r"\.(ts|mts|cts)$", ".js", os.path.normpath(os.path.join(app_dir, os.path.relpath(p, source))))
              for p in [inputs["answer"], *(inputs.get("files") or [])]]
    return Layout(root, app_dir, copies, stubs, errors, texts, packages)


def _required_by_others(file, sources):
    stem = SCRIPT.sub("", os.path.basename(file))
    pattern = re.compile(r"""(require\s*\(|from|import)\s*\(?\s*['"][^'"]*\b""" + re.escape(stem) + r"""(\.(c|m)?js)?['"]""")
    return any(other != file and pattern.search(code) for other, code in sources.items())


def _rank(file):
    stem = SCRIPT.sub("", os.path.basename(file))
    return NAME_ORDER.index(stem) if stem in NAME_ORDER else len(NAME_ORDER)


def choose_entry(layout):
    """The root of the app: the file that listens, else the file that creates
    the app, among files no other file requires; test files never."""
    runnable = [f for f in layout.files if SCRIPT.search(f) and f in layout.texts
                and not TEST_FILE.search(os.path.relpath(f, layout.app_dir))]
    sources = {f: layout.texts[f] for f in runnable}
    roots = [f for f in runnable if not _required_by_others(f, sources)]
    for signal in (re.compile(r"\.listen\s*\("), re.compile(r"\bexpress\s*\(\s*\)")):
        hits = sorted((f for f in roots if signal.search(sources[f])), key=_rank)
        if hits:
            return hits[0]
    return layout.primary
