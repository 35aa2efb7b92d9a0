"""review_go's trusted database server: where the counts are made.

Trust: runs as threads of the trusted prober, outside the sandbox, listening
on a loopback port of the sandbox's network namespace. The answer's process
is untrusted; what crosses is one JSON array per line each way (the driver
the answer links, graders/_go/gopath/.../go-sqlite3, is a thin client of
this protocol). Every connection, statement and result set is counted here,
so nothing the answer does in its own process changes a count: a statement
not sent here did not touch the database.

Requests and replies ("ok" first, or ["err", code, extended, message]):
  ["query", sql, args]  -> ["ok", rows_id, columns, rows, done]
  ["next", rows_id]     -> ["ok", rows, done]
  ["close", rows_id]    -> ["ok"]
  ["exec", sql, args]   -> ["ok", last_insert_id, rows_affected]
  ["hello"] ["ping"] ["begin"] ["commit"] ["rollback"] -> ["ok"]
Values: null, integers, strings, {"f": repr of a float}, {"b": hex of a blob}.
"""
import json
import os
import socket
import sys
import threading

import db_sqlite

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_python"))  # -I drops it
from gb_wire import nesting_depth  # noqa: E402

ADDR = ("127.0.0.1", 39519)
MAX_LINE = 1 << 20        # a request line longer than this ends the connection
MAX_DEPTH = 8             # a request nests 3 levels; a deeper one is refused unparsed
MAX_CONNECTIONS = 256     # at once (a leaking answer holds ~100); more are closed on accept
BUSY_SLOTS = 8            # requests handled at once: bounds this process's memory and CPU
BATCH_ROWS = 128
BATCH_BYTES = 256 << 10

COUNTS = ("conns_opened", "conns_closed", "statements", "rows_opened", "rows_closed",
          "tx_begun", "tx_ended", "injected_errors", "refused")


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = dict.fromkeys(COUNTS, 0)
        self.busy = set()  # connections holding a result set or a transaction

    def add(self, key, n=1):
        with self.lock:
            self.values[key] += n

    def set_busy(self, conn_id, busy):
        with self.lock:
            (self.busy.add if busy else self.busy.discard)(conn_id)

    def snapshot(self):
        with self.lock:
            out = dict(self.values)
            out["conns_busy"] = len(self.busy)
        return out


class Server:
    """Accepts the answer's connections; `inject` makes every call fail."""

    def __init__(self, seed_sql, addr=ADDR):
        self.db = db_sqlite.Database(seed_sql)
        self.counts = Counters()
        self.injected = None
        self.live = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.slots = threading.BoundedSemaphore(BUSY_SLOTS)
        self.listener = socket.create_server(addr, backlog=128)
        self.addr = self.listener.getsockname()
        threading.Thread(target=self._accept, daemon=True).start()

    def inject(self, message):
        self.injected = message or None

    def snapshot(self):
        return self.counts.snapshot()

    def _accept(self):
        conn_id = 0
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            conn_id += 1
            self.counts.add("conns_opened")
            if not self.live.acquire(blocking=False):
                self.counts.add("refused")
                self.counts.add("conns_closed")
                sock.close()
                continue
            threading.Thread(target=self._serve, args=(sock, conn_id), daemon=True).start()

    def _serve(self, sock, conn_id):
        session = None
        try:
            session = Session(self, conn_id)
            with sock.makefile("rb") as reader:
                while True:
                    line = reader.readline(MAX_LINE + 1)
                    if not line or len(line) > MAX_LINE or not line.endswith(b"\n"):
                        return
                    with self.slots:
                        reply = json.dumps(session.handle(line)).encode() + b"\n"
                    sock.sendall(reply)
        except (OSError, db_sqlite.sqlite3.Error):
            pass
        finally:
            if session is not None:
                session.close()
            sock.close()
            self.counts.add("conns_closed")
            self.live.release()


