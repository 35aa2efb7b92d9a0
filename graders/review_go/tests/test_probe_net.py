"""Unit tests of the prober's handling of the answer's HTTP bodies.

    python3 -I graders/review_go/tests/test_probe_net.py
"""
import os
import sys
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)

import probe_net  # noqa: E402


class BoundedJsonTest(unittest.TestCase):
    def test_plain_users_array_is_kept(self):
        value, problem = probe_net.bounded_json('[{"id": 1, "orders": [{"id": 2, "total": 1.5}]}]')
        self.assertIsNone(problem)
        self.assertEqual(value[0]["orders"][0]["total"], 1.5)

    def test_not_json_is_text(self):
        self.assertEqual(probe_net.bounded_json("<html>"), (None, "not JSON"))

    def test_deep_nesting_is_refused_not_a_crash(self):
        for depth in (probe_net.MAX_DEPTH + 1, 5000, 100000):
            value, problem = probe_net.bounded_json("[" * depth + "]" * depth)
            self.assertIsNone(value)
            self.assertIn("nested deeper", problem)
        deep_object = '{"a":' * 3000 + "1" + "}" * 3000
        self.assertIn("nested deeper", probe_net.bounded_json(deep_object)[1])

    def test_numbers_json_cannot_carry_on_are_refused(self):
        for body in ('[NaN]', '{"id": Infinity}', '[-Infinity]', '[1e999]', '[' + '9' * 30 + ']'):
            value, problem = probe_net.bounded_json(body)
            self.assertIsNone(value, body)
            self.assertNotEqual(problem, "not JSON", body)
        self.assertEqual(probe_net.bounded_json('[1.5, -3, 18446744073709551615]')[0], [1.5, -3, (1 << 64) - 1])

    def test_depth_at_the_cap_is_kept(self):
        depth = probe_net.MAX_DEPTH
        self.assertIsNone(probe_net.bounded_json("[" * depth + "]" * depth)[1])


if __name__ == "__main__":
    unittest.main()
