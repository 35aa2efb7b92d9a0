"""server-survives is a behaviour category: it passes when the final plain
request is answered with a well-formed users response (HTTP 200, JSON, a
users array), whatever the users in it; the gate for vacuous servers is
gradebox's (graders/README.md, "The behaviour rule").

    cd graders/users_express/dev && python3 -B -m unittest test_server_survives
"""
import os
import sys
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)

from probe_edges import check_server_survives  # noqa: E402
from probe_checks import Stop  # noqa: E402
from probe_http import Response  # noqa: E402

TEST = {"id": "server-survives-1", "category": "server-survives", "input": {}}


class Api:
    route = "/users"

    def plain_target(self):
        return self.route

    def users_of(self, resp):
        if resp.failure or resp.status != 200 or not resp.is_json:
            return None
        return resp.body.get("users") if isinstance(resp.body, dict) else None


class Client:
    def __init__(self, resp):
        self.resp = resp

    def get(self, target):
        return self.resp


class ServerSurvivesTest(unittest.TestCase):
    def test_an_empty_users_list_is_a_well_formed_answer(self):
        status, detail = check_server_survives(Client(Response(200, {"users": []}, True)), Api(), TEST)
        self.assertEqual(status, "pass", detail)

    def test_users_pass(self):
        status, _ = check_server_survives(Client(Response(200, {"users": [{"id": 1}]}, True)), Api(), TEST)
        self.assertEqual(status, "pass")

    def test_a_dead_server_fails(self):
        with self.assertRaises(Stop) as stop:
            check_server_survives(Client(Response(failure="refused")), Api(), TEST)
        self.assertEqual(stop.exception.status, "fail")

    def test_a_500_fails(self):
        with self.assertRaises(Stop):
            check_server_survives(Client(Response(500, {"error": "x"}, True)), Api(), TEST)


if __name__ == "__main__":
    unittest.main()
