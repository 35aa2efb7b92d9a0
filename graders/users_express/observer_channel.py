"""Observer side (trusted): the result channel and the parsing of what the
runner sends, under the two limits gradebox declares in inputs.json
(`channel`: max_line_bytes, max_depth) and enforces on its side too.

The channel (fd 3) is written only by the observer, one JSON line per event,
never longer than the cap: an over-cap event becomes an output-limit marker.
A runner's line is bytes from the answer's process: it is refused, never
parsed, when it is over the cap or nests deeper than the limit, and JSON's
NaN/Infinity are refused too, so a plain value is all that can come out.
"""

import json
import os

CHANNEL_FD = 3
DEFAULT_LIMITS = {"max_line_bytes": 1 << 20, "max_depth": 2000}


def read_limits(inputs):
    given = inputs.get("channel") if isinstance(inputs.get("channel"), dict) else {}

    def positive(key):
        value = given.get(key)
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return value if ok else DEFAULT_LIMITS[key]

    return {"max_line_bytes": positive("max_line_bytes"), "max_depth": positive("max_depth")}


def open_channel(limits, fd=CHANNEL_FD):
    """send(event): one capped JSON line on fd 3, written whole."""
    os.fstat(fd)  # fail at start, not at the first event

    def send(event):
        line = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        if len(line.encode()) >= limits["max_line_bytes"]:
            line = json.dumps({"event": event.get("event"), "status": "output-limit",
                               "message": f"event over the {limits['max_line_bytes']}-byte channel line cap"})
        data = (line + "\n").encode()
        try:
            while data:
                data = data[os.write(fd, data):]
        except OSError:
            pass  # channel gone: gradebox sees the gap

    return send


def nesting_depth(text, limit):
    """Deepest nesting of JSON text (strings skipped), stopping past limit."""
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif c in "]}":
            depth -= 1
    return deepest


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse_bounded(raw, limits):
    """(True, value) or (False, reason) for one line of bytes from the runner."""
    if len(raw) > limits["max_line_bytes"]:
        return False, f"over the {limits['max_line_bytes']}-byte line limit"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False, "not UTF-8"
    could_be_deep = text.count("[") + text.count("{") > limits["max_depth"]  # a C-speed pre-check
    if could_be_deep and nesting_depth(text, limits["max_depth"]) > limits["max_depth"]:
        return False, f"nested deeper than the {limits['max_depth']}-level limit"
    try:
        return True, json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as err:
        return False, f"not JSON: {str(err)[:200]}"


class LineReader:
    """Splits a byte stream into lines; a line over the cap is dropped whole
    and reported once as None instead of being buffered."""

    def __init__(self, limits):
        self.cap = limits["max_line_bytes"]
        self.pending = bytearray()
        self.overflowing = False

    def push(self, chunk):
        out = []
        lines = chunk.split(b"\n")
        for i, part in enumerate(lines):
            self._take(part)
            if i < len(lines) - 1:
                out.append(None if self.overflowing else bytes(self.pending))
                self.pending = bytearray()
                self.overflowing = False
        return out

    def _take(self, part):
        if self.overflowing or not part:
            return
        if len(self.pending) + len(part) > self.cap:
            self.overflowing = True
            self.pending = bytearray()
        else:
            self.pending += part
