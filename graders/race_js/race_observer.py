"""The observer's record of one scenario (trusted; never beside answer code).

The runner announces each call the answer makes as one bounded JSON message;
this class checks its shape, stamps it with the observer's own virtual time,
and decides what happens next: which timer or fetch response is due (the
queue is the observer's VirtualClock), when the answer's data is handed
over, when the scenario ends and why. A forged message is therefore no
better than the call it claims: the data arrives only at its delivery step,
body reads count only for delivered responses (and whether a body parses is
decided here), and time, order and completion are decided here. What the
runner alone knows, and could hide if the answer took it over: that a
rejection went unhandled (README.md, Trust boundary).
"""

from race_clock import VirtualClock
from gb_wire import dumps, loads

LIMITS = {"max_events": 200, "max_trace_chars": 40000, "max_steps": 1000, "virtual_cap_ms": 60000,
          "max_messages": 100000}
CONSOLE_METHODS = {"log", "info", "debug", "warn", "error", "trace", "dir", "table", "assert", "time", "count"}
TIMER_KINDS = {"timeout", "interval", "immediate"}
STOP_REASONS = {"timeout", "tampered"}


def text(value, limit=2000):
    return value[:limit] if isinstance(value, str) else ""


def number(value):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
    return value if ok and abs(value) != float("inf") else 0


