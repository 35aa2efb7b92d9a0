"""judge_http's behaviour categories judge the behaviour alone: the counts
and the status, on well-formed responses (HTTP 200, a JSON array), whatever
the users in them. Wrong values are charged in the value categories; the
gate for vacuous servers is gradebox's (graders/README.md, "The behaviour rule").

    cd graders/review_go/tests && python3 -B -m unittest test_judge_behaviour
"""
import json
import os
import sys
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)
import judge_http  # noqa: E402

TESTS = {t["category"]: t for t in json.load(open(os.path.join(PACK, "tests.json")))["tests"]}
WRONG_USERS = [{"user_id": 1, "full_name": "Alice Smith", "purchases": []}]


def ok(body):
    return {"status": 200, "json": body, "content_type": "application/json"}


def sequential(body, opened):
    names = TESTS["pool-reuse"]["input"]["names"]
    return {"responses": [[name, ok(body)] for name in names],
            "counts_before": {"conns_opened": 0}, "counts_after": {"conns_opened": opened}}


class BehaviourCategoriesTest(unittest.TestCase):
    def test_pool_reuse_passes_on_wrong_values_with_one_pool(self):
        status, detail = judge_http.judge(TESTS["pool-reuse"], sequential(WRONG_USERS, 1))
        self.assertEqual(status, "pass", detail)

    def test_pool_reuse_still_fails_a_pool_per_request(self):
        status, detail = judge_http.judge(TESTS["pool-reuse"], sequential(WRONG_USERS, 30))
        self.assertEqual(status, "fail")
        self.assertIn("30 database connections", detail)

    def test_a_response_that_is_not_a_users_array_is_not_well_formed(self):
        status, detail = judge_http.judge(TESTS["pool-reuse"], sequential({"users": WRONG_USERS}, 1))
        self.assertEqual(status, "fail")
        self.assertIn("not a JSON array", detail)

    def test_no_n_plus_1_counts_statements_whatever_the_users(self):
        obs = {"response": ok(WRONG_USERS), "counts_before": {"statements": 0}, "counts_after": {"statements": 2}}
        self.assertEqual(judge_http.judge(TESTS["no-n-plus-1"], obs)[0], "pass")
        obs["counts_after"]["statements"] = 41
        self.assertEqual(judge_http.judge(TESTS["no-n-plus-1"], obs)[0], "fail")

    def test_no_leaks_judges_the_counts_on_wrong_values(self):
        obs = sequential(WRONG_USERS, 1)
        obs["counts_after"].update({"conns_closed": 0, "rows_opened": 60, "rows_closed": 60})
        self.assertEqual(judge_http.judge(TESTS["no-leaks"], obs)[0], "pass")
        obs["counts_after"]["rows_closed"] = 30
        status, detail = judge_http.judge(TESTS["no-leaks"], obs)
        self.assertEqual(status, "fail")
        self.assertIn("30 result sets left open", detail)

    def test_db_error_500_recovers_to_a_well_formed_answer(self):
        obs = {"armed": True, "response": {"status": 500, "text": "internal"}, "then": ok(WRONG_USERS)}
        self.assertEqual(judge_http.judge(TESTS["db-error-500"], obs)[0], "pass")
        obs["then"] = {"status": 500, "text": "internal"}
        self.assertEqual(judge_http.judge(TESTS["db-error-500"], obs)[0], "fail")

    def test_value_categories_still_compare_the_users(self):
        status, detail = judge_http.judge(TESTS["same-results"], {"response": ok(WRONG_USERS)})
        self.assertEqual(status, "fail")


if __name__ == "__main__":
    unittest.main()
