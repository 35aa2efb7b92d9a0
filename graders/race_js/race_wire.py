"""The observer's wire: bytes from the runner in, the result channel out.

Trust boundary. This module runs in the observer (harness.py), the only
process that holds fd 3; the runner (race_runner.js, where the answer runs)
only writes bytes to a pipe. Those bytes become plain JSON values here under
the channel's two limits (gradebox writes them into inputs.json as
`channel`): a line longer than max_line_bytes is dropped whole, unread, and
reported; a line nested deeper than max_depth is refused before json.loads
sees it (the parser recurses). Same contract as graders/_node/lib/
gb_channel.js, for a Python observer (race_js's observer is Python: a
second node process per answer would cost ~0.1 s more than python's start).
"""

import json
import os
import re

CHANNEL_FD = 3
DEFAULT_MAX_LINE_BYTES = 1 << 20
DEFAULT_MAX_DEPTH = 2000
_SPECIAL = re.compile(r'[\[\]{}"\\]')


def read_limits(inputs):
    """(max_line_bytes, max_depth) from inputs.json's `channel`, else defaults."""
    given = inputs.get("channel") if isinstance(inputs, dict) else None
    given = given if isinstance(given, dict) else {}

    def positive(key, default):
        value = given.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default

    return positive("max_line_bytes", DEFAULT_MAX_LINE_BYTES), positive("max_depth", DEFAULT_MAX_DEPTH)


def nesting_depth(text, limit):
    """Deepest bracket nesting of JSON `text` (strings skipped), stopping
    past `limit`; linear in the number of brackets, quotes and backslashes."""
    depth = deepest = 0
    in_string = False
    skip = -1  # the position a backslash escapes
    for match in _SPECIAL.finditer(text):
        pos, c = match.start(), match.group()
        if pos == skip:
            continue
        if in_string:
            if c == "\\":
                skip = pos + 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif c in "]}":
            depth -= 1
    return deepest


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_bounded(data, max_line_bytes, max_depth):
    """One line of bytes from the runner -> (True, value) or (False, reason)."""
    if len(data) > max_line_bytes:
        return False, f"over the {max_line_bytes}-byte line limit"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False, "not UTF-8"
    if nesting_depth(text, max_depth) > max_depth:
        return False, f"nested deeper than the {max_depth}-level limit"
    try:
        return True, json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        return False, f"not JSON: {str(error)[:200]}"


class LineReader:
    """Splits a pipe's bytes into lines; a line over the cap is dropped
    whole (never buffered past the cap) and reported once as None."""

    def __init__(self, max_line_bytes):
        self.max_line_bytes = max_line_bytes
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


def open_channel(max_line_bytes, fd=CHANNEL_FD):
    """send(event): one JSON line per event on fd 3, never over the cap (an
    over-cap event becomes an output-limit marker for the same test)."""
    os.fstat(fd)  # fail at start, not at the first event

    def send(event):
        line = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
        if len(line) >= max_line_bytes:
            line = json.dumps({"event": event.get("event"), "id": event.get("id"), "status": "output-limit",
                               "message": f"event over the {max_line_bytes}-byte channel line cap"}).encode()
        data = line + b"\n"
        while data:
            try:
                data = data[os.write(fd, data):]
            except InterruptedError:
                continue
            except OSError:
                return  # channel gone: gradebox sees the gap

    return send
