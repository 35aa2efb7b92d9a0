"""Loopback HTTP client of the trusted probers (stdlib only; never copied into a box).

A prober joins the sandbox's network namespace and talks to the answer's
server on a loopback address: nothing here can reach another host. This
module is the one place that sends a GET and reads the reply; each prober
keeps its own limits (how much body it keeps, how deep a JSON body may nest)
and its own view of a reply (users_express/probe_http.py,
review_go/probe_net.py).

Whatever the answer's server sends (no answer, a reset, bytes that are not
HTTP, an endless body) becomes a Reply: a fault of the answer is data, never
an exception in the prober.
"""

import http.client
import socket
import time

LOOPBACK = "127.0.0.1"


class Reply:
    """One GET's result. status is None when no HTTP answer came; failure then
    says why: "timeout", "refused", "reset" (the connection dropped) or
    "bad-response" (bytes that are not HTTP); error is the exception's text.
    body holds at most max_body + 1 bytes, so `over` tells a body past the
    limit from one exactly at it."""

    def __init__(self, status=None, headers=None, body=b"", failure=None, error="", ms=0.0, max_body=0):
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.failure = failure
        self.error = error
        self.ms = ms
        self.over = len(body) > max_body

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)


def connect(host, port, timeout):
    """A connection to reuse across exchanges (keep-alive), or for one."""
    return http.client.HTTPConnection(host, port, timeout=timeout)


def set_timeout(conn, timeout):
    """The next exchange's timeout on a kept-alive connection."""
    conn.timeout = timeout
    if conn.sock is not None:
        conn.sock.settimeout(timeout)


def exchange(conn, target, headers, max_body):
    """GET target (path + raw query) on conn and read at most max_body + 1
    bytes of the body. The caller closes conn when a Reply has a failure."""
    start = time.monotonic()
    try:
        conn.request("GET", target, headers=headers)
        resp = conn.getresponse()
        body = resp.read(max_body + 1)
        fields = {}
        for name, value in resp.getheaders():  # repeated fields join, as getheader() joins them
            key = name.lower()
            fields[key] = f"{fields[key]}, {value}" if key in fields else value
        return Reply(resp.status, fields, body, ms=_since(start), max_body=max_body)
    except Exception as err:  # noqa: BLE001 - whatever the answer's bytes raise is its failure, not ours
        return Reply(failure=_failure_kind(err), error=f"{type(err).__name__}: {err}"[:300], ms=_since(start))


def get(host, port, target, timeout, max_body, headers=None):
    """One GET on a connection of its own, closed afterwards."""
    conn = connect(host, port, timeout)
    try:
        return exchange(conn, target, headers or {}, max_body)
    finally:
        conn.close()


def accepts(host, port, timeout):
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _failure_kind(err):
    if isinstance(err, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(err, ConnectionRefusedError):
        return "refused"
    if isinstance(err, ConnectionError):
        return "reset"
    return "bad-response"


def _since(start):
    return (time.monotonic() - start) * 1000
