"""race_js harness: the OBSERVER (harness.py runs main; a module, so the
box carries it compiled).

Trust boundary. This process is trusted: it alone writes the result channel
(fd 3) and never runs answer code. The answer runs in a separate node
process, the runner (race_runner.js), in its own process group, holding
only the pipes this process talks to it on. What crosses from the runner is
bytes: one JSON line per call the answer made (fetch, console, timers, body
reads, errors, exit), parsed here under the channel's size and depth limits
(gb_wire) and recorded by race_observer with the observer's own virtual
time. The observer owns the clock and the timer queue, hands each response
over only when it is due, reads the runner's CPU time from the kernel, and
decides how each scenario ended. The runner's first line, the load report
(CommonJS or ES module, compile error, unsupported client), is written
before any answer code runs. check.py, outside the sandbox, judges.

Checklist: read inputs -> start the runner -> its load report -> `load`
event -> scenarios in input order, one `test` event per test as soon as its
scenario ends -> `done`.
"""

import time

from race_link import RunnerProcess, seal_descriptors
from race_observer import ScenarioObserver
from gb_wire import loads, open_channel, read_limits

DEFAULT_INPUTS = "/box/inputs.json"
DEFAULT_TIME_LIMIT_MS = 1000
MAX_TIMEOUTS_BEFORE_SKIP = 2  # an answer that hangs everywhere costs 2 limits, not 11
WALL_SLACK_S = 3.0  # for a runner that sleeps instead of spinning
LOAD_WALL_S = 15.0
WATCH_S = 0.02


def missing_name(message):
    """X of "X is not defined", X an identifier, else None."""
    name, sep, rest = str(message).partition(" is not defined")
    plain = name.replace("$", "_")
    return name if sep and not rest and plain.isidentifier() and plain.isascii() else None


def group_by_scenario(tests):
    """Tests that share a scenario name share one run, in input order."""
    groups = {}
    for test in tests:
        spec = test.get("input") if isinstance(test.get("input"), dict) else {}
        key = spec["scenario"] if isinstance(spec.get("scenario"), str) else f"test:{test.get('id')}"
        groups.setdefault(key, {"spec": spec, "tests": []})["tests"].append(test)
    return list(groups.values())


def time_limit_of(tests):
    limits = [t["time_limit_ms"] for t in tests if isinstance(t.get("time_limit_ms"), (int, float))
              and not isinstance(t.get("time_limit_ms"), bool) and t["time_limit_ms"] > 0]
    return round(min(limits) if limits else DEFAULT_TIME_LIMIT_MS)


def load_event(report):
    """The `load` event from the runner's load report (checked, capped), or None."""
    if not isinstance(report, dict) or report.get("op") != "load" or not isinstance(report.get("ok"), bool):
        return None
    if not report["ok"]:
        for key in ("unsupported", "compile_error"):
            if isinstance(report.get(key), str):
                return {"event": "load", "ok": False, key: report[key][:2000]}
        return None
    module = "esm" if report.get("kind") == "esm" else "cjs"
    imports = [s[:200] for s in report.get("imports", []) if isinstance(s, str)][:20] \
        if isinstance(report.get("imports"), list) else []
    return {"event": "load", "ok": True, "entry": "fetch", "report": {"module": module, "imports": imports}}


def start_runner(answer_file, limits, runner_file=None):
    """(runner, its load report) or (None, None) if it never reported."""
    runner = RunnerProcess(answer_file, limits, *([runner_file] if runner_file else []))
    deadline = time.monotonic() + LOAD_WALL_S
    while time.monotonic() < deadline:
        for item in runner.poll(deadline - time.monotonic()):
            if item[0] == "message":
                return runner, item[1]
            runner.kill()
            return None, None
    runner.kill()
    return None, None


def report_missing_names(send, trace, reported):
    """"X is not defined" crashes name X, so gradebox can retry with the
    block that defines it joined in (the contract's join retry)."""
    for event in trace.get("events", []):
        args = event.get("args") if isinstance(event.get("args"), list) else []
        for error in [event.get("error"), event.get("reason"), *args]:
            if not isinstance(error, dict) or error.get("$gb") != "error" or error.get("name") != "ReferenceError":
                continue
            name = missing_name(error.get("message"))
            if name and name not in reported:
                reported.add(name)
                send({"event": "error", "type": "ReferenceError", "message": error.get("message"),
                      "missing_name": name, "scenario": trace.get("scenario")})


