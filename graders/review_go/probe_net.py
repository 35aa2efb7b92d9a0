"""HTTP and socket helpers of the trusted prober (stdlib only). Every reply
is plain data: {"status", "content_type", "json" | "text", "refused", "error"}
("refused": the body is over MAX_BODY, nested past MAX_DEPTH or holds
numbers JSON cannot carry on; only its head is kept, as text)."""
import math
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_trusted"))  # -I drops it
import gb_http  # noqa: E402
from gb_trusted import LimitExceeded, bounded_loads  # noqa: E402

# Largest body kept. The biggest right answer (all 48 users) is ~10 KB even
# pretty-printed; the cap keeps the prober's output (~60 responses) small
# enough for gradebox to parse, whatever the answer sends.
MAX_BODY = 64 << 10
# Deepest body kept as JSON. A users array is 4 deep; the cap keeps the
# prober's own output (the body nested a few levels further) far under
# gradebox's 2000-level limit and under Python's recursion limit.
MAX_DEPTH = 200
REQUEST_SECONDS = 2.0
GIVE_UP_AFTER = 2  # consecutive timeouts: the server is hung, stop asking

_timeouts = {"in_a_row": 0}


def get(server, path, timeout=REQUEST_SECONDS):
    """One GET; after GIVE_UP_AFTER timeouts in a row every later request
    fails at once, so a server that never answers costs seconds, not minutes."""
    if _timeouts["in_a_row"] >= GIVE_UP_AFTER:
        return {"error": "not sent: the server stopped answering (timeouts)"}
    reply = get_once(server, path, timeout)
    timed_out = "timed out" in reply.get("error", "")
    _timeouts["in_a_row"] = _timeouts["in_a_row"] + 1 if timed_out else 0
    return reply


def get_once(server, path, timeout):
    host, port = server
    got = gb_http.get(host, port, path, timeout, MAX_BODY, {"Connection": "close"})
    if got.failure:
        return {"error": got.error}
    reply = {"status": got.status, "content_type": got.header("content-type")}
    if got.over:
        reply["refused"] = f"body over {MAX_BODY >> 10} KiB"
        reply["text"] = got.body[:2000].decode("utf-8", errors="replace")
        return reply
    text = got.body.decode("utf-8", errors="replace")
    value, problem = bounded_json(text)
    if problem:
        reply["text"] = text[:2000]
        if problem != "not JSON":
            reply["refused"] = problem
    else:
        reply["json"] = value
    return reply


class OutOfRange(ValueError):
    """A number JSON cannot carry on (NaN, Infinity, past 64 bits): the
    prober's own output must stay valid JSON for gradebox."""


def _no_constant(name):
    raise OutOfRange(f"the number {name} is not JSON")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise OutOfRange(f"the number {text[:40]} is out of range")
    return value


def _int64(text):
    value = int(text)
    if not -(1 << 63) <= value < (1 << 64):
        raise OutOfRange(f"the number {text[:40]} is out of range")
    return value


def bounded_json(text):
    """(value, None), or (None, why) for a body that is not JSON or nests
    deeper than MAX_DEPTH (refused before it is parsed: the answer's bytes
    never reach recursive code in the prober)."""
    try:
        # The size is checked on the bytes, by get_once.
        value = bounded_loads(text, len(text), MAX_DEPTH, parse_constant=_no_constant,
                              parse_float=_finite_float, parse_int=_int64)
    except (LimitExceeded, OutOfRange) as e:
        return None, str(e)
    except ValueError:
        return None, "not JSON"
    return value, None


def token():
    return "gbx" + os.urandom(6).hex()


def status_phase(port):
    """The harness's phase line, or None when nothing listens."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as s:
            return s.recv(64).decode("ascii", errors="replace").strip() or "unknown"
    except OSError:
        return None


def listening(exclude):
    """(host, port) of every listening TCP socket in this network namespace,
    from /proc/self/net (started in the sandbox's network, it shows the sandbox's sockets)."""
    found = []
    for table, any_host, loop in (("tcp", "00000000", "127.0.0.1"), ("tcp6", "0" * 32, "::1")):
        try:
            with open(f"/proc/self/net/{table}") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if len(fields) < 4 or fields[3] != "0A":  # 0A: LISTEN
                        continue
                    host_hex, port_hex = fields[1].split(":")
                    port = int(port_hex, 16)
                    if port in exclude:
                        continue
                    host = loop if host_hex in (any_host, "0100007F") else decode_host(host_hex, loop)
                    found.append((host, port))
        except OSError:
            continue
    return sorted(set(found), key=lambda hp: (hp[1] != 8080, hp[1]))


def decode_host(host_hex, fallback):
    if len(host_hex) == 8:
        return socket.inet_ntoa(bytes.fromhex(host_hex)[::-1])
    if host_hex == "00000000000000000000000001000000":
        return "::1"
    return fallback


def accepts(host, port):
    return gb_http.accepts(host, port, 1.0)


def wait_for_server(report, status_port, exclude, wait_seconds, show_seconds):
    """Polls until a port accepts connections; None when the harness is gone (compile
    error, server exited) or the time is up. Notes why in report["server"]."""
    start = time.monotonic()
    seen_harness = False
    while time.monotonic() - start < wait_seconds:
        phase = status_phase(status_port)
        if phase in ("failed", "exited") or (phase is None and seen_harness):
            report["server"] = {"up": False, "why": f"harness {phase or 'gone'}",
                                "waited": round(time.monotonic() - start, 3)}
            return None
        seen_harness = seen_harness or phase is not None
        if not seen_harness and time.monotonic() - start > show_seconds:
            break
        # The answer's server exists only once the harness says "running":
        # scanning /proc/net/tcp walks the host's whole connection table, so
        # it waits for that instead of running every 10 ms through the build.
        for host, port in (listening(exclude) if phase == "running" else ()):
            if accepts(host, port):
                report["server"] = {"up": True, "host": host, "port": port,
                                    "waited": round(time.monotonic() - start, 3)}
                return (host, port)
        time.sleep(0.01)
    report["server"] = {"up": False, "why": "no server answered", "waited": round(time.monotonic() - start, 3)}
    return None
