"""Observer side (trusted): one runner (runner.js, the untrusted process that
loads the answer) and what it says, plus the route hints the prober reads.

The runner (started by observer_spawn) gets its config on stdin (then
closed), the sandbox's stdout and stderr (captured for the report only) and
a report pipe as its fd 3, never the result channel, which this process
holds close-on-exec. It runs in its own session and process group, so one
killpg ends it and everything it started. Its report is bytes: split into lines
with the channel's cap, parsed under the size and depth limits
(gb_wire), and reduced to plain, typed, capped fields here.

The hint server is bound before any answer code runs, so the answer cannot
take its port; the routes it serves are the runner's claims, hints only. A
request that comes before the runner reported waits a little for them.
"""

import json
import os
import selectors
import signal
import socket
import time

from gb_wire import LineReader, parse_bounded

MAX_STRING = 2000
HINT_WAIT_S = 0.2
REASONS = ("no Express app with a GET route", "the Express app registers no GET route",
           "the server is not an Express app")


def _text(value, limit=MAX_STRING):
    return value[:limit] if isinstance(value, str) else None


def _count(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def plain_error(e):
    if not isinstance(e, dict):
        return None
    out = {"type": _text(e.get("type"), 100) or "Error", "message": _text(e.get("message")) or ""}
    for key, limit in (("stack", 2 * MAX_STRING), ("code", 100), ("file", 300)):
        if _text(e.get(key), limit) is not None:
            out[key] = _text(e.get(key), limit)
    if isinstance(e.get("line"), int) and not isinstance(e.get("line"), bool):
        out["line"] = e["line"]
    return out


def load_report(v):
    """A runner's load report -> the fields the observer uses, or None."""
    if not isinstance(v, dict) or v.get("kind") != "load":
        return None
    routes = v.get("routes") if isinstance(v.get("routes"), list) else []
    return {"error": plain_error(v.get("error")), "usable": v.get("usable") is True,
            "listened": v.get("listened") is True, "served": _text(v.get("served"), 100),
            "routes": [r[:200] for r in routes if isinstance(r, str)][:20], "all_routes": _count(v.get("all_routes")),
            "reason": v.get("reason") if v.get("reason") in REASONS else None}


def answer_error(v):
    if not isinstance(v, dict) or v.get("kind") != "answer_error":
        return None
    return {"origin": _text(v.get("origin"), 100) or "", "error": plain_error(v.get("error")) or {"type": "Error"}}


class Runner:
    """A started runner. `report` is its first well-formed load report,
    `ended` its (code, signal name) once it has ended."""

    def __init__(self, loop, spawned):
        """`spawned`: (pid, config fd, report fd) from observer_spawn."""
        self.pid, self.config_fd, self.report_fd = spawned
        self.loop, self.reader = loop, LineReader(loop.limits)
        self.report, self.ended, self.eof = None, None, False
        self.notes = {"malformed": 0, "over_cap": 0, "load_reports": 0}
        os.set_blocking(self.report_fd, False)
        loop.selector.register(self.report_fd, selectors.EVENT_READ, self._readable)
        loop.runners.append(self)

    def configure(self, config):
        try:
            os.write(self.config_fd, (json.dumps(config) + "\n").encode())
        except OSError:
            pass  # it has ended: `ended` says so
        self._close_config()

    def _close_config(self):
        if self.config_fd is not None:
            os.close(self.config_fd)
            self.config_fd = None

    def _readable(self, _=None):
        """Reads what is there; False when nothing was."""
        try:
            chunk = os.read(self.report_fd, 65536)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            chunk = b""
        if not chunk:
            self.eof = True
            self.loop.selector.unregister(self.report_fd)
            os.close(self.report_fd)
            return False
        for line in self.reader.push(chunk):
            self._take(line)
        return True

    def _drain(self):
        for _ in range(64):  # bounded: processes it left behind may still write
            if self.eof or not self._readable():
                return

    def _take(self, line):
        if line is None:
            self.notes["over_cap"] += 1
            return
        ok, value = parse_bounded(line, self.loop.limits)
        report = load_report(value) if ok else None
        error = answer_error(value) if ok and report is None else None
        if report is not None:
            self.notes["load_reports"] += 1
            self.report = self.report or report
        elif error is not None:
            self.loop.on_answer_error(error)
        else:
            self.notes["malformed"] += 1

    def poll(self, block=False):
        if self.ended is None:
            try:
                pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                pid, status = self.pid, 0
            if pid:
                self._drain()  # what it wrote before it ended counts
                rc = os.waitstatus_to_exitcode(status)
                self.ended = (rc, None) if rc >= 0 else (None, signal.Signals(-rc).name)
                self._close_config()
        return self.ended

    def stop(self):
        """Ends the runner's group; returns (code, signal name)."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass  # already gone
        return self.poll(block=True)


class Loop:
    """The observer's event loop: runner reports, the hint server, ends."""

    def __init__(self, limits, on_answer_error):
        self.limits, self.on_answer_error = limits, on_answer_error
        self.selector = selectors.DefaultSelector()
        self.runners = []
        self.hints = None
        self.waiting = []  # hint requests: (socket, deadline)

    def serve_hints(self, port, host):
        """Binds the hint port now (before any answer code runs)."""
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind((host, port))
            server.listen(16)
        except OSError:
            server.close()
            return  # the prober then gets no hints: a few more guesses
        server.setblocking(False)
        self.selector.register(server, selectors.EVENT_READ, self._accept)

    def set_routes(self, routes):
        self.hints = json.dumps({"routes": routes[:20]}).encode()
        for client, _ in self.waiting:
            self._answer(client)
        self.waiting = []

    def _accept(self, server):
        try:
            client, _ = server.accept()
        except OSError:
            return
        client.setblocking(False)
        self.selector.register(client, selectors.EVENT_READ, self._request)

    def _request(self, client):
        try:
            client.recv(16384)  # the request itself does not matter
        except OSError:
            pass
        self.selector.unregister(client)
        if self.hints is not None:
            self._answer(client)
        else:
            self.waiting.append((client, time.monotonic() + HINT_WAIT_S))

    def _answer(self, client, body=None):
        body = body if body is not None else self.hints
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        try:
            client.setblocking(True)
            client.settimeout(0.5)
            client.sendall(head.encode() + body)
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        client.close()

    def _expire(self):
        now = time.monotonic()
        for client, deadline in [w for w in self.waiting if w[1] <= now]:
            self._answer(client, b'{"routes": []}')
        self.waiting = [w for w in self.waiting if w[1] > now]

    def run_until(self, done):
        """Serves everything until done() is true."""
        while not done():
            for key, _ in self.selector.select(timeout=0.02):
                key.data(key.fileobj)
            self._expire()
            for runner in self.runners:
                runner.poll()
