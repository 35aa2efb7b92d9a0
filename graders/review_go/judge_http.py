"""Judges one code test from the prober's plain-data observation. Counts
(connections, statements, result sets) are the database server's, made in
the trusted prober: the answer's process reports none of them."""
import json

NO_OBSERVATION = ("fail", "the prober has no observation for this test (the server stopped answering?)")


def field(obj, name):
    """JSON field by name, case-insensitively (tags may be dropped)."""
    if name in obj:
        return obj[name]
    for key, value in obj.items():
        if isinstance(key, str) and key.lower() == name:
            return value
    return None


def canonical_users(body):
    """A set-comparable form of a users array, or None when it is not one.
    Orders: null, missing and [] are the same (the original sends null)."""
    if body is None:
        body = []
    if not isinstance(body, list):
        return None
    users = []
    for u in body:
        if not isinstance(u, dict):
            return None
        orders = field(u, "orders") or []
        if not isinstance(orders, list) or not all(isinstance(o, dict) for o in orders):
            return None
        canon_orders = sorted(json.dumps([field(o, "id"), round_total(field(o, "total"))]) for o in orders)
        users.append(json.dumps([field(u, "id"), field(u, "name"), field(u, "email"), canon_orders]))
    return sorted(users)


def round_total(value):
    return round(float(value), 6) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def describe(response):
    if not isinstance(response, dict):
        return "no response"
    if "error" in response:
        return response["error"]
    if "refused" in response:
        return f"HTTP {response.get('status')} with a JSON body the grader refused: {response['refused']}"
    body = response.get("json", response.get("text"))
    text = json.dumps(body)[:200] if "json" in response else repr(body)[:200]
    return f"HTTP {response.get('status')} {text}"


def users_match(response, expected):
    """(ok, detail) for a response that must be 200 with `expected` users."""
    if not isinstance(response, dict) or response.get("status") != 200 or "json" not in response:
        return False, "expected HTTP 200 with a JSON array, got " + describe(response)
    got = canonical_users(response["json"])
    if got is None:
        return False, "the body is not an array of users: " + describe(response)
    want = canonical_users(expected)
    if got == want:
        return True, ""
    missing, unexpected = len(set(want) - set(got)), len(set(got) - set(want))
    return False, (f"{len(got)} users returned, {len(want)} expected ({missing} missing, {unexpected} wrong "
                   f"or unexpected); got {describe(response)}")


def served(response):
    """(ok, detail): a well-formed users answer, HTTP 200 with a JSON array
    (or null), whatever the users in it. Behaviour categories ask only this
    of a response: wrong values are charged in the value categories, and
    gradebox's behaviour rule keeps an answer that serves nothing useful from
    collecting them (graders/README.md, "The behaviour rule")."""
    if not isinstance(response, dict) or response.get("status") != 200 or "json" not in response:
        return False, "expected HTTP 200 with a JSON array, got " + describe(response)
    if response["json"] is not None and not isinstance(response["json"], list):
        return False, "the body is not a JSON array: " + describe(response)
    return True, ""