class Session:
    """One client connection: its own SQLite connection and result sets."""

    def __init__(self, server, conn_id):
        self.server, self.conn_id, self.counts = server, conn_id, server.counts
        self.conn, self.budget = server.db.connect()
        self.cursors = {}
        self.next_id = 0

    def handle(self, line):
        try:
            if nesting_depth(line.decode("utf-8"), MAX_DEPTH) > MAX_DEPTH:
                return ["err", 21, 21, f"gbx: malformed request: nested deeper than the {MAX_DEPTH}-level limit"]
            request = json.loads(line)
            op = request[0]
            method = OPS[op]
        except (ValueError, TypeError, IndexError, KeyError):
            return ["err", 21, 21, "gbx: malformed request"]
        if op in ("query", "exec"):
            self.counts.add("statements")
        if self.server.injected and op not in ("close", "rollback"):
            self.counts.add("injected_errors")
            return ["err", 11, 11, self.server.injected]
        self.budget.start()
        try:
            return method(self, *request[1:])
        except db_sqlite.sqlite3.Error as e:
            return ["err", *db_sqlite.error_codes(e)]
        except (TypeError, ValueError, OverflowError, KeyError, IndexError, AttributeError) as e:
            return ["err", 21, 21, f"gbx: bad request: {type(e).__name__}"]
        finally:
            self.budget.deadline = None
            self._mark()

    def _mark(self):
        self.counts.set_busy(self.conn_id, bool(self.cursors) or self.conn.in_transaction)

    def leading(self, sql, args):
        """Runs all but the last statement of the text (go-sqlite3 does, in
        one call: one statement to the counts) and returns the last."""
        parts = db_sqlite.split_statements(str(sql))
        if len(parts) > 1 and args:
            raise ValueError("arguments with several statements in one call")
        for part in parts[:-1]:
            self.conn.execute(part).close()
        return parts[-1]

    def query(self, sql, args):
        cursor = self.conn.execute(self.leading(sql, args), decode_args(args))
        self.next_id += 1
        self.cursors[self.next_id] = cursor
        self.counts.add("rows_opened")
        columns = [d[0] for d in cursor.description or ()]
        rows, done = fetch(cursor)
        return ["ok", self.next_id, columns, rows, done]

    def next(self, rows_id):
        rows, done = fetch(self.cursors[int(rows_id)])
        return ["ok", rows, done]

    def close_rows(self, rows_id):
        cursor = self.cursors.pop(int(rows_id), None)
        if cursor is not None:
            cursor.close()
            self.counts.add("rows_closed")
        return ["ok"]

    def execute(self, sql, args):
        cursor = self.conn.execute(self.leading(sql, args), decode_args(args))
        try:
            return ["ok", cursor.lastrowid or 0, max(cursor.rowcount, 0)]
        finally:
            cursor.close()

    def close(self):
        for rows_id in list(self.cursors):
            self.close_rows(rows_id)  # they end with the connection
        try:
            self.conn.close()
        except db_sqlite.sqlite3.Error:
            pass
        self.counts.set_busy(self.conn_id, False)


def transaction(sql, counter):
    def run(session):
        before = session.conn.in_transaction
        session.conn.execute(sql)
        if before != session.conn.in_transaction:
            session.counts.add(counter)
        return ["ok"]
    return run


OPS = {
    "query": Session.query, "next": Session.next, "close": Session.close_rows,
    "exec": Session.execute, "hello": lambda s: ["ok"], "ping": lambda s: ["ok"],
    "begin": transaction("BEGIN", "tx_begun"), "commit": transaction("COMMIT", "tx_ended"),
    "rollback": transaction("ROLLBACK", "tx_ended"),
}


def fetch(cursor):
    """Up to one batch of rows, and whether the result set is exhausted."""
    rows, size = [], 0
    while len(rows) < BATCH_ROWS and size < BATCH_BYTES:
        row = cursor.fetchone()
        if row is None:
            return rows, True
        encoded = [encode(v) for v in row]
        size += sum(len(v) if isinstance(v, str) else 16 for v in encoded)
        rows.append(encoded)
    return rows, False


def encode(value):
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, bytes):
        return {"b": value.hex()}
    return value


def decode(value):
    if value is None or isinstance(value, (int, str)) and not isinstance(value, bool):
        return value
    if isinstance(value, dict) and isinstance(value.get("f"), str):
        return float(value["f"])
    if isinstance(value, dict) and isinstance(value.get("b"), str):
        return bytes.fromhex(value["b"])
    raise ValueError("unsupported value")


def decode_args(args):
    """A list of [name, value]: named when every one has a name."""
    if not isinstance(args, list):
        raise ValueError("args")
    pairs = [(str(a[0]), decode(a[1])) for a in args]
    if pairs and all(name for name, _ in pairs):
        return {name.lstrip(":@$"): value for name, value in pairs}
    return [value for _, value in pairs]
