"""Unit tests of the prober's discovery of required parameters, its ground
truth (the union of what discovery saw, the answer's literal data) and the
parameters malformed-query sends its forms to. No server: a fake client
answers from a Python function.

    python3 -I graders/users_express/tests/test_probe_truth.py
"""

import os
import sys
import unittest
import urllib.parse

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)

import probe_discover as discover  # noqa: E402
import probe_literal  # noqa: E402
import probe_truth  # noqa: E402
from probe_checks import filter_reference, filtered_count  # noqa: E402
from probe_discover import Api, Filter  # noqa: E402
from probe_edges import malformed_queries  # noqa: E402
from probe_http import Response  # noqa: E402

USERS = [{"id": i, "name": f"User {i}", "role": "admin" if i % 3 == 0 else "user"} for i in range(1, 13)]


class FakeClient:
    """The prober's client over `app(path, query) -> (status, body)`."""

    def __init__(self, app):
        self.app, self.cache, self.dead, self.requests = app, {}, None, []

    def get(self, target):
        self.requests.append(target)
        parts = urllib.parse.urlsplit(target)
        status, body = self.app(parts.path, dict(urllib.parse.parse_qsl(parts.query)))
        return Response(status=status, body=body, is_json=body is not None)

    def reference(self, target):
        if target not in self.cache:
            self.cache[target] = self.get(target)
        return self.cache[target]

    def out_of_time(self):
        return False


def no_defaults(path, query):
    """The tutorial shape: page and limit parsed without a default."""
    if path != "/users":
        return 404, None
    try:
        page, limit = int(query["page"]), int(query["limit"])
    except (KeyError, ValueError):
        return 200, {"results": []}  # slice(NaN, NaN)
    start = (page - 1) * limit
    return 200, {"results": USERS[start:start + limit], "total": len(USERS)}


class RequiredParamsTest(unittest.TestCase):
    def test_a_bare_empty_list_sends_discovery_to_spelled_out_parameters(self):
        client = FakeClient(no_defaults)
        route, _, _, _, answered = discover.find_route(client, ["/users"])
        self.assertIsNone(route)
        self.assertEqual(answered, ["/users"])
        route, path, first, required = discover.find_required_params(client, answered)
        self.assertEqual((route, path, required), ("/users", ("results",), {"page": 1, "limit": 10}))
        self.assertEqual(len(first.body["results"]), 10)

    def test_no_route_that_answers_costs_no_extra_request(self):
        client = FakeClient(lambda path, query: (404, None))
        *_, answered = discover.find_route(client, [])
        before = len(client.requests)
        self.assertIsNone(discover.find_required_params(client, answered))
        self.assertEqual(len(client.requests), before)

    def test_every_request_carries_the_required_parameters_and_extra_wins(self):
        api = Api("/users")
        api.required, api.size_param, api.page_param = {"page": 1, "limit": 10}, "limit", "page"
        self.assertEqual(api.target(0), "/users?page=1&limit=10")
        self.assertEqual(api.target(1, 2), "/users?limit=2&page=2")
        self.assertEqual(api.target(0, None, {"limit": "abc"}), "/users?limit=abc&page=1")
        api.page_base = 0
        self.assertEqual(api.required_params(), {"page": 0, "limit": 10})

    def test_an_app_with_defaults_gets_the_same_requests_as_before(self):
        api = Api("/users")
        api.size_param, api.page_param = "limit", "page"
        self.assertEqual(api.target(0), "/users")
        self.assertEqual(api.target(0, 5, {"role": "admin"}), "/users?role=admin&limit=5")
        self.assertEqual(api.target(2, 5), "/users?limit=5&page=3")


class MalformedTargetsTest(unittest.TestCase):
    def api(self):
        api = Api("/users")
        api.users = USERS
        api.filters = [Filter("role", "role", "admin", "field", set(), set())]
        api.filter_params = ["role", "email"]
        return api

    def test_every_filter_parameter_and_name_get_the_form(self):
        self.assertEqual(malformed_queries(self.api(), "{filter}[$ne]=x"),
                         ["role[$ne]=x", "email[$ne]=x", "name[$ne]=x"])

    def test_forms_without_a_filter_are_sent_once_with_what_the_app_requires(self):
        api = self.api()
        api.required, api.page_param, api.size_param = {"page": 1, "limit": 10}, "page", "limit"
        self.assertEqual(malformed_queries(api, "{page}=1&{page}=2"), ["page=1&page=2&limit=10"])
        self.assertEqual(malformed_queries(api, "{filter}=")[0], "role=&page=1&limit=10")

    def test_name_only_when_users_have_one_or_nothing_filters(self):
        api = self.api()
        api.users = [{"id": 1, "role": "a"}]
        self.assertEqual(malformed_queries(api, "{filter}="), ["role=", "email="])
        api.filters, api.filter_params = [], []
        self.assertEqual(malformed_queries(api, "{filter}="), ["name="])


