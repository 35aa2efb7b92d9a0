"""race_js checker: trusted, runs outside the sandbox (Python 3.11 stdlib).

Input (stdin): {"tests": [...with expect...], "observations": [...events from
fd 3...], "outcome": {...}}. Output (stdout): {"results": [{"id", "status",
"detail"}], "extra": {...}}.

Each `test` observation carries the trace of one scenario: what the harness
saw the answer do, in order, with virtual times (console calls with their
arguments encoded as data, fetch calls, response arrivals, body reads,
uncaught errors, unhandled rejections, exit) and how the run ended. Every
decision is made here from those facts; the harness decides nothing.
gradebox judges the tests that did not return a trace (a timeout, a limit,
a crash, a test reported twice or never: src/check/) and sends this script
only the others; a malformed trace is a fail, never a pass.

Leniencies, on purpose: a string argument that contains the payload as JSON
(console.log(JSON.stringify(data))) counts as logging the data; console.info,
debug, dir and table count like console.log; an error is "reported" by
console.error/warn/trace, by stderr, or by a log whose arguments hold an
Error or an error-like message. Strictness, on purpose: an unhandled
rejection or uncaught exception counts even when a process-level listener
caught it; a data log on a slow response must come within 100 ms (virtual)
of the response, so a fixed sleep fails (see README.md).

Limits (gb_trusted): logged values arrive nested up to the channel's 2000
levels; JSON inside a logged string is looked for in its first 64 KiB,
from at most 64 opening brackets, and not in a string nested past 2000.
"""

import json
import os
import re
import sys
from urllib.parse import urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_trusted"))  # -I drops it
from gb_trusted import allow_depth, cut, read_request, shown  # noqa: E402
from gb_wire import DEFAULT_MAX_DEPTH, nesting_depth  # noqa: E402  (gb_trusted put _python on the path)

LOG_METHODS = {"log", "info", "debug", "dir", "table"}
ERROR_METHODS = {"error", "warn", "trace", "assert"}
ERROR_WORDS = re.compile(
    r"error|fail|unable|could ?n[o']t|cannot|can't|problem|refused|invalid|abort|"
    r"\b[45]\d\d\b|went wrong|unexpected", re.IGNORECASE)
PLACEHOLDER_TEXT = re.compile(r"(^|[\s:=])(null|undefined|\[object Promise\]|Promise \{ <pending> \})\s*$")
PROMPT_MS = 100
JSON_TEXT_LIMIT = 64 << 10
JSON_STARTS_LIMIT = 64
OPENING = re.compile(r"[\[{]")
EXPECTED_PATH = "/api/data"
HUNG = {"timeout", "virtual-cap", "tampered"}


# ---- values ---------------------------------------------------------------

