"""users_express observer, the part harness.py imports once the first
runner is on its way (see harness.py for the trust boundary): attempts,
claim checks, the load event, the runner's end.
"""


import json
import os
import signal
import socket

import gb_wire as channel
import observer_claims as claims
import observer_layout as layout_mod
from observer_runner import Loop, Runner
from observer_spawn import spawn_runner

HOST = "127.0.0.1"
MAX_ANSWER_ERRORS = 5
INPUTS = OPTIONS = LIMITS = SEND = PORT = LISTEN_GRACE_MS = LOOP = WORK_DIR = None
SPARE = []


class State:
    load_sent = False
    answer_errors = 0


def on_answer_error(report):
    error = {k: v for k, v in report["error"].items() if k != "stack"}
    State.answer_errors += 1
    if State.answer_errors <= MAX_ANSWER_ERRORS:
        SEND({"event": "answer_error", "origin": report["origin"], "error": error})


def send_load(event):
    if not State.load_sent:  # one load event; a second could only be a harness fault
        State.load_sent = True
        SEND(event)




class Run:
    def __init__(self, major, layout, entry):
        self.major, self.layout, self.entry = major, layout, entry
        self.runner, self.report, self.exited = None, None, None
        self.trusted, self.retried, self.express4_error = False, None, None


def attempt(major, typescript=False):
    """One load of the answer against Express `major`, in a runner of its own."""
    layout = layout_mod.lay_out(INPUTS, WORK_DIR, f"express{major}{'-ts' if typescript else ''}", major, typescript)
    run = Run(major, layout, layout_mod.choose_entry(layout))
    if layout.errors:  # esbuild's finding: this process's own
        e = layout.errors[0]
        run.report = {"error": {"type": "SyntaxError", "message": e["message"], "stack": e["message"]}, "usable": False}
        run.trusted = True
        return run
    run.runner = SPARE.pop() if SPARE else Runner(LOOP, spawn_runner(warm=False))
    run.runner.configure({"appDir": layout.app_dir, "entry": run.entry, "port": PORT, "host": HOST,
                          "listenGraceMs": LISTEN_GRACE_MS})
    LOOP.run_until(lambda: run.runner.report is not None or run.runner.ended is not None)
    run.report, run.exited = run.runner.report, (None if run.runner.report else run.runner.ended)
    return run


def failed(run):
    return run.report is None or (run.report["error"] is not None and not run.report["usable"])


def special(run):
    return claims.classify(run.report["error"]) if run.report and run.report["error"] else None


def stop(run):
    return run.runner.stop() if run.runner else None


def load():
    """As given; as TypeScript when it does not compile; on Express 5 when it
    fails otherwise. A runner that ends before it reports is final."""
    run = attempt(4)
    if failed(run) and not run.exited and (special(run) or {}).get("compile_error"):
        stop(run)
        retry = attempt(4, True)
        if not failed(retry):
            retry.retried, run = "transpiled as TypeScript", retry
        else:
            stop(retry)
    if failed(run) and not run.exited and not special(run):
        stop(run)
        retry = attempt(5)
        if not failed(retry):
            retry.retried, retry.express4_error, run = "loads only on Express 5", run.report["error"], retry
        else:
            stop(retry)
    return run


def port_accepts():
    try:
        socket.create_connection((HOST, PORT), timeout=0.3).close()
        return True
    except OSError:
        return False


def load_event(run, fields, report=None):
    errors = [{k: v for k, v in e.items() if k != "stack"}
              for e in (run.express4_error, run.report and run.report["error"]) if e]
    entry = os.path.relpath(run.entry, run.layout.app_dir)
    full = {"express": str(run.major), "entry": entry, **(report or {})}
    if run.retried:
        full["retried"] = run.retried
    if run.layout.stubs:
        full["stubbed_packages"] = run.layout.stubs
    notes = run.runner.notes if run.runner else None
    if notes and (notes["malformed"] or notes["over_cap"] or notes["load_reports"] > 1):
        full["runner_notes"] = notes
    if run.exited:
        full["runner_exited"] = {"code": run.exited[0], "signal": run.exited[1]}
    load = dict(fields)
    if load.get("compile_error"):
        load["compile_error"] = load["compile_error"].replace(run.layout.app_dir + os.sep, "")
    return {"event": "load", **load, "errors": errors, "report": full, "express": full["express"], "entry": entry}


