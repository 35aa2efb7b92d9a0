"""The virtual clock and timer queue of one scenario (observer side, trusted).

Entries are timers (timeout, interval), immediates and fetch deliveries.
Time only moves when the observer takes the next entry, which it does once
the runner says the answer's microtasks have drained: fake-timers style, so
a 1.5 s response costs no real time and every run orders events the same
way. Ordering follows Node: earliest due time first, ties in creation order;
a timeout's delay is clamped to [1, 2^31-1] ms like Node's (0 -> 1).
"""

import math

TIMEOUT_MAX = 2 ** 31 - 1


def clamp_delay(delay):
    ms = delay if isinstance(delay, (int, float)) and not isinstance(delay, bool) else math.nan
    return math.trunc(ms) if 1 <= ms <= TIMEOUT_MAX else 1


class Entry:
    __slots__ = ("id", "kind", "due", "seq", "delay", "ref")

    def __init__(self, id_, kind, due, seq, delay):
        self.id, self.kind, self.due, self.seq, self.delay, self.ref = id_, kind, due, seq, delay, True


class VirtualClock:
    def __init__(self, max_entries=5000):
        self.now = 0
        self.max_entries = max_entries
        self.entries = {}  # id -> Entry
        self.next_id = 1
        self.seq = 0
        self.flooded = False

    def add(self, kind, delay):
        """Adds an entry; `delay` is already decided for immediates and fetches.
        The id is consumed even when refused: the runner numbers in step."""
        id_ = self.next_id
        self.next_id += 1
        if len(self.entries) >= self.max_entries:
            self.flooded = True
            return id_  # an id that never fires
        ms = clamp_delay(delay) if kind in ("timeout", "interval") else max(0, delay)
        self.entries[id_] = Entry(id_, kind, self.now + ms, self.seq, ms)
        self.seq += 1
        return id_

    def clear(self, id_, allow_fetch=False):
        """Timers and immediates may be cleared by the answer; a fetch
        delivery only by its own abort signal."""
        entry = self.entries.get(id_)
        if entry is None or (entry.kind == "fetch" and not allow_fetch):
            return False
        del self.entries[id_]
        return True

    def set_ref(self, id_, ref):
        entry = self.entries.get(id_)
        if entry is not None and entry.kind != "fetch":
            entry.ref = ref is True

    def refresh(self, id_):
        entry = self.entries.get(id_)
        if entry is not None and entry.kind == "timeout":
            entry.due = self.now + entry.delay
            entry.seq = self.seq
            self.seq += 1

    def peek(self):
        """The next entry to run, or None when nothing keeps the process
        alive (no entries, or only unref'd timers: Node would exit then too)."""
        best = None
        alive = False
        for entry in self.entries.values():
            alive = alive or entry.ref
            if best is None or (entry.due, entry.seq) < (best.due, best.seq):
                best = entry
        return best if alive else None

    def take(self, entry):
        """Advances time to `entry` and removes it (an interval is re-armed)."""
        self.now = max(self.now, entry.due)
        if entry.kind == "interval":
            entry.due = self.now + entry.delay
            entry.seq = self.seq
            self.seq += 1
        else:
            del self.entries[entry.id]