def same(value, expected, encoded=True):
    """Deep equality of `value` with plain JSON `expected`, JSON types strict
    (true is not 1, "1" is not 1). `encoded`: value is a serialized console
    argument, whose plain objects with an own "$gb" key arrive escaped."""
    if isinstance(expected, bool) or expected is None:
        return value is expected
    if isinstance(expected, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value == expected
    if isinstance(expected, str):
        return isinstance(value, str) and value == expected
    if isinstance(expected, list):
        return (isinstance(value, list) and len(value) == len(expected)
                and all(same(v, e, encoded) for v, e in zip(value, expected)))
    if not isinstance(expected, dict) or not isinstance(value, dict):
        return False
    if encoded and "$gb" in value:
        if value.get("$gb") != "object" or not isinstance(value.get("entries"), dict):
            return False  # a tagged non-plain value (instance, error, ...)
        value = value["entries"]
    return set(value) == set(expected) and all(same(value[k], expected[k], encoded) for k in expected)


def json_inside(text, expected):
    """True when `text` holds a JSON document equal to `expected`, or one
    that contains it, within the limits above (each bounds the work)."""
    text = text[:JSON_TEXT_LIMIT]
    if nesting_depth(text, DEFAULT_MAX_DEPTH) > DEFAULT_MAX_DEPTH:
        return False
    allow_depth(DEFAULT_MAX_DEPTH)
    decoder = json.JSONDecoder()
    pos = 0
    for _ in range(JSON_STARTS_LIMIT):
        match = OPENING.search(text, pos)
        if match is None:
            return False
        try:
            value, pos = decoder.raw_decode(text, match.start())
        except ValueError:
            pos = match.start() + 1
            continue
        if any(same(part, expected, encoded=False) for part in containers(value)):
            return True
    return False


def containers(value):
    """value's lists and objects, itself first (iterative)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            yield node
            stack.extend(reversed(list(node.values() if isinstance(node, dict) else node)))


def holds(arg, expected):
    return same(arg, expected) or (isinstance(arg, str) and json_inside(arg, expected))


def is_tag(value, *kinds):
    return isinstance(value, dict) and value.get("$gb") in kinds


def is_placeholder(arg):
    if arg is None or is_tag(arg, "undefined", "promise"):
        return True
    return isinstance(arg, str) and bool(PLACEHOLDER_TEXT.search(arg.strip()))


def is_error_value(arg):
    if is_tag(arg, "error"):
        return True
    if is_tag(arg, "instance") and str(arg.get("class", "")).endswith("Error"):
        return True
    return isinstance(arg, str) and bool(ERROR_WORDS.search(arg))


# ---- trace queries ---------------------------------------------------------

def kind(trace, name):
    return [e for e in trace["events"] if e.get("kind") == name]


def log_args(event):
    """Arguments of an output-like event that counts as logging, else None."""
    if event.get("kind") == "console" and event.get("method") in LOG_METHODS:
        return event.get("args") or []
    if event.get("kind") == "output" and event.get("stream") == "stdout":
        return [event.get("text", "")]
    return None


def data_logs(trace, payload):
    """Logs of the payload after the observer delivered a response: earlier,
    the runner could only know it from somewhere other than fetch."""
    events = trace["events"]
    start = next((i for i, e in enumerate(events)
                  if e.get("kind") == "response" and e.get("outcome") == "ok"), len(events))
    return [e for e in events[start:]
            if (args := log_args(e)) is not None and any(holds(a, payload) for a in args)]


def error_reports(trace):
    out = []
    for e in trace["events"]:
        if e.get("kind") == "console" and e.get("method") in ERROR_METHODS:
            out.append(e)
        elif e.get("kind") == "output" and e.get("stream") == "stderr":
            out.append(e)
        elif (args := log_args(e)) is not None and any(is_error_value(a) for a in args):
            out.append(e)
    return out


def crashes(trace):
    return kind(trace, "uncaught") + kind(trace, "unhandled-rejection")


def describe_crash(event):
    error = event.get("error") or event.get("reason")
    if isinstance(error, dict) and error.get("$gb") == "error":
        return f"{event['kind']}: {error.get('name')}: {error.get('message')}"
    return f"{event['kind']}: {shown(error)}"


def summary(trace):
    calls = [f"{e.get('method', e.get('stream'))}@{e['t']}ms {shown(e.get('args', e.get('text')), 120)}"
             for e in trace["events"] if e.get("kind") in ("console", "output")][:6]
    end = trace["end"]
    return f"console: [{'; '.join(calls)}]; ended: {end.get('reason')} (exit {end.get('exit_code')}) at {end.get('t')}ms"


def ended_cleanly(trace):
    """(ok, detail): ran to its end by itself, no crash of any kind."""
    found = crashes(trace)
    if found:
        return False, describe_crash(found[0])
    reason = trace["end"].get("reason")
    if reason in HUNG:
        return False, f"never completed ({reason})"
    if reason == "tla-unsettled":
        return False, "top-level await never settled (exit 13)"
    if reason not in ("idle", "exit"):
        return False, f"ended by {reason}"
    return True, ""


def fetched(trace):
    return bool(kind(trace, "fetch"))


# ---- categories ---------------------------------------------------------------

def logs_data(trace, expect):
    if data_logs(trace, expect["payload"]):
        return True, ""
    return False, "no console.log argument equals the payload; " + summary(trace)


def requests_url(trace, expect):
    calls = kind(trace, "fetch")
    urls = [c.get("url", "") for c in calls]
    want_calls, want_path = expect.get("calls", 1), expect.get("path", EXPECTED_PATH)
    if len(calls) != want_calls:
        return False, f"fetch called {len(calls)} times: {urls[:5]}"
    path = urlsplit(urls[0]).path if "://" in urls[0] else re.split(r"[?#]", urls[0])[0]
    if path != want_path:
        return False, f"fetch called with {urls[0]!r}, expected path {want_path}"
    return True, ""


def no_premature_log(trace, expect):
    events = trace["events"]
    arrived = next((i for i, e in enumerate(events) if e.get("kind") == "body" and e.get("ok")), None)
    if arrived is None:
        return False, "the data never arrived (fetch not called or body never read); " + summary(trace)
    for e in events[:arrived]:
        args = log_args(e)
        if args and any(is_placeholder(a) for a in args):
            return False, f"logged {shown(args)} at {e['t']}ms, before the data arrived"
    if trace.get("dropped"):
        return False, "trace truncated (too much output); cannot confirm"
    return True, ""


def completes(trace, expect):
    if not fetched(trace):
        return False, "fetch never called: the program did not do its work; " + summary(trace)
    ok, detail = ended_cleanly(trace)
    code = trace["end"].get("exit_code")
    if ok and code != expect.get("exit_code", 0):
        return False, f"exit code {code}"
    return ok, detail


def slow_response(trace, expect):
    logs = data_logs(trace, expect["payload"])
    if not logs:
        return False, "data not logged; " + summary(trace)
    first = logs[0]
    arrivals = [e["t"] for e in kind(trace, "response") if e.get("outcome") == "ok" and e["t"] <= first["t"]]
    late = first["t"] - arrivals[-1] if arrivals else None
    if late is None or late > PROMPT_MS:
        return False, f"data logged at {first['t']}ms, {late}ms after it arrived: a fixed wait, not the response"
    return True, ""


def exactly_once(trace, expect):
    logs = data_logs(trace, expect["payload"])
    if trace.get("dropped"):
        return False, "trace truncated (too much output); cannot count logs"
    if len(logs) != 1:
        return False, f"data logged {len(logs)} times; " + summary(trace)
    return True, ""


def handles_failure(trace, expect, need_report):
    if not fetched(trace):
        return False, "fetch never called; " + summary(trace)
    ok, detail = ended_cleanly(trace)
    if not ok:
        return False, detail
    if need_report and not error_reports(trace):
        return False, "no error reported (console.error or a log of the error); " + summary(trace)
    return True, ""


def network_error(trace, expect):
    return handles_failure(trace, expect, need_report=True)


def http_error(trace, expect):
    body = expect["error_body"]
    for e in trace["events"]:
        args = log_args(e)
        if args and any(holds(a, body) for a in args) and not any(is_error_value(a) for a in args):
            return False, f"the error body was logged as data at {e['t']}ms: {shown(args)}"
    return handles_failure(trace, expect, need_report=True)


def invalid_json(trace, expect):
    return handles_failure(trace, expect, need_report=False)


JUDGES = {
    "logs-data": logs_data, "requests-url": requests_url, "no-premature-log": no_premature_log,
    "completes": completes, "slow-response": slow_response, "fast-response": exactly_once,
    "network-error": network_error, "http-error": http_error, "invalid-json": invalid_json,
    "single-log": exactly_once,
}


# ---- observations ------------------------------------------------------------------

def valid_trace(value):
    if not isinstance(value, dict) or not isinstance(value.get("events"), list):
        return False
    end = value.get("end")
    if not isinstance(end, dict) or not isinstance(end.get("reason"), str):
        return False
    return all(isinstance(e, dict) and isinstance(e.get("kind"), str)
               and isinstance(e.get("t"), (int, float)) and not isinstance(e.get("t"), bool)
               for e in value["events"])


def index_observations(observations, ids):
    """{id: test event}, load event. gradebox sends one event per test, and
    only for tests that returned."""
    by_id, load = {}, None
    for obs in observations if isinstance(observations, list) else []:
        if not isinstance(obs, dict):
            continue
        if obs.get("event") == "load" and load is None:
            load = obs
        if obs.get("event") == "test" and obs.get("id") in ids:
            by_id[obs["id"]] = obs
    return by_id, load


def judge(test, obs):
    if obs is None:
        return "fail", "no observation for this test"
    value = obs.get("value")
    if obs.get("status") != "ok" or not valid_trace(value):
        return "fail", f"malformed observation (status {obs.get('status')!r})"
    try:
        ok, detail = JUDGES[test["category"]](value, test.get("expect") or {})
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        return "fail", f"malformed observation ({type(error).__name__}: {error})"
    return ("pass" if ok else "fail"), detail


def main():
    data = read_request()
    tests = data.get("tests", [])
    by_id, load = index_observations(data.get("observations"), {t["id"] for t in tests})
    results, scenarios = [], {}
    for test in tests:
        obs = by_id.get(test["id"])
        if load is not None and load.get("ok") is False:
            status, detail = "fail", "the answer did not load"
        elif test.get("category") not in JUDGES:
            status, detail = "fail", f"unknown category {test.get('category')!r}"
        else:
            status, detail = judge(test, obs)
        result = {"id": test["id"], "status": status, "detail": detail[:1000]}
        if obs and isinstance(obs.get("time_ms"), (int, float)) and not isinstance(obs.get("time_ms"), bool):
            result["time_ms"] = obs["time_ms"]
        results.append(result)
        if obs and isinstance(obs.get("value"), dict) and isinstance(obs["value"].get("end"), dict):
            scenarios[str(obs["value"].get("scenario"))] = obs["value"]["end"].get("reason")
    extra = {"scenarios": scenarios}
    if isinstance(load, dict) and isinstance(load.get("report"), dict):
        extra["module"] = cut(load["report"].get("module"))
    json.dump({"results": results, "extra": extra}, sys.stdout)


if __name__ == "__main__":
    main()