def failed_load_event(run):
    """A verdict the observer checked, or a plain failure (graded). A runner
    that says the answer failed while something serves the port lies."""
    claim = special(run)
    if not claim:
        return load_event(run, {"ok": False})
    if run.trusted:
        ok, why = True, None
    elif port_accepts():
        ok, why = False, "something accepts on the port though the answer did not load"
    else:
        lay = run.layout
        ok, why = claims.verify_load_claim(claim, run.report["error"], lay.texts, run.entry, lay.packages, lay.stubs)
    if ok:
        return load_event(run, {"ok": False, **claim})
    return load_event(run, {"ok": False}, {"claim_refused": why})


def served_load_event(run):
    """(event, keep serving?, port accepts?) for a runner that serves something."""
    r = run.report
    accepts = port_accepts()
    report = {"served": r["served"], "routes": r["routes"], "port": PORT, "port_accepts": accepts}
    if not r["reason"]:
        return load_event(run, {"ok": True, "routes": r["routes"]}, report), True, accepts
    ok, why = claims.verify_no_route(r["reason"], run.layout.texts, accepts)
    if ok:
        return load_event(run, {"ok": False, "no_entry": True}, {"reason": r["reason"]}), False, accepts
    return load_event(run, {"ok": True, "routes": r["routes"]}, {**report, "claim_refused": why}), True, accepts


def finish(ended):
    """Records how the runner ended and leaves: the sandbox ends with us."""
    if ended:
        SEND({"event": "exit", "code": ended[0], "signal": ended[1]})
    for runner in LOOP.runners:
        runner.stop()
    os._exit(0)


def main():
    LOOP.serve_hints(PORT + 1, HOST)  # bound before any answer code runs
    run = load()
    if failed(run):
        send_load(failed_load_event(run))
        return finish(stop(run))
    event, keep, accepts = served_load_event(run)
    send_load(event)
    if not keep:
        return finish(stop(run))
    if accepts:
        SEND({"event": "listening", "host": HOST, "port": PORT})
    LOOP.set_routes(run.report["routes"])
    LOOP.run_until(lambda: run.runner.ended is not None)
    return finish(run.runner.ended)


def on_term(*_):
    """Told to end (outside a sandbox, which would end them all): the
    runners' groups live in their own sessions, so end them too."""
    for runner in LOOP.runners:
        runner.stop()
    os._exit(0)


def make_work_dir(parent):
    """A fresh folder per harness (/tmp is the sandbox's own tmpfs, but the
    harness also runs outside it in development); not tempfile: its import
    costs more than this whole function."""
    while True:
        path = os.path.join(parent, "gb-express-" + os.urandom(6).hex())
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue


def run(inputs_path, spare):
    """The observer's life; `spare`: the runner harness.py started first."""
    global INPUTS, OPTIONS, LIMITS, SEND, PORT, LISTEN_GRACE_MS, LOOP, WORK_DIR
    with open(inputs_path) as f:
        INPUTS = json.load(f)
    OPTIONS = INPUTS.get("options") or {}
    LIMITS = channel.read_limits(INPUTS)
    SEND = channel.open_channel(LIMITS)
    PORT = int(OPTIONS.get("port") or 3000)
    LISTEN_GRACE_MS = int(OPTIONS.get("listen_grace_ms") or 150)
    SEND({"event": "start", "harness": "users_express", "port": PORT})
    LOOP = Loop(LIMITS, on_answer_error)
    SPARE.append(Runner(LOOP, spare))
    WORK_DIR = make_work_dir(OPTIONS.get("work_dir") or "/tmp")
    signal.signal(signal.SIGTERM, on_term)
    try:
        main()
    except Exception as err:  # a harness fault: say so, never a verdict
        send_load({"event": "load", "ok": False, "errors": [{"type": "HarnessError", "message": repr(err)[:2000]}],
                   "report": {"harness_error": True}})
        finish(None)