def js_users(users):
    return "const users = [\n" + ",\n".join(
        "  { id: %d, name: '%s', role: \"%s\" }" % (u["id"], u["name"], u["role"]) for u in users) + "\n];"


class LiteralTest(unittest.TestCase):
    def test_plain_object_arrays_are_read(self):
        text = "const a = [{ id: 1, tags: ['x'], 'n': -1.5e1, ok: true, none: null, /* c */ s: `t` }, // x\n];"
        self.assertEqual(probe_literal.object_arrays([text]),
                         [[{"id": 1, "tags": ["x"], "n": -15, "ok": True, "none": None, "s": "t"}]])

    def test_anything_computed_is_not_literal_data(self):
        for text in ("[{ id: 1, at: new Date() }]", "[{ id }]", "[{ s: `a${b}` }]", "[{ ...x }]", "[{ a: b }]",
                     "[{ a: 1 }", "[{ a: 'unterminated }]"):
            self.assertEqual(probe_literal.object_arrays([text]), [], text)

    def test_hostile_text_ends_the_read(self):
        for text in ("[{" * 100000, "[{a:1}," * 100000, "[{a:'" + "x\\" * 300000):
            self.assertEqual(probe_literal.object_arrays([text]), [])


class GroundTruthTest(unittest.TestCase):
    def api(self, learned):
        api = Api("/users")
        api.users, api.id_key = list(learned), "id"
        return api

    def test_the_literal_replaces_what_a_buggy_first_page_hid(self):
        api = self.api(USERS[3:])
        self.assertTrue(probe_truth.adopt_literal(api, {"total": 12}, [js_users(USERS)]))
        self.assertEqual(api.users, USERS)
        self.assertEqual(api.user_source, "the answer's literal data")

    def test_an_app_that_counts_what_it_shows_keeps_its_users(self):
        api = self.api(USERS[3:])
        self.assertFalse(probe_truth.adopt_literal(api, {"total": 9}, [js_users(USERS)]))
        self.assertEqual(api.users, USERS[3:])

    def test_a_literal_without_a_user_the_app_showed_is_not_its_data(self):
        shown = USERS[3:] + [{"id": 99, "name": "Elsewhere", "role": "user"}]
        api = self.api(shown)
        decoy = USERS + [{"id": 98, "name": "Decoy", "role": "user"}]
        self.assertFalse(probe_truth.adopt_literal(api, {"total": 13}, [js_users(decoy)]))
        self.assertEqual(api.users, shown)

    def test_no_total_or_no_text_changes_nothing(self):
        self.assertFalse(probe_truth.adopt_literal(self.api(USERS[3:]), {"results": []}, [js_users(USERS)]))
        self.assertFalse(probe_truth.adopt_literal(self.api(USERS[3:]), {"total": 12}, []))

    def test_every_discovery_answer_counts(self):
        client = FakeClient(no_defaults)
        api = Api("/users")
        for target in ("/users?page=1&limit=2", "/users?page=3&limit=2", "/other?page=1&limit=2"):
            client.reference(target)
        self.assertEqual([u["id"] for u in probe_truth.seen_users(client, api)], [1, 2, 5, 6])


def off_by_one(path, query):
    """Page p of size n starts at p*n: page 1 skips the first n users."""
    page, limit = int(query.get("page", 1)), int(query.get("limit", 5))
    users = [u for u in USERS if query.get("role") in (None, u["role"])]
    return 200, {"results": users[page * limit:(page + 1) * limit], "total": len(users)}


class FilterTruthTest(unittest.TestCase):
    def setUp(self):
        self.client = FakeClient(off_by_one)
        self.api = Api("/users")
        self.api.users, self.api.id_key, self.api.size_param, self.api.page_param = USERS, "id", "limit", "page"
        self.api.big_size, self.api.default_len = 10, 5
        admins = {f"id={u['id']}" for u in USERS if u["role"] == "admin"}
        self.flt = Filter("role", "role", "admin", "field", admins, admins)

    def test_an_empty_largest_page_does_not_make_the_filtered_list_empty(self):
        self.assertEqual(filter_reference(self.client, self.api, self.flt), ["id=3", "id=6", "id=9", "id=12"])
        self.assertEqual(filtered_count(self.client, self.api, self.flt), 4)

    def test_a_filter_discovery_found_broken_is_still_judged_by_what_the_app_returns(self):
        self.flt.consistent = False
        self.assertEqual(filter_reference(self.client, self.api, self.flt), [])
        self.assertEqual(filtered_count(self.client, self.api, self.flt), 0)


if __name__ == "__main__":
    unittest.main()
