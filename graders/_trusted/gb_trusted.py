"""gb_trusted: the declared limits of the trusted scripts that run outside
the box (each task's check.py, probe.py and their helpers), once.

Trust boundary. These scripts are trusted; what they read is not. Their
stdin comes from gradebox, which has already refused every channel line
over 1 MiB or nested past 2,000 levels, but the values inside are what the
answer's processes returned, and a prober reads bytes straight from the
answer's server. The blame rule (graders/README.md): only a declared limit
counts against the answer. So every parse of answer-derived data here
checks a declared size and depth first and says which one was passed; a
value within them is parsed and walked without a RecursionError (the C
parser, ==, repr and json.dumps each count one recursion level per nesting
level, and Python's default 1000 is under the channel's 2000); anything
else a trusted script fails on stays an exception: grader-error.
Standard library only (`python3 -I -S`).
"""

import json
import os
import sys

# The bounded parser is the box side's (graders/_python/gb_wire.py): one
# definition of the channel's depth rule for both sides. -I drops the path.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_python"))
from gb_wire import DEFAULT_MAX_DEPTH, nesting_depth  # noqa: E402

# The request wraps an event's value in a few levels of its own
# (request -> observations -> event -> value), and a probe's output sits
# in it as well.
REQUEST_MAX_DEPTH = DEFAULT_MAX_DEPTH + 16
# How deep and how long an answer's value is shown in a detail or an extra.
SHOWN_DEPTH = 32
SHOWN_CHARS = 200
_HEADROOM = 4  # recursion levels per nesting level a walk may use, with margin


class LimitExceeded(ValueError):
    """Answer-derived data over a declared limit; the message names it."""


def allow_depth(levels):
    """Raises the recursion limit (never lowers it) so that values nested
    `levels` deep can be parsed, compared, shown and encoded from here."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    needed = depth + _HEADROOM * levels + 200
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


def bounded_loads(text, max_bytes, max_depth, **options):
    """The JSON value of `text` (str or bytes) from the answer, or raises
    LimitExceeded (over max_bytes, nested past max_depth) or ValueError (not
    UTF-8, not JSON). `options` go to json.loads (number hooks)."""
    if len(text) > max_bytes:
        raise LimitExceeded(f"over the {max_bytes}-byte limit")
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if nesting_depth(text, max_depth) > max_depth:
        raise LimitExceeded(f"nested deeper than the {max_depth}-level limit")
    allow_depth(max_depth)
    return json.loads(text, **options)


def read_request(stream=None, max_depth=REQUEST_MAX_DEPTH):
    """gradebox's request on stdin, parsed. gradebox enforces the channel's
    limits before it writes the request, so a deeper one is its own bug:
    LimitExceeded is left to end the script (grader-error)."""
    text = (stream or sys.stdin).read()
    return bounded_loads(text, len(text), max_depth)


def depth_over(value, limit):
    """Whether `value` nests deeper than `limit` (iterative)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def cut(value, max_depth=SHOWN_DEPTH):
    """A copy of `value` with every container deeper than max_depth replaced
    by a note: what an extra may carry of an answer's value."""
    if not isinstance(value, (dict, list)):
        return value
    if max_depth <= 0:
        return f"(nested deeper than the {SHOWN_DEPTH}-level display limit)"
    if isinstance(value, dict):
        return {key: cut(item, max_depth - 1) for key, item in value.items()}
    return [cut(item, max_depth - 1) for item in value]


def shown(value, max_chars=SHOWN_CHARS):
    """An answer's value as JSON text for a detail, at most max_chars long."""
    return json.dumps(cut(value), ensure_ascii=False, default=str)[:max_chars]
