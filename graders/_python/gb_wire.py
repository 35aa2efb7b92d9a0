"""gb_wire: the Python observer's wire, once: bytes from an answer's process
in, the result channel out. Used by every Python observer (the _python
harness library, race_js, users_express).

Trust boundary. This module runs in the observer, the only process that
holds fd 3; the answer's processes only write bytes to pipes. Those bytes
become plain JSON values here under the channel's two limits (gradebox
writes them into inputs.json as `channel` and enforces them on its side
too): a line longer than max_line_bytes is dropped whole, unread, and
reported; a line nested deeper than max_depth is refused before the parser
(which recurses) sees it; NaN and Infinity are refused. Same contract as
graders/_node/lib/gb_channel.js. JSON goes through the C scanner and
encoder of `_json` directly: importing `json` (and `re`, which it needs)
costs an observer ~10 ms per answer.
"""

import _json
import os
import sys

CHANNEL_FD = 3
DEFAULT_MAX_LINE_BYTES = 1 << 20
DEFAULT_MAX_DEPTH = 2000
_BRACKETS_AND_QUOTES = {ord(c): c for c in '[]{}"'}


class _Strict:
    """Scanner settings: JSON as JavaScript's JSON.parse reads it (no NaN)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    memo = {}

    @staticmethod
    def parse_constant(name):
        raise ValueError(f"{name} is not JSON")


class _Keep(dict):
    """str.translate table keeping only brackets and quotes (ASCII filled
    in, so only other characters reach __missing__)."""

    def __missing__(self, key):
        return None


_scan = _json.make_scanner(_Strict())
_encode = _json.make_encoder(None, None, _json.encode_basestring, None, ":", ",", False, False, False)
_KEEP = _Keep({code: _BRACKETS_AND_QUOTES.get(code) for code in range(128)})
_WHITESPACE = " \t\n\r"


def _with_headroom(levels, work, arg):
    """work(arg) with the recursion limit raised, if need be, so that
    `levels` more nested levels fit: the C scanner and encoder count each
    level against it, and the default 1000 would refuse what the declared
    depth limit (2000) accepts."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    saved = sys.getrecursionlimit()
    if depth + levels + 50 > saved:
        sys.setrecursionlimit(depth + levels + 50)
    try:
        return work(arg)
    finally:
        sys.setrecursionlimit(saved)


def loads(text, max_depth=DEFAULT_MAX_DEPTH):
    """One JSON document (raises ValueError), as JSON.parse would accept it.
    The caller has checked that it nests at most max_depth deep."""
    return _with_headroom(max_depth, _loads, text)


def _loads(text):
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = _scan(text, start)
    except StopIteration as stop:
        raise ValueError(f"not JSON at {stop.value}") from None
    except SystemError:
        # The C scanner raises json.decoder's JSONDecodeError only when that
        # module is already imported (never here): otherwise it returns NULL
        # without an exception, e.g. on {'a': 1}.
        raise ValueError("not JSON") from None
    if text[end:].strip(_WHITESPACE):
        raise ValueError(f"extra data at {end}")
    return value


def dumps(value, max_depth=2 * DEFAULT_MAX_DEPTH):
    """Plain JSON text, compact, non-ASCII kept (as JSON.stringify writes it).
    `value` nests at most max_depth deep (a parsed value inside an event)."""
    return _with_headroom(max_depth, _dumps, value)


def _dumps(value):
    return "".join(_encode(value, 0))


class Limits:
    """inputs.json's `channel`: the longest line and the deepest nesting
    accepted from an answer's process, and the longest line written to fd 3."""

    def __init__(self, channel=None):
        given = channel if type(channel) is dict else {}

        def positive(key, default):
            value = given.get(key)
            return value if type(value) is int and value > 0 else default

        self.max_line_bytes = positive("max_line_bytes", DEFAULT_MAX_LINE_BYTES)
        self.max_depth = positive("max_depth", DEFAULT_MAX_DEPTH)


def read_limits(inputs):
    """The Limits gradebox wrote into inputs.json, else the defaults."""
    return Limits(inputs.get("channel") if type(inputs) is dict else None)


def nesting_depth(text, limit):
    """Deepest bracket nesting of JSON `text` (strings skipped), stopping
    past `limit`. Escapes go first (a backslash always starts a pair), so
    every quote left delimits a string; then only brackets and quotes are
    walked."""
    if "\\" in text:
        text = text.replace("\\\\", "").replace('\\"', "")
    depth = deepest = 0
    in_string = False
    for c in text.translate(_KEEP):
        if c == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def parse_bounded(data, limits):
    """One line of bytes from an answer's process -> (True, value) or
    (False, reason naming the limit)."""
    max_line_bytes, max_depth = limits.max_line_bytes, limits.max_depth
    if len(data) > max_line_bytes:
        return False, f"over the {max_line_bytes}-byte line limit"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False, "not UTF-8"
    if nesting_depth(text, max_depth) > max_depth:
        return False, f"nested deeper than the {max_depth}-level limit"
    try:
        return True, loads(text, max_depth)
    except ValueError as error:
        return False, f"not JSON: {str(error)[:200]}"


class LineReader:
    """Splits a pipe's bytes into lines; a line over the cap is dropped
    whole (never buffered past the cap) and reported once as None."""

    def __init__(self, limits):
        self.max_line_bytes = limits.max_line_bytes
        self.pending = bytearray()
        self.overflowing = False

    def push(self, chunk):
        """-> list of bytes lines, None standing for an over-cap line."""
        out = []
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            if nl < 0:
                break
            self._take(chunk[start:nl])
            out.append(None if self.overflowing else bytes(self.pending))
            self.pending = bytearray()
            self.overflowing = False
            start = nl + 1
        self._take(chunk[start:])
        return out

    def _take(self, part):
        if self.overflowing or not part:
            return
        if len(self.pending) + len(part) > self.max_line_bytes:
            self.overflowing = True
            self.pending = bytearray()
        else:
            self.pending += part


def open_channel(limits, fd=CHANNEL_FD, encode=None):
    """send(event): one JSON line per event on fd 3, never over the caps (an
    event longer than max_line_bytes or nested past max_depth becomes an
    output-limit marker for the same test, naming the limit).
    `encode` turns an event into text (default: dumps)."""
    os.fstat(fd)  # fail at start, not at the first event
    max_line_bytes, max_depth = limits.max_line_bytes, limits.max_depth
    encode = encode or dumps

    def marker(event, why):
        return dumps({"event": event.get("event"), "id": event.get("id"), "status": "output-limit",
                      "message": why}).encode()

    def send(event):
        line = encode(event).encode()
        if len(line) >= max_line_bytes:
            line = marker(event, f"event over the {max_line_bytes}-byte channel line cap")
        elif too_deep(line, max_depth):
            line = marker(event, f"event nested deeper than the {max_depth}-level channel limit")
        data = line + b"\n"
        while data:
            try:
                data = data[os.write(fd, data):]
            except InterruptedError:
                continue
            except OSError:
                return  # channel gone: gradebox sees the gap

    return send


def too_deep(line, max_depth):
    """Whether a JSON line nests past max_depth (gradebox would refuse it);
    the bracket count spares the scan for almost every line."""
    if line.count(b"[") + line.count(b"{") <= max_depth:
        return False
    return nesting_depth(line.decode("utf-8", "replace"), max_depth) > max_depth
