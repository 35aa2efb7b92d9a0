#!/usr/bin/python3 -I
"""Trusted checker for review_go (outside the sandbox, stdlib only).

stdin: {"answer", "tests" (with expect), "observations", "outcome", "probe"}
stdout: {"results": [{"id", "status", "detail"}], "extra": {...}}

The prose categories (finds-*) are judged from the raw answer; the code
categories from what the trusted prober saw over HTTP and from the counts
of the database server it ran (connections, statements, result sets seen
on the database side, outside the answer's process). A count test also
needs well-formed responses (HTTP 200, a JSON array), whatever the users in
them; gradebox applies the behaviour rule (graders/README.md).
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # -I drops it
import prose  # noqa: E402
import judge_http  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_trusted"))
from gb_trusted import cut, read_request  # noqa: E402

PROSE_TESTS = {"finds-sql-injection": "sql-injection", "finds-n-plus-1": "n-plus-1",
               "finds-connection-pool": "connection-pool"}


def load_event(observations):
    for e in observations or []:
        if isinstance(e, dict) and e.get("event") == "load":
            return e
    return None


def why_no_server(load, probe):
    """Why the code tests cannot pass, or None when the server was probed."""
    if load is None:
        return "no revised program was run (the answer has no runnable Go code)"
    if not load.get("ok"):
        for key in ("compile_error", "unsupported", "harness_error", "message"):
            if load.get(key):
                return f"{key.replace('_', ' ')}: {str(load[key])[:300]}"
        return "the program did not load"
    server = (probe or {}).get("server") or {}
    if not server.get("up"):
        return "the server never answered HTTP (" + str(server.get("why", "not probed")) + ")"
    return None


def main():
    request = read_request()
    answer = request.get("answer") or ""
    probe = request.get("probe") if isinstance(request.get("probe"), dict) else {}
    load = load_event(request.get("observations"))
    findings = prose.judge(answer)
    blocked = why_no_server(load, probe)
    observed = probe.get("observed") if isinstance(probe.get("observed"), dict) else {}
    results = []
    for test in request.get("tests", []):
        tid = test["id"]
        if tid in PROSE_TESTS:
            f = findings[PROSE_TESTS[tid]]
            status = "pass" if f["found"] else "fail"
            detail = "" if f["found"] else (
                "the prose does not name the issue" if not f["issue"] else "the prose does not recommend the fix")
        elif blocked:
            status, detail = "fail", blocked
        else:
            status, detail = judge_http.judge(test, observed.get(tid))
        results.append({"id": tid, "status": status, "detail": detail[:600]})
    extra = {"findings": findings, "other_findings": prose.others(answer),
             "server": probe.get("server"), "counts_at_end": probe.get("counts_at_end"),
             "probe_seconds": probe.get("probe_seconds")}
    if load and load.get("report"):
        extra["load"] = cut(load["report"])
    print(json.dumps({"results": results, "extra": extra}))


if __name__ == "__main__":
    main()
