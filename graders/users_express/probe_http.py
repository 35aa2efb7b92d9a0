"""HTTP client of the users_express prober (trusted, stdlib only).

Talks only to 127.0.0.1:<port> of the sandbox's network namespace, which
the prober has joined: nothing here can reach another host. Every request
has a timeout and the whole probe a deadline, so a server that never
answers, or a handler stuck in a loop, costs seconds, not the run.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_trusted"))  # -I drops it
import gb_http  # noqa: E402
from gb_trusted import LimitExceeded, bounded_loads  # noqa: E402

HOST = gb_http.LOOPBACK
MAX_BODY = 4 * 1024 * 1024
HINTS_MAX = 16384  # the harness's route hints: a short list
# A users response nests a few levels; anything deeper is not one, and is
# refused before it is parsed (a declared limit, the answer's fail): parsed,
# it would reach recursive code and turn the answer's wrong result into a
# prober crash, a grader-error.
MAX_DEPTH = 64


class Response:
    """One request's result: status (None when there was no HTTP answer),
    parsed JSON (None when the body is not JSON), or the failure."""

    def __init__(self, status=None, body=None, is_json=False, failure=None, ms=0.0, refused=None):
        self.status = status
        self.body = body
        self.is_json = is_json
        self.failure = failure  # None, "timeout", "refused", "reset", "bad-response"
        self.ms = ms
        self.refused = refused  # the declared limit a body passed, if it did

    def describe(self):
        if self.failure:
            return f"no answer ({self.failure})"
        kind = "JSON" if self.is_json else f"refused body ({self.refused})" if self.refused else "non-JSON"
        return f"HTTP {self.status} {kind}"


class Client:
    """Keep-alive GET client with a per-request timeout and a global deadline."""

    def __init__(self, port, deadline, request_timeout):
        self.port = port
        self.deadline = deadline
        self.request_timeout = request_timeout
        self.conn = None
        self.requests = 0
        self.dead = None  # None, "hung" (stopped answering), "down" (refuses connections)
        self.log = []
        self.cache = {}

    def remaining(self):
        return self.deadline - time.monotonic()

    def _connection(self, timeout):
        if self.conn is None:
            self.conn = gb_http.connect(HOST, self.port, timeout)
        else:
            gb_http.set_timeout(self.conn, timeout)
        return self.conn

    def _drop(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def _once(self, target, timeout):
        headers = {"Accept": "application/json", "Host": f"localhost:{self.port}"}
        reply = gb_http.exchange(self._connection(timeout), target, headers, MAX_BODY)
        if reply.failure:
            self._drop()
            return Response(failure=reply.failure, ms=reply.ms if reply.failure == "timeout" else 0.0)
        if reply.header("connection").lower() == "close" or reply.over:
            self._drop()
        return _parse(reply.status, reply.body, reply.ms)

    def get(self, target, timeout=None):
        """GET target (path + raw query). A reused keep-alive connection the
        server closed is retried once on a fresh one."""
        if self.dead:
            return Response(failure="timeout" if self.dead == "hung" else "refused")
        budget = min(timeout or self.request_timeout, max(self.remaining(), 0.05))
        reused = self.conn is not None
        self.requests += 1
        resp = self._once(target, budget)
        if resp.failure in ("reset", "bad-response") and reused:
            resp = self._once(target, budget)
        if len(self.log) < 400:
            self.log.append([target[:200], resp.status if resp.status else resp.failure, round(resp.ms, 1)])
        if resp.failure:
            self._judge_health(resp)
        return resp

    def reference(self, target):
        """GET for reference data (discovery, the first page a check compares
        with): an identical earlier answer is reused. Never for a request
        whose repetition is the point of a check."""
        resp = self.cache.get(target)
        if resp is None:
            resp = self.get(target)
            if resp.status == 200:
                self.cache[target] = resp
        return resp

    def _judge_health(self, resp):
        """After a failure: is the server still there? A blocked event loop
        means every later request would time out too."""
        if resp.failure == "refused":
            self.dead = "down"
            return
        probe = self._once("/", min(0.5, max(self.remaining(), 0.05)))
        if probe.failure == "timeout":
            self.dead = "hung"
        elif probe.failure == "refused":
            self.dead = "down"

    def out_of_time(self):
        return self.remaining() <= 0


def bounded_json(raw, max_bytes=MAX_BODY, max_depth=MAX_DEPTH):
    """The JSON value of bytes from the answer's server, or raises ValueError
    (naming the limit) when they are over max_bytes, nested deeper than
    max_depth, or not UTF-8 JSON."""
    return bounded_loads(raw, max_bytes, max_depth, parse_constant=_not_json)


def _not_json(name):
    """NaN and Infinity: Python's json takes them, JSON (and JSON.parse) does not."""
    raise ValueError(f"{name} is not JSON")


def _parse(status, raw, ms):
    try:
        return Response(status=status, body=bounded_json(raw), is_json=True, ms=ms)
    except LimitExceeded as err:
        return Response(status=status, body=None, is_json=False, ms=ms, refused=str(err))
    except ValueError:
        return Response(status=status, body=None, is_json=False, ms=ms)


def wait_for_port(port, deadline, gone):
    """Polls until something accepts on the port; False at the deadline or
    as soon as `gone()` says the sandbox has no process left."""
    pause = 0.002
    checks = 0
    while time.monotonic() < deadline:
        if gb_http.accepts(HOST, port, 0.2):
            return True
        checks += 1
        if checks % 20 == 0 and gone():
            return False
        time.sleep(pause)
        pause = min(pause * 1.5, 0.005)
    return False


def fetch_hints(port):
    """The harness serves its route hints on port+1. Untrusted: only used to
    order the routes to try; bounded and filtered."""
    reply = gb_http.get(HOST, port, "/", 0.3, HINTS_MAX)
    try:
        if reply.failure:
            return []
        data = bounded_json(reply.body[:HINTS_MAX], HINTS_MAX, 4)
    except ValueError:  # UnicodeDecodeError included
        return []
    routes = data.get("routes") if isinstance(data, dict) else None
    if not isinstance(routes, list):
        return []
    return [r for r in routes if isinstance(r, str) and r.startswith("/") and len(r) < 100][:20]
