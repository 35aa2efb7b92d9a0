#!/usr/bin/python3 -I
"""Dev tool: writes seed.sql and tests.json from one dataset.

The expected users of every request are computed here with the original
program's semantics (name LIKE '%<name>%', SQLite's ASCII case folding),
run on Python's sqlite3 against the very SQL the prober's database server
(db_server.py, the same engine) seeds. Run it again after changing the
dataset; both outputs are committed.
"""
import json
import sqlite3
from pathlib import Path

HERE = Path(__file__).resolve().parent

NAMED = [  # (name, email, order totals)
    ("Alice Smith", "alice@example.com", [19.99, 5.25]),
    ("Bob Jones", "bob@example.com", [120.0]),
    ("Sean O'Brien", "sean.obrien@example.com", [42.5, 7.75]),
    ("Charlie Brown", "charlie@example.com", [3.5]),
    ("Dana White", "dana@example.com", []),
    ("Eve Adams", "eve@example.com", []),
    ("Frank Miller", "frank@example.com", [10.0, 20.0, 30.25]),
    ("Grace Hopper", "grace@example.com", []),
]
# The 30 sequential requests pool-reuse and no-leaks are judged on: benign
# names only, each matching users who have orders (so neither a quote nor an
# INNER JOIN fails the pool tests: they have categories of their own).
CYCLE = ["Alice Smith", "brown", "Member 0", "Bob", "Member 3", "Jones", "Frank", "Sean"]
MEMBERS = 40  # "Member 01".."Member 40", each with orders: the N+1 request returns all 40


def dataset():
    users = [(n, e, t) for n, e, t in NAMED]
    for i in range(1, MEMBERS + 1):
        totals = [round(i * 1.5 + k * 0.25, 2) for k in range(1 + i % 3)]
        users.append((f"Member {i:02d}", f"member{i:02d}@example.com", totals))
    return users


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def seed_sql(users):
    lines = [
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), total REAL);",
        "BEGIN;",
    ]
    order_id = 0
    for uid, (name, email, totals) in enumerate(users, start=1):
        lines.append(f"INSERT INTO users (id, name, email) VALUES ({uid}, {quote(name)}, {quote(email)});")
        for total in totals:
            order_id += 1
            lines.append(f"INSERT INTO orders (id, user_id, total) VALUES ({order_id}, {uid}, {total!r});")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def original_result(db, name):
    """What the original handler returns for a benign name, orders as []."""
    users = []
    for uid, uname, email in db.execute(
            "SELECT id, name, email FROM users WHERE name LIKE '%' || ? || '%' ORDER BY id", (name,)):
        orders = [{"id": oid, "total": total} for oid, total in
                  db.execute("SELECT id, total FROM orders WHERE user_id = ? ORDER BY id", (uid,))]
        users.append({"id": uid, "name": uname, "email": email, "orders": orders})
    return users


def test(tid, category, inp, expect):
    return {"id": tid, "category": category, "input": inp, "expect": expect}


def tests(db):
    users = lambda name: original_result(db, name)
    concurrent = [f"Member {i:02d}" for i in range(1, 21)]
    sequence = [CYCLE[i % len(CYCLE)] for i in range(30)]
    by_name = {name: users(name) for name in CYCLE}
    return [
        test("finds-sql-injection", "finds-sql-injection", {"prose": True}, {"finding": "sql-injection"}),
        test("finds-n-plus-1", "finds-n-plus-1", {"prose": True}, {"finding": "n-plus-1"}),
        test("finds-connection-pool", "finds-connection-pool", {"prose": True}, {"finding": "connection-pool"}),
        test("same-results-full", "same-results", {"name": "Alice Smith"}, {"users": users("Alice Smith")}),
        test("same-results-partial", "same-results", {"name": "brown"}, {"users": users("brown")}),
        test("same-results-empty", "same-results", {"name": ""}, {"users": users("")}),
        test("parameterized-or-true", "parameterized", {"name": "' OR '1'='1"}, {"users": []}),
        test("parameterized-obrien", "parameterized", {"name": "O'Brien"}, {"users": users("O'Brien")}),
        test("no-n-plus-1", "no-n-plus-1", {"name": "Member"},
             {"users": users("Member"), "max_statements": 3}),
        test("pool-reuse", "pool-reuse", {"names": sequence}, {"users": by_name, "max_connections": 4}),
        test("users-without-orders", "users-without-orders", {"name": "Dana"}, {"users": users("Dana")}),
        test("no-leaks", "no-leaks", {"names": sequence}, {"users": by_name, "max_open_conns": 4}),
        test("db-error-500", "db-error-500", {"name": "Alice"}, {"status": 500, "then": users("Alice")}),
        test("no-error-leak", "no-error-leak", {"name": "Alice"}, {"status": 500}),
        test("empty-array", "empty-array", {"name": "zzz-no-such-user"}, {"body": []}),
        test("content-type-json", "content-type-json", {"name": "Alice Smith"},
             {"content_type": "application/json"}),
        test("concurrent-requests", "concurrent-requests", {"names": concurrent},
             {"users": {name: users(name) for name in concurrent}}),
    ]


def main():
    script = seed_sql(dataset())
    db = sqlite3.connect(":memory:")
    db.executescript(script)
    (HERE / "seed.sql").write_text(script)
    (HERE / "tests.json").write_text(json.dumps({"tests": tests(db)}, indent=1) + "\n")


if __name__ == "__main__":
    main()
