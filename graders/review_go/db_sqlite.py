"""The SQLite side of review_go's trusted database server (stdlib only).

Trust: this code runs in the trusted prober, outside the sandbox, on the
host; the SQL it executes is the answer's. So every connection is fenced
before the answer's first statement: an authorizer that allows reading and
writing the run's own in-memory database but no ATTACH (VACUUM INTO goes
through ATTACH too), no virtual tables and only harmless pragmas; a zero
limit on attached databases; a size cap; and a per-call time budget. The
database lives in memory under a random name, seeded from the task's
seed.sql, which never enters the box.
"""
import os
import sqlite3
import time

OP_SECONDS = 2.0          # one call's budget: a runaway query is interrupted
MAX_PAGES = 4096          # 16 MiB of 4 KiB pages for the answer's writes
HEAP_LIMIT = 256 << 20    # process-wide cap on SQLite's own memory
MAX_TEXT = 256 << 10      # longest string, blob or SQL text
MAX_COLUMNS = 64          # so one row stays small in this process's memory

# Pragmas an answer plausibly runs on a connection; none reaches a file or
# changes a limit. Anything else is denied (SQLITE_AUTH to the answer).
SAFE_PRAGMAS = frozenset({
    "foreign_keys", "busy_timeout", "journal_mode", "synchronous", "cache_size", "table_info",
    "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "user_version", "query_only", "case_sensitive_like", "temp_store", "recursive_triggers",
    "defer_foreign_keys", "optimize", "integrity_check", "quick_check", "encoding", "page_size",
    "compile_options", "application_id", "schema_version", "data_version", "locking_mode",
    "automatic_index", "reverse_unordered_selects", "ignore_check_constraints", "count_changes",
})

# Debian's SQLite is built with ENABLE_FTS3_TOKENIZER: fts3_tokenizer()
# reveals and accepts raw pointers, a way to run code in this process.
DENIED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer"})

DENIED_ACTIONS = frozenset({
    sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH,
    sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_VTABLE,
})


def authorize(action, arg1, arg2, db_name, trigger):
    if action in DENIED_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA:
        allowed = (arg1 or "").lower() in SAFE_PRAGMAS and db_name in (None, "main", "temp")
        return sqlite3.SQLITE_OK if allowed else sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class Database:
    """One run's database: a seeded in-memory file shared by connections."""

    def __init__(self, seed_sql):
        self.uri = f"file:gbx{os.urandom(8).hex()}?mode=memory&cache=shared"
        self.anchor = self._raw()  # keeps the memory database alive
        self.anchor.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT}")
        self.anchor.executescript(seed_sql)

    def _raw(self):
        conn = sqlite3.connect(self.uri, uri=True, check_same_thread=False, isolation_level=None)
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_TEXT)
        conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_TEXT)
        conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
        conn.execute(f"PRAGMA max_page_count = {MAX_PAGES}")
        return conn

    def connect(self):
        """A fenced connection for the answer, in autocommit mode (the
        answer's BEGIN/COMMIT are its own)."""
        conn = self._raw()
        conn.set_authorizer(authorize)
        budget = Budget()
        conn.set_progress_handler(budget.expired, 2000)
        return conn, budget

    def close(self):
        self.anchor.close()


class Budget:
    """Interrupts a call that runs longer than OP_SECONDS."""

    def __init__(self):
        self.deadline = None

    def start(self):
        self.deadline = time.monotonic() + OP_SECONDS

    def expired(self):
        return 1 if self.deadline is not None and time.monotonic() > self.deadline else 0


MAX_SPLIT = 100  # semicolons considered; more and the text runs as one statement


def split_statements(sql):
    """The statements of a text, as go-sqlite3 runs them one after another
    in one Exec or Query (SQLite's own completeness test, so a ';' inside a
    string or comment does not split). Trailing comments are dropped."""
    if sql.count(";") > MAX_SPLIT:
        return [sql]
    parts, start, at = [], 0, sql.find(";")
    while at >= 0:
        if sqlite3.complete_statement(sql[start:at + 1]):
            parts.append(sql[start:at + 1])
            start = at + 1
        at = sql.find(";", at + 1)
    rest = sql[start:]
    if not only_comments(rest):
        parts.append(rest)
    return parts or [sql]


def only_comments(text):
    """Whether text holds nothing but whitespace and SQL comments."""
    text = text.strip()
    while text.startswith(("--", "/*")):
        end = text.find("\n") + 1 if text.startswith("--") else text.find("*/") + 2
        if end <= 1:
            return True
        text = text[end:].strip()
    return not text


def error_codes(exc):
    """(primary, extended, message) of a sqlite3 exception."""
    extended = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(extended, int):
        extended = 1
    return extended & 0xFF, extended, str(exc)
