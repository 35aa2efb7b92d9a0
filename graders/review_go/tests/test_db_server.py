"""Unit tests of review_go's trusted database server (db_server.py): what it
counts, how it fences the answer's SQL, and how it treats malformed input.

    python3 -I graders/review_go/tests/test_db_server.py
"""
import json
import os
import socket
import sys
import tempfile
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)

import db_server  # noqa: E402

SEED = open(os.path.join(PACK, "seed.sql")).read()


class Client:
    """The protocol as the Go driver speaks it."""

    def __init__(self, addr):
        self.sock = socket.create_connection(addr, timeout=5)
        self.reader = self.sock.makefile("rb")

    def call(self, *request):
        self.sock.sendall(json.dumps(list(request)).encode() + b"\n")
        return json.loads(self.reader.readline())

    def close(self):
        self.reader.close()
        self.sock.close()


class DbServerTest(unittest.TestCase):
    def setUp(self):
        self.server = db_server.Server(SEED, ("127.0.0.1", 0))
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.server.listener.close()

    def client(self):
        c = Client(self.server.addr)
        self.clients.append(c)
        self.assertEqual(c.call("hello"), ["ok"])
        return c

    def settled(self, key, value):
        """The server counts a close when its thread sees EOF: wait for it."""
        for _ in range(200):
            if self.server.snapshot()[key] == value:
                return
            import time
            time.sleep(0.01)
        self.assertEqual(self.server.snapshot()[key], value)

    def test_query_counts_statement_and_result_set_until_closed(self):
        c = self.client()
        reply = c.call("query", "SELECT id, name FROM users WHERE name LIKE ?", [["", "%Member%"]])
        self.assertEqual(reply[0], "ok")
        rows_id, columns, rows, done = reply[1:]
        self.assertEqual(columns, ["id", "name"])
        self.assertEqual(len(rows), 40)
        self.assertTrue(done)
        counts = self.server.snapshot()
        self.assertEqual((counts["statements"], counts["rows_opened"], counts["rows_closed"]), (1, 1, 0))
        self.assertEqual(counts["conns_busy"], 1)  # an open result set holds the connection
        self.assertEqual(c.call("close", rows_id), ["ok"])
        counts = self.server.snapshot()
        self.assertEqual((counts["rows_closed"], counts["conns_busy"]), (1, 0))

    def test_large_result_comes_in_batches(self):
        c = self.client()
        sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300) SELECT x FROM n"
        _, rows_id, _, rows, done = c.call("query", sql, [])
        self.assertEqual((len(rows), done), (db_server.BATCH_ROWS, False))
        total = len(rows)
        while not done:
            _, rows, done = c.call("next", rows_id)
            total += len(rows)
        self.assertEqual(total, 300)

    def test_closing_the_connection_ends_its_result_sets(self):
        c = self.client()
        c.call("query", "SELECT id FROM users", [])
        self.clients.remove(c)
        c.close()
        self.settled("conns_closed", 1)
        counts = self.server.snapshot()
        self.assertEqual((counts["conns_opened"], counts["rows_opened"], counts["rows_closed"]), (1, 1, 1))
        self.assertEqual(counts["conns_busy"], 0)

    def test_values_round_trip(self):
        c = self.client()
        args = [["", 7], ["", {"f": "0.1"}], ["", "O'Brien"], ["", {"b": "00ff"}], ["", None]]
        _, rows_id, _, rows, _ = c.call("query", "SELECT ?, ?, ?, ?, ?", args)
        self.assertEqual(rows, [[7, {"f": "0.1"}, "O'Brien", {"b": "00ff"}, None]])
        _, _, _, rows, _ = c.call("query", "SELECT total FROM orders WHERE id = :id", [[":id", 3]])
        self.assertEqual(rows, [[{"f": "120.0"}]])

    def test_exec_and_transactions_are_counted(self):
        c = self.client()
        self.assertEqual(c.call("begin"), ["ok"])
        self.assertEqual(self.server.snapshot()["conns_busy"], 1)  # an open transaction holds it
        reply = c.call("exec", "INSERT INTO users (name, email) VALUES (?, ?)", [["", "Zed"], ["", "z@x"]])
        self.assertEqual(reply[0], "ok")
        self.assertEqual(reply[2], 1)
        self.assertEqual(c.call("rollback"), ["ok"])
        counts = self.server.snapshot()
        self.assertEqual((counts["tx_begun"], counts["tx_ended"], counts["statements"]), (1, 1, 1))
        self.assertEqual(counts["conns_busy"], 0)

    def test_several_statements_in_one_call_run_in_order(self):
        c = self.client()
        script = "CREATE INDEX a ON orders(user_id); CREATE INDEX b ON users(name); -- indexes\n"
        self.assertEqual(c.call("exec", script, [])[0], "ok")
        reply = c.call("query", "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('a', 'b')", [])
        self.assertEqual(sorted(r[0] for r in reply[3]), ["a", "b"])
        self.assertEqual(c.call("query", "SELECT ';'; SELECT 2", [])[3], [[2]])
        self.assertEqual(self.server.snapshot()["statements"], 3)

    def test_injected_error_fails_every_call_until_healed(self):
        c = self.client()
        self.server.inject("database disk image is malformed (gbx1)")
        reply = c.call("query", "SELECT 1", [])
        self.assertEqual(reply, ["err", 11, 11, "database disk image is malformed (gbx1)"])
        self.assertEqual(c.call("hello")[0], "err")
        self.server.inject(None)
        self.assertEqual(c.call("query", "SELECT 1", [])[0], "ok")
        self.assertEqual(self.server.snapshot()["injected_errors"], 2)

    def test_sql_errors_carry_sqlite_codes(self):
        c = self.client()
        self.assertEqual(c.call("query", "SELEC 1", [])[:2], ["err", 1])
        reply = c.call("exec", "INSERT INTO users (id, name) VALUES (1, 'dup')", [])
        self.assertEqual(reply[1:3], [19, 1555])  # SQLITE_CONSTRAINT_PRIMARYKEY

    def test_answer_sql_cannot_reach_files_or_limits(self):
        c = self.client()
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, "out.db")
            for sql in (f"ATTACH '{target}' AS x", f"VACUUM INTO '{target}'", "PRAGMA max_page_count = 1000000",
                        "PRAGMA hard_heap_limit = 0", "SELECT load_extension('x')", "PRAGMA writable_schema = 1",
                        "SELECT fts3_tokenizer('simple')", "CREATE VIRTUAL TABLE t USING fts4(x)"):
                self.assertEqual(c.call("exec", sql, [])[0], "err", sql)
            self.assertEqual(os.listdir(tmp), [])
        wide = "SELECT " + ", ".join(["randomblob(1000)"] * 100)
        self.assertEqual(c.call("query", wide, [])[0], "err")  # too many columns for one row
        self.assertEqual(c.call("query", "SELECT randomblob(1000000)", [])[0], "err")  # too big
        self.assertEqual(c.call("exec", "PRAGMA foreign_keys = ON", [])[0], "ok")
        self.assertEqual(c.call("exec", "CREATE INDEX i ON orders(user_id)", [])[0], "ok")

    def test_runaway_query_is_interrupted(self):
        c = self.client()
        db_server.db_sqlite.OP_SECONDS, saved = 0.2, db_server.db_sqlite.OP_SECONDS
        try:
            sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
            self.assertEqual(c.call("query", sql, [])[:2], ["err", 9])
        finally:
            db_server.db_sqlite.OP_SECONDS = saved

    def test_malformed_requests_are_errors_not_crashes(self):
        c = self.client()
        for request in ([], ["nope"], ["query"], ["query", "SELECT ?", [["", [1, 2]]]], ["next", 99]):
            c.sock.sendall(json.dumps(request).encode() + b"\n")
            self.assertEqual(json.loads(c.reader.readline())[0], "err", request)
        c.sock.sendall(b"{not json\n")
        self.assertEqual(json.loads(c.reader.readline())[0], "err")
        self.assertEqual(c.call("query", "SELECT 1", [])[0], "ok")

    def test_requests_nested_past_the_limit_are_refused_unparsed(self):
        c = self.client()
        depth = db_server.MAX_DEPTH
        def args(levels):  # the arguments, nested so that the request nests `levels` deep
            value = 1
            for _ in range(levels - 1):
                value = [value]
            return value
        self.assertIn(f"{depth}-level limit", c.call("query", "SELECT ?", args(depth + 1))[3])
        self.assertNotIn("limit", c.call("query", "SELECT ?", args(depth))[3])  # parsed: a bad argument
        for line in (b"[" * 5000, b"[" * (5 * 10**5) + b"]" * (5 * 10**5)):  # the second: 1 MB, under MAX_LINE
            c.sock.sendall(line + b"\n")
            self.assertIn(f"{depth}-level limit", json.loads(c.reader.readline())[3])
        self.assertEqual(c.call("query", "SELECT 1", [])[0], "ok")

    def test_over_long_line_ends_the_connection(self):
        c = self.client()
        c.sock.sendall(b"[" + b" " * (db_server.MAX_LINE + 10) + b"]\n")
        self.assertEqual(c.reader.readline(), b"")
        self.settled("conns_closed", 1)


if __name__ == "__main__":
    unittest.main()
