"""users_express harness: the OBSERVER (trusted; runs in the sandbox, never
runs answer code).

Trust boundary. This process alone writes the result channel (fd 3); it is
non-dumpable and holds fd 3 close-on-exec (the observer guard gradebox
LD_PRELOADs), so the answer can neither open its /proc/<pid>/mem or fd/3
nor inherit the channel. The answer runs in runner.js (node), a child in
its own process group whose fd 3 is a report pipe to this process; the
prober (probe.py, outside the sandbox) judges the server on the wire. What
crosses from the runner: bytes on that pipe, read with the channel's line
cap and depth limit and reduced to plain fields (observer_runner). They are
claims: the layout, entry file, Express major, stubs and retries are this
process's own facts; a load verdict other than `graded` is reported only
when this process can check it (observer_claims); `listening` only when it
connects to the port itself; routes are hints. The load event comes from
here, once. It is Python because it starts in ~20 ms where node takes
~100: the first runner (started warm, it loads Express while this process
lays the answer out) is then the only node start on the way to the port.

    usage: python3 -I -S harness.py [/box/inputs.json]
"""

import json
import os
import signal
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import observer_channel as channel  # noqa: E402
from observer_runner import Loop, Runner  # noqa: E402

INPUTS = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "/box/inputs.json"))
OPTIONS = INPUTS.get("options") or {}
LIMITS = channel.read_limits(INPUTS)
SEND = channel.open_channel(LIMITS)
PORT = int(OPTIONS.get("port") or 3000)
HOST = "127.0.0.1"
LISTEN_GRACE_MS = int(OPTIONS.get("listen_grace_ms") or 150)
MAX_ANSWER_ERRORS = 5

SEND({"event": "start", "harness": "users_express", "port": PORT})


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


# The first runner starts now, before this process loads the rest and lays
# the answer out; it runs nothing of the answer's until configured, which is
# after the hint port is bound.
LOOP = Loop(LIMITS, on_answer_error)
SPARE = [Runner(LOOP, warm=True)]

import observer_claims as claims  # noqa: E402
import observer_layout as layout_mod  # noqa: E402

WORK_DIR = tempfile.mkdtemp(prefix="gb-express-", dir=OPTIONS.get("work_dir") or "/tmp")


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
    run.runner = SPARE.pop() if SPARE else Runner(LOOP, warm=False)
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


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_term)
    try:
        main()
    except Exception as err:  # a harness fault: say so, never a verdict
        send_load({"event": "load", "ok": False, "errors": [{"type": "HarnessError", "message": repr(err)[:2000]}],
                   "report": {"harness_error": True}})
        finish(None)
