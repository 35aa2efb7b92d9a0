"""users_express prober (trusted; Python stdlib only).

gradebox runs it outside the sandbox, joined to the sandbox's network
namespace only, while the harness serves the answer on 127.0.0.1:<port>:

    /usr/bin/python3 -I probe.py < {"tests": [...with expect...], "options": {...}}

It waits for the port, discovers the API (probe_discover, probe_filters),
runs one check per test (probe_checks, probe_edges) and prints one JSON
object: {"reachable", "discovery", "results": [{"id", "status", "detail",
"time_ms"}], "requests", "elapsed_ms", "log"}. Its time is bounded by
options.budget_seconds whatever the server does. It exits non-zero only
for a fault of its own (gradebox reports grader-error, never a fail).
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import probe_discover as discover  # noqa: E402
from probe_checks import CHECKS, Stop  # noqa: E402
from probe_edges import EDGE_CHECKS  # noqa: E402
from probe_filters import find_filters  # noqa: E402
from probe_http import Client, fetch_hints, wait_for_port  # noqa: E402
from probe_truth import adopt_literal  # noqa: E402

ALL_CHECKS = {**CHECKS, **EDGE_CHECKS}


def sandbox_gone():
    """True when no other process shares our network namespace: the
    sandbox has ended, so waiting for its port is pointless."""
    try:
        mine = os.readlink("/proc/self/ns/net")
    except OSError:
        return False
    me = os.getpid()
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != me:
            try:
                if os.readlink(f"/proc/{name}/ns/net") == mine:
                    return False
            except OSError:
                continue
    return True


def discover_api(client, hints, answer_texts=()):
    """Api, or (None, why) when no route serves a users array."""
    route, path, first, tried, answered = discover.find_route(client, hints)
    required = {}
    if route is None:  # the cheap path failed: maybe page and size have no defaults
        found = discover.find_required_params(client, answered)
        if found is None:
            also = answered[:discover.MAX_EXPLICIT_ROUTES]
            also = f"; {', '.join(also)} also with page and size spelled out" if also else ""
            return None, f"no route answered with a users array (tried {', '.join(tried)}{also})"
        route, path, first, required = found
    api = discover.Api(route)
    api.array_path = path
    api.required = required
    if required:
        api.notes.append(f"{route} lists no users without {', '.join(required)}")
    first_users = api.users_of(first)
    api.default_len = len(first_users)
    api.size_param = discover.find_size_param(client, api)
    discover.find_page_param(client, api, 2 if api.size_param else None)
    discover.learn_users(client, api, first_users)
    adopt_literal(api, first.body, answer_texts)
    api.total_path = discover.choose_total(api, first.body)
    find_filters(client, api)
    return api, None


def run_test(client, api, why, test):
    if api is None:
        if client.dead == "hung":
            return "timeout", f"the server stopped answering: {why}"
        return "fail", why
    if client.dead == "hung":
        return "timeout", "the server stopped answering earlier in the probe"
    if client.dead == "down":
        return "fail", "the server is no longer running"
    if client.out_of_time():
        return "timeout", "the probe's time budget ran out"
    check = ALL_CHECKS.get(test["category"])
    if check is None:
        return "fail", f"no check for category {test['category']}"
    try:
        return check(client, api, test)
    except Stop as stop:
        return stop.status, stop.detail


def ordered(tests):
    """The given order, except that server-survives comes after all others."""
    return [t for t in tests if t["category"] != "server-survives"] + \
           [t for t in tests if t["category"] == "server-survives"]


def answer_texts(request):
    """The answer's files as gradebox extracted them (trusted text)."""
    files = request.get("answer_files")
    if not isinstance(files, list):
        return []
    return [f["code"] for f in files if isinstance(f, dict) and isinstance(f.get("code"), str)]


def main():
    request = json.load(sys.stdin)
    options = request.get("options") or {}
    port = int(options.get("port", 3000))
    start = time.monotonic()
    client = Client(port, start + float(options.get("budget_seconds", 8)),
                    float(options.get("request_timeout_seconds", 1.0)))
    reachable = wait_for_port(port, start + float(options.get("start_timeout_seconds", 4)), sandbox_gone)
    listening = time.monotonic()
    api, why = None, f"nothing listened on 127.0.0.1:{port}"
    hints = []
    if reachable:
        hints = fetch_hints(port + 1)
        api, why = discover_api(client, hints, answer_texts(request))
    started = time.monotonic()
    discovery_requests = client.requests
    results = []
    for test in ordered(request.get("tests", [])):
        t0 = time.monotonic()
        status, detail = run_test(client, api, why, test)
        results.append({"id": test["id"], "status": status, "detail": detail,
                        "time_ms": round((time.monotonic() - t0) * 1000, 1)})
    print(json.dumps({
        "reachable": reachable, "route_hints": hints,
        "discovery": api.describe() if api else {"problem": why},
        "server": client.dead or "up", "results": results, "requests": client.requests,
        "discovery_requests": discovery_requests,
        "wait_ms": round((listening - start) * 1000, 1),
        "discovery_ms": round((started - listening) * 1000, 1),
        "elapsed_ms": round((time.monotonic() - start) * 1000, 1), "log": client.log[:200],
    }))


if __name__ == "__main__":
    main()
