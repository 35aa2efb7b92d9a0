"""users_express checker (trusted; Python stdlib only).

    /usr/bin/python3 -I check.py < {"tests", "observations", "untrusted",
                                    "problems", "outcome", "probe"}
    -> {"results": [{"id", "status", "detail", "time_ms"}], "extra": {...}}

The prober's results are the verdicts: it watched the answer's server from
outside. The fd-3 observations only explain (which Express ran, the entry
file, load errors) and are checked for forgery: the harness writes one
start, at most one load and one listening event and a few known others; a
line the answer forged there makes every test fail.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_trusted"))  # -I drops it
from gb_trusted import cut, read_request  # noqa: E402

STATUSES = {"pass", "fail", "timeout", "n/a"}
HARNESS_EVENTS = {"start": 1, "load": 1, "listening": 1, "answer_error": 5, "exit": 1}
# A package named only in a comment is not imported (strings are kept whole).
JS_COMMENT = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|/\*.*?\*/|//[^\n]*""", re.S)


def channel_forgery(request):
    """Why the result channel cannot be trusted, or None."""
    counts = {}
    for event in request.get("observations") or []:
        kind = event.get("event") if isinstance(event, dict) else None
        if kind not in HARNESS_EVENTS:
            return f"an event the harness never writes ({str(kind)[:40]!r})"
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] > HARNESS_EVENTS[kind]:
            return f"more than {HARNESS_EVENTS[kind]} {kind} event(s)"
    for problem in request.get("problems") or []:
        if "not a JSON event" in problem or "more than one load" in problem:
            return problem
    if request.get("untrusted"):
        return "test events on the channel"
    return None


def first_event(request, kind):
    for event in request.get("observations") or []:
        if isinstance(event, dict) and event.get("event") == kind:
            return event
    return None


def load_summary(load):
    if not load:
        return "the answer never finished loading"
    errors = load.get("errors") or []
    if errors and isinstance(errors[0], dict):
        e = errors[0]
        where = f" ({e.get('file')}:{e.get('line')})" if e.get("file") else ""
        return f"{e.get('type', 'Error')}: {str(e.get('message', ''))[:300]}{where}"
    return ""


def outcome_status(outcome, probe):
    """A status that explains a dead server better than fail, if any."""
    if not outcome or not probe or probe.get("server") != "down":
        return None
    if outcome.get("violation"):
        return "violation"
    if outcome.get("limit") == "memory":
        return "memory"
    return None


def results_for(request, forged):
    tests = request.get("tests") or []
    if forged:
        return [{"id": t["id"], "status": "fail", "detail": f"result channel forged: {forged}"} for t in tests]
    probe = request.get("probe") if isinstance(request.get("probe"), dict) else {}
    by_id = {r.get("id"): r for r in probe.get("results") or [] if isinstance(r, dict)}
    load_note = load_summary(first_event(request, "load"))
    dead_status = outcome_status(request.get("outcome"), probe)
    out = []
    for test in tests:
        r = by_id.get(test["id"])
        if r is None or r.get("status") not in STATUSES:
            out.append({"id": test["id"], "status": "fail", "detail": "the prober gave no result for this test"})
            continue
        status, detail = r["status"], str(r.get("detail", ""))
        if status != "pass" and not probe.get("reachable") and load_note:
            detail = f"{detail}; {load_note}"
        if status == "fail" and dead_status and "no longer running" in detail:
            status = dead_status
        out.append({"id": test["id"], "status": status, "detail": detail[:1000],
                    "time_ms": r.get("time_ms", 0)})
    return out


def extra_for(request, forged):
    probe = request.get("probe") if isinstance(request.get("probe"), dict) else {}
    load = first_event(request, "load") or {}
    report = load.get("report") if isinstance(load.get("report"), dict) else {}
    extra = {
        "express": cut(report.get("express")), "entry": cut(report.get("entry")), "served": cut(report.get("served")),
        "registered_get_routes": cut(report.get("routes")), "load_errors": cut(load.get("errors") or []),
        "answer_errors": cut([e.get("error") for e in request.get("observations") or []
                              if isinstance(e, dict) and e.get("event") == "answer_error"][:5]),
        "discovery": probe.get("discovery"),
        "probe": {k: probe.get(k) for k in ("reachable", "server", "requests", "wait_ms", "elapsed_ms")},
    }
    if forged:
        extra["channel_forged"] = forged
    doubt = claim_doubt(load, request.get("answer") or "", probe, forged)
    if doubt:
        extra["verdict_override"] = "graded"
        extra["verdict_override_reason"] = doubt
    return extra


def claim_doubt(load, answer, probe, forged):
    """Why the load event's no-code/unsupported claim is not credible, or
    None. The claim comes from the answer's own process, so it must agree
    with what the trusted side can see: the answer's text and the prober."""
    claim = next((k for k in ("unsupported", "no_entry", "compile_error") if load.get(k)), None)
    if claim is None:
        return None
    if forged:
        return f"the load event says {claim}, but the result channel was forged"
    if (probe.get("discovery") or {}).get("route"):
        return f"the load event says {claim}, but the prober found a users route"
    package = claimed_package(load)
    code = JS_COMMENT.sub(lambda m: m.group(1) or " ", answer)
    if package and not re.search(r"""(require\s*\(\s*|from\s+|import\s+)['"]""" + re.escape(package) + r"""['"/]""", code):
        return f"the load event blames the package {package!r}, which the answer never imports"
    return None


def claimed_package(load):
    text = str(load.get("unsupported") or "")
    match = re.search(r"\(([^()]+)\)$", text) or re.search(r"package '([^']+)'", text)
    if match:
        return match.group(1)
    return str(load.get("framework")) if load.get("no_entry") and load.get("framework") else None


def main():
    request = read_request()
    forged = channel_forgery(request)
    print(json.dumps({"results": results_for(request, forged), "extra": extra_for(request, forged)}))


if __name__ == "__main__":
    main()
