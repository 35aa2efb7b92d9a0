"""The phrasing set of the prose judge (prose.py): for each finding, review
fragments written the way reviews are written (bullets, headings, code spans,
"instead of", "per request", "inside the handler") that name the issue AND
recommend the fix (must be found), and fragments that must not be found: the
issue named only to be dismissed or denied, the fix without the issue, the
issue with a wrong fix (escaping, a prepared statement in the loop), a pool
mentioned only to say it is fine, the words only inside a code block.

    cd graders/review_go/tests && python3 -B -m unittest test_prose_phrasings
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import prose  # noqa: E402

CODE = "\n\n```go\nrows, err := db.Query(\"SELECT id FROM users WHERE name LIKE ?\", \"%\"+name+\"%\")\n```\n"

POSITIVE = {
    "connection-pool": [
        "- A fresh pool gets created for each incoming request. Open the database once in `main` and reuse it.",
        "`sql.Open` sits inside the handler; it should run once at start-up.",
        "**Opening the database per request.** `sql.Open` is called on every request, which throws away "
        "Go's built-in connection pooling. Create a single `*sql.DB` at startup and pass it to the handler.",
        "### 3. Connection handling\n\n`usersHandler` calls `sql.Open` each time it runs. Move it to `main()` "
        "and share the handle.",
        "- `sql.Open(...)` is executed per request instead of once at application start.",
        "* Every request opens a new database handle and never closes it. Use a package-level `db` variable "
        "initialised in `main`.",
        "The handler re-opens `shop.db` on each call; a `*sql.DB` is meant to be long-lived and shared.",
        "**Database opened inside the handler** — hoist it out so the pool is reused across requests.",
        "**No connection reuse**: the DB is opened per-request. Initialize it once and inject it into the "
        "handler through a struct field.",
        "Instead of opening the database in every request, open it once and keep the `*sql.DB` for the "
        "life of the process.",
        "- Performance: `sql.Open` on every call to `/users` creates a brand-new pool each time; a global "
        "`*sql.DB` fixes that.",
        "You're creating a new `sql.DB` per request, which defeats connection pooling. Create it once.",
        "2. The `db` handle is created per HTTP request and never closed, so connections pile up. Make it a "
        "field of a `Server` struct created at startup.",
        "Opening a DB connection for each request is expensive. Reuse a single connection pool.",
        "`sql.Open` should not be called in the request path. Call it once during initialization and reuse "
        "the returned `*sql.DB`.",
        "Move `sql.Open` out of the handler: open the DB once in `main` and pass it in.",
        "Don't open the database in the handler. A `*sql.DB` is a pool that should be opened once and shared.",
        "## Performance\n\n1. **Connection churn** – each incoming request establishes its own database "
        "connection pool. Keep one `*sql.DB` for the whole application.",
        "- **`sql.Open` in the hot path**: it runs for every request. Open it once at program start.",
        "The database is opened on each handler invocation, instead of once. Share a single instance.",
        "`sql.Open` is called on every request — the handle is cheap, the pool it creates is not, so open it "
        "once.",
    ],
    "n-plus-1": [
        "- **N+1 queries**: one query for the users, then one for each user's orders. Fetch everything with a "
        "`LEFT JOIN`.",
        "The orders are fetched inside the `rows.Next()` loop, so 100 users means 101 queries. Use a single "
        "query with a join.",
        "For every user returned, the code runs another `SELECT` against `orders`. Batch this with "
        "`WHERE user_id IN (...)`.",
        "Querying orders per user is slow; instead, load all orders in one query and group them in Go.",
        "`db.Query` is called inside the loop over users. Replace it with a JOIN.",
        "Each iteration of the user loop issues its own orders query. Use one query for both tables.",
        "### Performance: a round trip per user\n\nLoad the orders with a single `IN` query.",
        "The nested query for orders runs once per row. A `LEFT JOIN` does it in one pass.",
        "* Orders are loaded with a separate query for each user instead of a JOIN.",
        "The handler hits the database once per user to get their orders; use a `LEFT JOIN` instead.",
        "2. **Query inside a loop** (`orows`): the number of queries grows with the number of users. "
        "Use a JOIN.",
        "Loading orders user by user causes many database calls; join the two tables.",
        "The orders lookup is executed for every row of the outer result set. Rewrite it as one query with a "
        "LEFT JOIN.",
        "**1 + N queries.** The users query is followed by an orders query per user; batch them.",
        "Instead of querying orders per user, fetch them all at once with `user_id IN (?, ?, ...)`.",
        "Avoid the query-in-a-loop pattern: a `JOIN` returns users and orders together.",
        "- An extra round-trip to the database for every user: switch to a single `LEFT JOIN` query.",
        "There is an N+1 problem with the orders lookup; eager-load the orders in one query.",
        "In the revised handler a single `LEFT JOIN` replaces the per-user order lookups.",
    ],
    "sql-injection": [
        "- **SQL injection**: `name` is concatenated into the query. Use a placeholder: `WHERE name LIKE ?`.",
        "The `LIKE` clause is built from user input by string concatenation; pass the pattern as an argument "
        "instead: `db.Query(\"... LIKE ?\", \"%\"+name+\"%\")`.",
        "User input goes straight into the SQL string, so `name=' OR '1'='1` returns every row. Use query "
        "parameters.",
        "String concatenation in `db.Query` opens the door to SQL injection; use parameterized queries.",
        "### Security\n\nThe query is vulnerable to injection. Use prepared statements.",
        "Building SQL with `+` from `r.URL.Query()` is injectable; bind the value instead of concatenating it.",
        "SQLi in the name filter: parameterize it.",
        "Never concatenate user input into SQL. Use `LIKE ?` and put the `%` into the argument.",
        "**Security:** an attacker controls `name` and can inject arbitrary SQL. Switch to placeholders.",
        "The query string is built with `+`, which lets an attacker inject SQL and rewrite the WHERE clause. "
        "Bind the value with `?`.",
        "* Injection risk: the search term is spliced into the SQL text. Hand it to the driver as a bound "
        "parameter.",
        "1. **SQL Injection (critical)** – `name` goes into the statement unescaped. Fix: "
        "`db.Query(\"SELECT ... WHERE name LIKE ?\", \"%\" + name + \"%\")`.",
        "Untrusted input is interpolated into the SQL statement, a textbook SQL injection. Use `$1`-style "
        "or `?` parameters.",
        "The handler is open to SQL injection; pass `name` as a query argument instead of formatting it "
        "into the string.",
        "## Security issues\n\n- SQL injection via the `name` query parameter. Use a parameterized query.",
        "Concatenating the request parameter into the SQL lets anyone inject SQL; use prepared statements "
        "with bind variables.",
    ],
}

NEGATIVE = {
    "connection-pool": [
        "`sql.DB` is already a connection pool, so that part is fine.",
        "Opening the database per request is fine here because `sql.Open` is cheap and lazy.",
        "Although `sql.Open` appears inside the handler, `database/sql` pools connections, so this is not a "
        "real problem.",
        "The connection pool is configured well; no change needed there.",
        "- Connection pooling: Go's `database/sql` already handles pooling for you.",
        "It's fine to call `sql.Open` in the handler for a small service like this.",
        "Consider tuning `SetMaxOpenConns` and `SetMaxIdleConns` on the pool.",
        "The database handle is never closed. Add `defer db.Close()`.",
        "Reuse the `User` struct for the orders query results.",
        "I left the database setup as it is." + "\n\n```go\nvar db *sql.DB // opened once in main, not per request\n```\n",
        "Creating a new pool per request is not an issue for SQLite.",
        "There's no need to move `sql.Open` out of the handler.",
        "Opening the database on each request doesn't matter for a file-backed SQLite database.",
        "The code opens the database; that's all right since it is shared once in main.",
        "Keep the single shared `*sql.DB` you already have.",
        "In my version `sql.Open` is called once in `main`, and each request reuses the pool.",
        "A new connection is taken from the pool for each request, which is how `database/sql` works.",
    ],
    "n-plus-1": [
        "There is no N+1 problem here; each query is cheap.",
        "Consider using a JOIN for readability.",
        "The orders query is run many times with a different ID; preparing it once avoids re-parsing the SQL.",
        "Add an index on `orders.user_id` to speed up lookups.",
        "The loop over the rows is fine.",
        "N+1 is not a concern for a table this small.",
        "Check the `Scan` error for each row.",
        "Close `orows` after each user's orders have been read.",
        "The code runs one query per user.",
        "Every user has orders, which are returned as a nested array.",
        "Use `LEFT JOIN` semantics when you design the schema.",
        "The per-user orders query is acceptable for this workload.",
        "Batch size is not relevant here." + "\n\n```go\n// N+1: one query per user, replaced by a JOIN\n```\n",
        "The inner query for each user is fine as long as there is an index; no need for a join.",
        "Wrap the orders query in a prepared statement and execute it for every user.",
        "Scan each row into a `User` and append it to the slice.",
    ],
    "sql-injection": [
        "The query is already safe from SQL injection.",
        "User input reaches the SQL query unsanitized, which makes it vulnerable to SQL injection. I added a "
        "sanitize helper that strips quotes and semicolons.",
        "There is no injection risk, since `name` is only used in a `LIKE`.",
        "Escape the single quotes in `name` to prevent SQL injection.",
        "Validate `name` against a regex to avoid injection.",
        "Use dependency injection to pass the database to the handler; parameterize the handler by its "
        "store.",
        "The `%d` in the orders query is fine since `u.ID` is an int.",
        "Use parameterized queries everywhere as a general habit.",
        "SQL injection is not possible here because SQLite escapes the input.",
        "Filter out dangerous characters such as `'` and `;` from the name to stop injection attacks.",
        "Injection is not a concern for an internal tool.",
        "Prepared statements are nice but not required." + "\n\n```go\n// SQL injection: fixed with a placeholder\n```\n",
        "The `LIKE` query could be slow on large tables; add an index.",
        "The name is URL-decoded by `r.URL.Query()`.",
        "Bind the server to localhost and validate `name` to avoid injection.",
        "An attacker can inject SQL through `name`, which is passed as a query parameter; strip the quotes from it.",
        "The endpoint is called with query parameters like `?name=bob`; escape them to avoid injection.",
        "Make sure the input is escaped with `strings.ReplaceAll` before it reaches the injection-prone query.",
    ],
}

# Whole reviews: one finding denied or only praised among the others found.
REVIEWS = [
    ("pool-only-praised",
     "## Review\n\n1. **SQL injection**: `name` is concatenated into the query; use a `?` placeholder.\n"
     "2. **N+1**: orders are queried once per user; use a `LEFT JOIN`.\n"
     "3. **Connection pool**: the `*sql.DB` pool is fine; `database/sql` reuses connections for you.\n",
     {"sql-injection": True, "n-plus-1": True, "connection-pool": False}),
    ("all-three-bullets",
     "Problems:\n\n- user input is concatenated into SQL (injection) -> use parameterized queries\n"
     "- one orders query per user inside the loop -> one JOIN\n"
     "- `sql.Open` inside the handler -> open once in `main`, share the `*sql.DB`\n" + CODE,
     {"sql-injection": True, "n-plus-1": True, "connection-pool": True}),
    ("only-in-code",
     "Here is the fixed code." + CODE.replace("rows, err", "// SQL injection, N+1 and sql.Open per request fixed\n"
                                               "rows, err"),
     {"sql-injection": False, "n-plus-1": False, "connection-pool": False}),
]


class Phrasings(unittest.TestCase):
    def test_the_set_is_large_enough(self):
        for finding in prose.FINDINGS:
            self.assertGreaterEqual(len(POSITIVE[finding]), 15, finding)
            self.assertGreaterEqual(len(NEGATIVE[finding]), 15, finding)

    def test_positives_are_found(self):
        for finding, texts in POSITIVE.items():
            for text in texts:
                with self.subTest(finding=finding, text=text):
                    self.assertTrue(prose.judge(text)[finding]["found"], prose.judge(text)[finding])

    def test_negatives_are_not_found(self):
        for finding, texts in NEGATIVE.items():
            for text in texts:
                with self.subTest(finding=finding, text=text):
                    self.assertFalse(prose.judge(text)[finding]["found"], prose.judge(text)[finding])

    def test_whole_reviews(self):
        for name, text, expected in REVIEWS:
            found = {finding: result["found"] for finding, result in prose.judge(text).items()}
            with self.subTest(review=name):
                self.assertEqual(found, expected)


if __name__ == "__main__":
    unittest.main()