def delta(obs, key):
    before, after = obs.get("counts_before"), obs.get("counts_after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    return after.get(key, 0) - before.get(key, 0)


def judge_users(test, obs):
    return users_match(obs.get("response"), test["expect"]["users"])


def judge_n_plus_1(test, obs):
    ok, detail = served(obs.get("response"))
    if not ok:
        return ok, detail
    statements = delta(obs, "statements")
    if statements is None:
        return False, "the database server's counts are missing"
    limit = test["expect"]["max_statements"]
    if statements > limit:
        return False, f"{statements} statements for {len(test['expect']['users'])} users (at most {limit})"
    return True, f"{statements} statements"


def all_served(obs):
    """All the sequential requests were answered with a well-formed users
    response: counters only count for a server that really answers."""
    responses = obs.get("responses") or []
    wrong = []
    for name, response in responses:
        ok, detail = served(response)
        if not ok:
            wrong.append(f"{name}: {detail}")
    if not responses:
        return False, "no requests were answered"
    return not wrong, f"{len(wrong)} of {len(responses)} requests not answered well; " + "; ".join(wrong[:1])


def judge_pool(test, obs):
    ok, detail = all_served(obs)
    if not ok:
        return ok, detail
    opened = delta(obs, "conns_opened")
    if opened is None:
        return False, "the database server's counts are missing"
    limit = test["expect"]["max_connections"]
    return opened <= limit, (f"{opened} database connections opened during {len(obs['responses'])} "
                             f"requests (at most {limit})")


def judge_leaks(test, obs):
    ok, detail = all_served(obs)
    if not ok:
        return ok, detail
    after = obs.get("counts_after")
    if not isinstance(after, dict):
        return False, "the database server's counts are missing"
    rows = after.get("rows_opened", 0) - after.get("rows_closed", 0)
    tx = after.get("tx_begun", 0) - after.get("tx_ended", 0)
    conns = after.get("conns_opened", 0) - after.get("conns_closed", 0)
    busy = after.get("conns_busy", 0)
    limit = test["expect"]["max_open_conns"]
    problems = []
    if rows:
        problems.append(f"{rows} result sets left open")
    if tx:
        problems.append(f"{tx} transactions left open")
    if busy:
        problems.append(f"{busy} connections still in use")
    if conns > limit:
        problems.append(f"{conns} database connections open (at most {limit} for one pool)")
    return not problems, "; ".join(problems) or f"{conns} connections open, no result set open"


def judge_db_error(test, obs):
    if not obs.get("armed"):
        return False, "the database server could not be made to fail"
    response = obs.get("response") or {}
    if response.get("status") != test["expect"]["status"]:
        return False, "with the database failing, expected HTTP 500, got " + describe(response)
    ok, detail = served(obs.get("then"))
    return ok, "" if ok else "after the error the server did not recover: " + detail


def judge_error_leak(test, obs):
    response = obs.get("response") or {}
    if response.get("status") != test["expect"]["status"]:
        return False, "no HTTP 500 to inspect: " + describe(response)
    body = json.dumps(response.get("json")) if "json" in response else str(response.get("text", ""))
    token = obs.get("token") or "\0"
    if token in body or "disk image is malformed" in body.lower():
        return False, "the 500 carries the raw database error: " + body[:200]
    return True, ""


def judge_empty(test, obs):
    response = obs.get("response") or {}
    if response.get("status") != 200 or "json" not in response:
        return False, "expected HTTP 200 with [], got " + describe(response)
    body = response["json"]
    return (body == [] and isinstance(body, list)), "expected [], got " + json.dumps(body)[:200]


def judge_content_type(test, obs):
    response = obs.get("response") or {}
    if "error" in response or "status" not in response:
        return False, "no response: " + describe(response)
    media = str(response.get("content_type", "")).split(";")[0].strip().lower()
    want = test["expect"]["content_type"]
    return media == want, f"Content-Type {response.get('content_type')!r}, expected {want}"


def judge_concurrent(test, obs):
    responses = obs.get("responses") or {}
    wrong = []
    for name, users in test["expect"]["users"].items():
        ok, detail = users_match(responses.get(name), users)
        if not ok:
            wrong.append(f"{name}: {detail}")
    return not wrong, f"{len(wrong)} of {len(test['expect']['users'])} parallel requests wrong; " + "; ".join(wrong[:2])


JUDGES = {
    "same-results": judge_users, "parameterized": judge_users, "users-without-orders": judge_users,
    "no-n-plus-1": judge_n_plus_1, "pool-reuse": judge_pool, "no-leaks": judge_leaks,
    "db-error-500": judge_db_error, "no-error-leak": judge_error_leak, "empty-array": judge_empty,
    "content-type-json": judge_content_type, "concurrent-requests": judge_concurrent,
}


def judge(test, obs):
    """(status, detail) for one code test; malformed observations fail."""
    if not isinstance(obs, dict):
        return NO_OBSERVATION
    try:
        ok, detail = JUDGES[test["category"]](test, obs)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        return "fail", f"malformed observation ({type(e).__name__}: {e})"
    return ("pass" if ok else "fail"), ("" if ok and detail is None else detail)
