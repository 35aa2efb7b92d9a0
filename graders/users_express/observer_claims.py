"""Observer side (trusted; runs no answer code). The runner says why the
answer did not load; a verdict that is not `graded` (unsupported, no-code,
compile-error) would let a wrong app escape its zero, so the observer sorts
the runner's plain error data itself and accepts a claim only when it can
check it without running the answer:

- a missing package: the grader really lacks it (its package folder, its
  stubs) and the answer's own text imports it (outside comments);
- a compile error: V8 cannot parse the named file, as a script nor as a
  module (`node --check` children: parsing runs nothing);
- no GET route: the answer's text registers no GET route with a literal
  path, and nothing accepts on the port when the runner says nothing
  listened.

A refused claim leaves the answer graded: the prober decides.
"""

import os
import re

from observer_spawn import NODE

FRAMEWORKS = {"fastify", "koa", "@koa/router", "koa-router", "koa-body", "koa-bodyparser", "@hapi/hapi", "hapi",
              "restify", "hono", "@nestjs/core", "@nestjs/common", "sails", "polka", "micro"}
DATABASES = {
    "mongoose": "a MongoDB server", "mongodb": "a MongoDB server", "pg": "a PostgreSQL server",
    "pg-promise": "a PostgreSQL server", "postgres": "a PostgreSQL server", "mysql": "a MySQL server",
    "mysql2": "a MySQL server", "sequelize": "a SQL database server", "typeorm": "a SQL database server",
    "knex": "a SQL database server", "@prisma/client": "a database (Prisma)", "redis": "a Redis server",
    "ioredis": "a Redis server", "sqlite3": "SQLite bindings", "better-sqlite3": "SQLite bindings",
    "mssql": "an SQL Server", "oracledb": "an Oracle server", "cassandra-driver": "a Cassandra server",
}
NO_ROUTE_REASONS = ("no Express app with a GET route", "the Express app registers no GET route",
                    "the server is not an Express app")
COMPILE_STACK = re.compile(r"wrapSafe|compileFunction|compileSourceTextModule|ModuleWrap|moduleStrategy|new Script"
                           r"|^(file://)?/.*:\d+\n", re.M)
COMMENT = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|/\*.*?\*/|//[^\n]*""", re.S)
GET_ROUTE = (re.compile(r"""\.(get|all)\s*\(\s*['"`]/"""), re.compile(r"""\.route\s*\(\s*['"`]/[^)]*\)\s*\.get\s*\("""))


def missing_package(error):
    """"Cannot find module 'x'" / "Cannot find package 'x' imported from" -> x."""
    if not error or error.get("code") not in ("MODULE_NOT_FOUND", "ERR_MODULE_NOT_FOUND"):
        return None
    match = re.search(r"Cannot find (?:module|package) '([^']+)'", str(error.get("message", "")))
    if not match or match.group(1).startswith((".", "/")):
        return None
    parts = match.group(1).split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]


def is_compile_error(error):
    if not error or error.get("type") != "SyntaxError":
        return False
    stack = str(error.get("stack") or "")
    return "at JSON.parse" not in stack and bool(COMPILE_STACK.search(stack))


def classify(error):
    """A failed load's plain error -> {no_entry, framework} | {unsupported} |
    {compile_error} | None (an ordinary error: graded, and it fails)."""
    pkg = missing_package(error)
    if pkg in FRAMEWORKS:
        return {"no_entry": True, "framework": pkg}
    if pkg in DATABASES:
        return {"unsupported": f"needs {DATABASES[pkg]} ({pkg})"}
    if pkg and pkg != "express":
        return {"unsupported": f"needs the npm package '{pkg}', which the grader does not provide"}
    if is_compile_error(error):
        text = str(error.get("stack") or error.get("message") or "")
        return {"compile_error": text.split("\n    at ")[0][:2000]}
    return None


def strip_comments(code):
    """The code without comments (string literals kept whole)."""
    return COMMENT.sub(lambda m: m.group(1) or " ", code)


def imports_package(texts, pkg):
    pattern = re.compile(r"""(require\s*\(\s*|from\s*|import\s*\(?\s*)['"`]""" + re.escape(pkg) + r"""['"`/]""")
    return any(pattern.search(strip_comments(code)) for code in texts.values())


def registers_get_route(texts):
    return any(r.search(strip_comments(code)) for code in texts.values() for r in GET_ROUTE)


def parses(code):
    """True when V8 parses `code` as a CommonJS module or as an ES module."""
    import subprocess  # here: only this rare path pays for its import

    for kind in ("commonjs", "module"):
        done = subprocess.run([NODE, f"--input-type={kind}", "--check"], input=code.encode(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)
        if done.returncode == 0:
            return True
    return False


def compile_error_file(error):
    match = re.match(r"(?:file://)?(/[^\n:]+):\d+", str(error.get("stack") or ""))
    return match.group(1) if match else None


def verify_load_claim(claim, error, texts, entry, packages, stubs):
    """(True, None) or (False, why): may the observer report this verdict?"""
    if claim.get("unsupported") or claim.get("framework"):
        pkg = missing_package(error)
        if pkg in stubs or (packages and os.path.exists(os.path.join(packages, pkg))):
            return False, f"the grader provides '{pkg}', which the runner says is missing"
        if not imports_package(texts, pkg):
            return False, f"the answer never imports '{pkg}'"
        return True, None
    if claim.get("compile_error"):
        file = compile_error_file(error) or entry
        if file not in texts:
            return False, "the compile error names no file of the answer"
        if parses(texts[file]):
            return False, f"{os.path.basename(file)} parses"
    return True, None


def verify_no_route(reason, texts, port_accepts):
    """(True, None) or (False, why) for a runner that found no GET route."""
    if registers_get_route(texts):
        return False, "the answer registers a GET route with a literal path"
    if reason == NO_ROUTE_REASONS[0] and port_accepts:
        return False, "something accepts on the port though the runner says nothing listened"
    return True, None