def entry_id(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class ProtocolError(Exception):
    pass


class ScenarioObserver:
    def __init__(self, spec, module):
        self.spec = spec if isinstance(spec, dict) else {}
        self.module = module
        self.clock = VirtualClock()
        self.events = []
        self.trace_chars = 0
        self.dropped = 0
        self.messages = 0
        self.fetches = 0
        self.fetch_index_by_id = {}
        self.delivered = {}  # fetch index -> the response handed to the runner
        self.steps = 0
        self.exit_code = 0
        self.finishing = False
        self.probed = False
        self.dead = False
        self.end = None
        self.over = False  # 'end' was sent: the runner is between scenarios

    # ---- recording ------------------------------------------------------------
    def record(self, event):
        if self.dead:
            return
        event["t"] = self.clock.now
        size = len(dumps(event))
        if len(self.events) >= LIMITS["max_events"] or self.trace_chars + size > LIMITS["max_trace_chars"]:
            self.dropped += 1
            return
        self.trace_chars += size
        self.events.append(event)

    def die(self, reason, exit_code, detail=None):
        if self.dead:
            return
        self.dead = True
        self.end = {"reason": reason, "t": self.clock.now, "exit_code": exit_code}
        if detail:
            self.end["detail"] = text(detail, 300)

    def trace(self):
        return {"scenario": text(self.spec.get("scenario"), 60), "module": self.module, "events": self.events,
                "end": self.end, "dropped": self.dropped, "steps": self.steps, "flooded": self.clock.flooded}

    # ---- the scenario's response, as the test input says --------------------------
    def response(self):
        r = self.spec.get("response") if isinstance(self.spec.get("response"), dict) else {}
        return {"mode": "network" if r.get("fail") == "network" else "ok", "status": number(r.get("status")) or 200,
                "status_text": text(r.get("status_text") or ""), "body": text(r.get("body"), 10 ** 6),
                "content_type": text(r.get("content_type") or "application/json"),
                "delay_ms": number(r.get("delay_ms")), "same_tick": r.get("timing") == "resolved"}

    def deliver(self, index):
        """Hands fetch `index`'s response over now, and records its arrival."""
        r = self.response()
        self.delivered[index] = r
        network = r["mode"] == "network"
        self.record({"kind": "response", "index": index, "outcome": "network-error" if network else "ok",
                     "status": 0 if network else r["status"]})
        return {key: r[key] for key in ("mode", "status", "status_text", "body", "content_type")}

    # ---- messages from the runner -----------------------------------------------------
    def handle(self, message):
        """One parsed message -> the command to send back, or None. A message
        of the wrong shape ends the scenario as a protocol violation."""
        if self.over:
            return None
        try:
            self.messages += 1
            if self.messages > LIMITS["max_messages"]:
                raise ProtocolError(f"more than {LIMITS['max_messages']} messages")
            if not isinstance(message, dict) or not isinstance(message.get("op"), str):
                raise ProtocolError("a message that is not {op: ...}")
            return self.dispatch(message)
        except ProtocolError as error:
            return self.violation(str(error))

    def violation(self, reason):
        self.record({"kind": "protocol", "reason": text(reason, 300)})
        self.die("protocol", None, reason)
        return self.finish_with()

    def finish_with(self):
        self.over = True
        return {"op": "end"}

    def dispatch(self, m):
        op = m["op"]
        handler = getattr(self, "on_" + op.replace("-", "_"), None) if op in _OPS else None
        if handler is None:
            raise ProtocolError(f"unknown message {op[:40]}")
        return handler(m)

    def on_idle(self, m):
        return self.next_command(m.get("tla_pending") is True)

    def on_fetch(self, m):
        if self.dead:
            return {"op": "fetch-reply", "id": 0}
        self.fetches += 1
        index = self.fetches
        self.record({"kind": "fetch", "index": index, "url": text(m.get("url"), 500), "method": text(m.get("method"), 20)})
        if m.get("aborted") is True:
            self.record({"kind": "response", "index": index, "outcome": "aborted", "status": 0})
            return {"op": "fetch-reply", "id": 0}
        r = self.response()
        if r["same_tick"]:
            return {"op": "fetch-reply", "id": 0, "response": self.deliver(index)}
        entry = self.clock.add("fetch", r["delay_ms"])
        self.fetch_index_by_id[entry] = index
        return {"op": "fetch-reply", "id": entry}

    def on_schedule(self, m):
        if m.get("kind") not in TIMER_KINDS:
            raise ProtocolError("schedule of an unknown kind")
        if not self.dead:
            self.clock.add(m["kind"], 0 if m["kind"] == "immediate" else number(m.get("delay")))

    def on_clear(self, m):
        self.clock.clear(entry_id(m.get("id")))

    def on_abort(self, m):
        entry = entry_id(m.get("id"))
        index = self.fetch_index_by_id.get(entry)
        if index and self.clock.clear(entry, allow_fetch=True):
            self.record({"kind": "response", "index": index, "outcome": "aborted", "status": 0})

    def on_ref(self, m):
        self.clock.set_ref(entry_id(m.get("id")), m.get("ref") is True)

    def on_refresh(self, m):
        self.clock.refresh(entry_id(m.get("id")))

    def on_console(self, m):
        if m.get("method") not in CONSOLE_METHODS or not isinstance(m.get("args"), list):
            raise ProtocolError("a console call of the wrong shape")
        self.record({"kind": "console", "method": m["method"], "args": m["args"][:20]})

    def on_output(self, m):
        self.record({"kind": "output", "stream": "stderr" if m.get("stream") == "stderr" else "stdout",
                     "text": text(m.get("text"))})

    def on_body(self, m):
        """A body read counts only for a response this observer delivered."""
        index, how = entry_id(m.get("index")), m.get("how")
        r = self.delivered.get(index)
        if r is None or r["mode"] != "ok" or how not in ("json", "text"):
            return
        ok = True
        if how == "json":
            try:
                loads(r["body"])  # as JSON.parse would: no NaN
            except ValueError:
                ok = False
        self.record({"kind": "body", "index": index, "how": how, "ok": ok})

    def on_uncaught(self, m):
        handled = m.get("handled") is True
        self.record({"kind": "uncaught", "error": m.get("error"), "handled": handled})
        if not handled:
            self.die("crash", 1)

    def on_rejection(self, m):
        listening = m.get("handled_by_listener") is True
        self.record({"kind": "unhandled-rejection", "reason": m.get("reason"), "handled_by_listener": listening})
        if not listening:
            self.die("crash", 1)

    def on_exit(self, m):
        code = number(m.get("code"))
        self.record({"kind": "exit", "code": code})
        self.die("exit", code)

    def on_exit_code(self, m):
        self.exit_code = number(m.get("code"))

    def on_dropped(self, m):
        """Calls the runner counted without sending (past its output cap)."""
        count = number(m.get("count"))
        if not self.dead and count > 0:
            self.dropped += int(count)

    def on_require(self, m):
        self.record({"kind": "require", "name": text(m.get("name"), 200), "allowed": m.get("allowed") is True})

    def on_fault(self, m):
        self.record({"kind": "harness-fault", "message": text(m.get("message"))})

    def on_stop(self, m):
        if m.get("reason") not in STOP_REASONS:
            raise ProtocolError("stop for an unknown reason")
        self.die(m["reason"], None)

    # ---- what runs next --------------------------------------------------------------
    def next_command(self, tla_pending):
        """The runner has run all it can: the observer picks what is next."""
        if self.dead:
            return self.finish_with()
        if self.finishing:
            if tla_pending:
                self.die("tla-unsettled", 13)
            else:
                self.die("idle", self.exit_code)
            return self.finish_with()
        entry = self.clock.peek()
        if entry is None and not self.probed and self.module == "esm":
            self.probed = True  # one more drain: a settling module may still resume
            return {"op": "probe"}
        if entry is None:
            self.finishing = True
            return {"op": "finish"}
        self.probed = False
        if entry.due > LIMITS["virtual_cap_ms"] or self.steps >= LIMITS["max_steps"]:
            self.die("virtual-cap", None)
            return self.finish_with()
        self.clock.take(entry)
        self.steps += 1
        command = {"op": "step", "id": entry.id, "now": self.clock.now}
        if entry.kind == "fetch":
            index = self.fetch_index_by_id.get(entry.id)
            command["index"] = index
            command["response"] = self.deliver(index)
        return command


_OPS = {"idle", "fetch", "schedule", "clear", "abort", "ref", "refresh", "console", "output", "body", "uncaught",
        "rejection", "exit", "exit-code", "require", "fault", "stop", "dropped"}
