"""Edge-case checks: out-of-range pages, invalid parameters, no match,
malformed queries, the total, and whether the server survived it all."""

import math
import urllib.parse

import probe_shape as shape
from probe_checks import (NO_MATCH_NUMBER, NO_MATCH_TEXT, Stop, filtered_count, need_filter, need_paging,
                          need_users)


def is_json_client_error(resp):
    return resp.status is not None and 400 <= resp.status < 500 and resp.is_json


def plain_request_ok(client, api):
    resp = client.get(api.plain_target())
    return bool(api.users_of(resp)) or (resp.status == 200 and api.users_of(resp) is not None)


def check_page_out_of_range(client, api, test):
    need_paging(api)
    size = test["input"].get("size", 5) if api.size_param else api.default_len
    last = math.ceil(len(api.users) / size)
    index = last - 1 + test["input"]["beyond"] if "beyond" in test["input"] else test["input"]["page"] - 1
    resp = client.get(api.target(index, size))
    users = need_users(api, resp, f"page {index + 1} of size {size}")
    if users:
        return "fail", f"page {index + 1} of {last} returned {len(users)} users"
    return "pass", f"page {index + 1} of {last}: 200, empty list"


def invalid_param_target(api, param, value, size=None):
    """`param=value`, the page size, and whatever else the app requires."""
    return api.target(0, size, {param: value})


def check_invalid_page(client, api, test):
    value = test["input"]["value"]
    param = api.page_param or api.offset_param or "page"
    size = 3 if api.size_param else None
    first = need_users(api, client.reference(api.target(0, size)), "first page")
    resp = client.get(invalid_param_target(api, param, value, size))
    if resp.failure == "timeout":
        raise Stop("timeout", f"{param}={value}: no answer")
    if is_json_client_error(resp):
        return "pass", f"{param}={value}: HTTP {resp.status} with a JSON error"
    users = api.users_of(resp)
    if users is not None and api.ids(users) == api.ids(first):
        return "pass", f"{param}={value}: treated as the first page"
    return "fail", f"{param}={value}: {resp.describe()}" + (f", {len(users)} users, not the first page" if users is not None else "")


def check_invalid_limit(client, api, test):
    value = test["input"]["value"]
    param = api.size_param or "limit"
    default = need_users(api, client.reference(api.plain_target()), "default page")
    resp = client.get(invalid_param_target(api, param, value))
    if resp.failure == "timeout":
        raise Stop("timeout", f"{param}={value}: no answer")
    if is_json_client_error(resp):
        return "pass", f"{param}={value}: HTTP {resp.status} with a JSON error"
    users = api.users_of(resp)
    if users is not None and len(users) == len(default):
        return "pass", f"{param}={value}: the default size ({len(users)})"
    return "fail", f"{param}={value}: {resp.describe()}" + (f", {len(users)} users, default is {len(default)}" if users is not None else "")


def no_match_value(api, flt):
    if flt.mode == "search":
        return NO_MATCH_TEXT
    values = [u.get(flt.field) for u in api.users]
    if flt.mode == "min":
        return str(max(values) + 1000)
    if all(isinstance(v, bool) for v in values if v is not None):
        raise Stop("n/a", f"{flt.field} is a yes/no field: no value can match nobody")
    if all(isinstance(v, (int, float)) for v in values if v is not None):
        return NO_MATCH_NUMBER
    return NO_MATCH_TEXT


def check_no_match(client, api, test):
    flt = need_filter(api, test)
    value = no_match_value(api, flt)
    resp = client.get(api.target(0, None, {flt.param: value}))
    users = need_users(api, resp, f"{flt.param}={value}")
    if users:
        return "fail", f"{flt.param}={value} returned {len(users)} users"
    total = shape.value_at(resp.body, api.total_path) if api.total_path else None
    if api.total_path and total not in (0, None):
        return "fail", f"{flt.param}={value}: empty list but {'.'.join(api.total_path)}={total}"
    return "pass", f"{flt.param}={value}: 200, empty list"


def malformed_filter_params(api):
    """Every parameter seen to filter, and `name` when users have one (or
    nothing filters): a crash on any of them is the answer's."""
    params = [f.param for f in api.filters] + api.filter_params
    if "name" not in params and (not params or any("name" in user for user in api.users)):
        params.append("name")
    return list(dict.fromkeys(params))


def malformed_queries(api, template):
    """The template for each filter parameter (once when it names none),
    followed by what the app requires that the template does not set."""
    names = {"page": api.page_param or api.offset_param or "page", "size": api.size_param or "limit"}
    filters = malformed_filter_params(api) if "{filter}" in template else [None]
    queries = []
    for param in filters:
        query = template.format(filter=param, **names)
        named = {part.split("=")[0].split("[")[0] for part in query.split("&")}
        rest = [(k, v) for k, v in api.required_params().items() if k not in named]
        queries.append(query + ("&" + urllib.parse.urlencode(rest) if rest else ""))
    return queries


def check_malformed_query(client, api, test):
    """Each form of the test, then one plain request: the server must never
    answer 500 and must still serve afterwards."""
    sent = []
    for query in malformed_queries(api, test["input"]["query"]):
        resp = client.get(f"{api.route}?{query}")
        after = f" (after {sent[-1]})" if sent and resp.failure else ""
        if resp.failure == "timeout":
            raise Stop("timeout", f"?{query}: no answer{after}")
        if resp.failure:
            return "fail", f"?{query}: {resp.describe()}{after}"
        if resp.status >= 500:
            return "fail", f"?{query}: HTTP {resp.status}"
        sent.append(f"?{query}: HTTP {resp.status}")
    if not plain_request_ok(client, api):
        return "fail", f"{'; '.join(sent)[:300]}: the server stopped serving {api.route} afterwards"
    return "pass", f"{'; '.join(sent)[:600]}, server still up"


def check_total_count(client, api, test):
    if not api.total_path:
        raise Stop("fail", "no total in the response (looked for total, totalItems, count, ...)")
    path = ".".join(api.total_path)
    if test["input"].get("filter") is None:
        resp = client.get(api.target(0, 2))
        need_users(api, resp, "first page")
        total, want, what = shape.value_at(resp.body, api.total_path), len(api.users), "all users"
    else:
        flt = need_filter(api, test)
        want = filtered_count(client, api, flt)
        resp = client.get(api.target(0, 2, {flt.param: flt.value}))
        need_users(api, resp, f"{flt.param}={flt.value}")
        total, what = shape.value_at(resp.body, api.total_path), f"users with {flt.param}={flt.value}"
    if total != want:
        return "fail", f"{path}={total}, but there are {want} {what}"
    return "pass", f"{path}={total} ({what})"


def check_server_survives(client, api, test):
    # Behaviour only: a well-formed users answer, whatever the users in it
    # (gradebox's behaviour rule gates it; graders/README.md).
    users = need_users(api, client.get(api.plain_target()), f"final GET {api.plain_target()}")
    return "pass", f"still answering: {len(users)} users"


EDGE_CHECKS = {
    "page-out-of-range": check_page_out_of_range,
    "invalid-page": check_invalid_page,
    "invalid-limit": check_invalid_limit,
    "no-match": check_no_match,
    "malformed-query": check_malformed_query,
    "total-count": check_total_count,
    "server-survives": check_server_survives,
}
