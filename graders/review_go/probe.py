#!/usr/bin/python3 -I
"""Trusted prober for review_go: runs outside the sandbox, joined only to its
network namespace. It serves the task's database there (db_server.py, seeded
from seed.sql, which never enters the box) before the answer exists, finds
the answer's server, sends every request the tests need, reads the
database server's counts, and prints what it saw as one JSON object. It
judges nothing: check.py compares with expectations.

Trust: this process is trusted; the answer's server is not. What crosses
is HTTP (the answer's responses, read with a size cap) and the database
protocol (parsed with a line cap); the counts are made here, so the answer
cannot change them except by really using the database less.

stdin:  {"tests": [...with expect...], "options": {...}}
stdout: {"server": {...}, "observed": {test_id: {...}}, "log": [...]}
"""
import json
import signal
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # -I drops it
import probe_net  # noqa: E402  (same folder)
import db_server  # noqa: E402

HERE = Path(__file__).resolve().parent
STATUS_PORT = 39518
SERVER_WAIT_SECONDS = 40.0   # a cold build on a loaded 2-core machine
HARNESS_SHOW_SECONDS = 5.0   # the harness opens its status port at once

report = {"server": None, "observed": {}, "log": []}
database = {"server": None}


def finish(*_):
    """Prints what was seen so far (also on SIGTERM: gradebox may end us)."""
    sys.stdout.write(json.dumps(report))
    sys.stdout.flush()
    sys.exit(0)


def users_request(server, name):
    return probe_net.get(server, "/users?" + urllib.parse.urlencode({"name": name}))


def counts():
    server = database["server"]
    return server.snapshot() if server else None


def settled_counts():
    """Counters once the last response's deferred Close calls have run."""
    deadline = time.monotonic() + 0.3
    while True:
        c = counts()
        if c is None or time.monotonic() > deadline:
            return c
        if c.get("conns_busy", 0) == 0:
            return c
        time.sleep(0.02)


def single_requests(server, tests):
    for tid, test in tests.items():
        name = test["input"].get("name")
        if name is None or tid.startswith(("no-n-plus-1", "db-error", "no-error-leak")):
            continue
        report["observed"][tid] = {"response": users_request(server, name)}


def n_plus_1(server, test):
    before = settled_counts()
    response = users_request(server, test["input"]["name"])
    after = settled_counts()
    report["observed"][test["id"]] = {"response": response, "counts_before": before, "counts_after": after}


def many_requests(server, tests):
    """The 30 sequential requests pool-reuse and no-leaks are judged on."""
    names = tests.get("pool-reuse", tests.get("no-leaks"))["input"]["names"]
    before = settled_counts()
    responses = [[name, users_request(server, name)] for name in names]
    after = settled_counts()
    seen = {"responses": responses, "counts_before": before, "counts_after": after}
    for tid in ("pool-reuse", "no-leaks"):
        if tid in tests:
            report["observed"][tid] = seen


def concurrent(server, test):
    names = test["input"]["names"]
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        replies = list(pool.map(lambda n: users_request(server, n), names))
    report["observed"][test["id"]] = {"responses": dict(zip(names, replies))}


def injected_error(server, tests):
    """Makes the database fail every call, asks once, heals it, asks again."""
    name = tests["db-error-500"]["input"]["name"]
    token = probe_net.token()
    message = f"database disk image is malformed ({token})"
    database["server"].inject(message)
    failed = users_request(server, name)
    database["server"].inject(None)
    after = users_request(server, name)
    seen = {"armed": True, "token": token, "response": failed, "then": after, "counts": counts()}
    for tid in ("db-error-500", "no-error-leak"):
        if tid in tests:
            report["observed"][tid] = seen


def start_database():
    """Before the answer's server exists (gbgo starts it only once this port
    answers), so a failure here is the grader's: exit non-zero."""
    try:
        database["server"] = db_server.Server((HERE / "seed.sql").read_text())
    except (OSError, db_server.db_sqlite.sqlite3.Error) as e:
        sys.stderr.write(f"review_go probe: the database server did not start: {type(e).__name__}: {e}\n")
        sys.exit(3)
    report["database"] = {"up": True, "port": database["server"].addr[1]}


def main():
    signal.signal(signal.SIGTERM, finish)
    request = json.load(sys.stdin)
    tests = {t["id"]: t for t in request.get("tests", [])}
    started = time.monotonic()
    start_database()
    server = probe_net.wait_for_server(report, STATUS_PORT, {db_server.ADDR[1], STATUS_PORT},
                                       SERVER_WAIT_SECONDS, HARNESS_SHOW_SECONDS)
    if server is None:
        finish()
    report["counts_at_start"] = counts()
    # Order matters: what can crash the server (parallel requests, injected
    # errors) comes last, so it costs only its own tests.
    single_requests(server, tests)
    if "no-n-plus-1" in tests:
        n_plus_1(server, tests["no-n-plus-1"])
    if "pool-reuse" in tests or "no-leaks" in tests:
        many_requests(server, tests)
    if "concurrent-requests" in tests:
        concurrent(server, tests["concurrent-requests"])
    if "db-error-500" in tests or "no-error-leak" in tests:
        injected_error(server, tests)
    report["counts_at_end"] = counts()
    report["probe_seconds"] = round(time.monotonic() - started, 3)
    finish()


if __name__ == "__main__":
    main()