class ScenarioRun:
    """Serves one scenario to a runner and watches its CPU and wall time."""

    def __init__(self, runner, spec, module, time_limit_ms):
        self.runner = runner
        self.observer = ScenarioObserver(spec, module)
        self.time_limit_ms = time_limit_ms
        self.status = "ok"
        self.usable = True  # the runner can serve the next scenario

    def run(self):
        """-> (trace, status, cpu_ms)"""
        cpu_start = self.runner.cpu_ms()
        budget_start = self.runner.all_threads_cpu_ms()
        wall_end = time.monotonic() + self.time_limit_ms * 4 / 1000 + WALL_SLACK_S
        self.runner.new_scenario()
        self.send({"op": "scenario", "time_limit_ms": self.time_limit_ms})
        next_watch = time.monotonic() + WATCH_S
        while not self.observer.over and self.usable:
            for item in self.runner.poll(WATCH_S):
                self.take(item)
                if self.observer.over or not self.usable:
                    break
            now = time.monotonic()
            if self.observer.over or now < next_watch:
                continue
            next_watch = now + WATCH_S
            over_budget = self.runner.all_threads_cpu_ms() - budget_start > self.time_limit_ms * 4
            if over_budget or now > wall_end:
                self.observer.die("timeout", None)  # the scenario's CPU budget, on the kernel's count
                self.usable = False
        cpu_ms = self.runner.cpu_ms() - cpu_start
        if self.observer.end and self.observer.end["reason"] == "protocol":
            self.usable = False
        if not self.usable:
            self.runner.kill()
        return self.observer.trace(), self.status, max(0.0, cpu_ms)

    def take(self, item):
        if item[0] == "message":
            reply = self.observer.handle(item[1])
            if reply is not None:
                self.send(reply)
        elif item[0] == "violation":  # the line itself was unreadable
            self.observer.violation(item[1])
            self.status = "output-limit" if item[2] == "output-limit" else "ok"
        else:
            exit_ = item[1] or {}
            how = f"signal {exit_.get('signal')}" if exit_.get("signal") else f"exit {exit_.get('code')}"
            self.observer.die("runner-exit", None, f"the runner ended ({how})")
            self.usable = False

    def send(self, command):
        if not self.runner.send(command):
            self.observer.violation("the runner does not read its commands")


def emit_results(send, tests, trace, status, cpu_ms):
    time_ms = round(cpu_ms, 2)
    for test in tests:
        send({"event": "test", "id": test.get("id"), "status": status, "value": trace, "time_ms": time_ms})


def run_scenarios(send, inputs, answer_file, limits, runner, module):
    timeouts = 0
    missing = set()
    for group in group_by_scenario(inputs.get("tests") or []):
        if timeouts >= MAX_TIMEOUTS_BEFORE_SKIP:
            emit_results(send, group["tests"], {"skipped": "earlier scenarios hung"}, "timeout", 0.0)
            continue
        if runner is None:
            runner, report = start_runner(answer_file, limits)
            if runner is not None and (load_event(report) or {}).get("ok") is not True:
                runner.kill()
                runner = None
        if runner is None:
            emit_results(send, group["tests"], {"skipped": "the runner did not start"}, "crash", 0.0)
            continue
        scenario = ScenarioRun(runner, group["spec"], module, time_limit_of(group["tests"]))
        trace, status, cpu_ms = scenario.run()
        if not scenario.usable:
            runner = None
        hung = isinstance(trace.get("end"), dict) and trace["end"].get("reason") == "timeout"
        timeouts += hung
        report_missing_names(send, trace, missing)
        emit_results(send, group["tests"], trace, "timeout" if hung else status, cpu_ms)
    if runner is not None:
        runner.kill()


def main(argv):
    with open(argv[1] if len(argv) > 1 else DEFAULT_INPUTS, encoding="utf-8") as f:
        inputs = loads(f.read())
    limits = read_limits(inputs)
    send = open_channel(limits)
    seal_descriptors()
    send({"event": "start"})  # before any answer code runs (graders/README.md)
    answer_file = inputs.get("answer")
    runner, report = start_runner(answer_file, limits)
    event = load_event(report)
    if event is None:
        send({"event": "harness-error", "message": "the runner did not report loading the answer"})
    else:
        send(event)
    if event is None or not event["ok"]:
        if runner is not None:
            runner.kill()
        send({"event": "done"})
        return 0
    run_scenarios(send, inputs, answer_file, limits, runner, event["report"]["module"])
    send({"event": "done"})
    return 0
