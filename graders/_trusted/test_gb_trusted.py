"""gb_trusted, the trusted scripts' declared limits: answer-derived data just
within a limit is parsed and walked, just past it is refused with the
limit named, never a RecursionError."""

import io
import unittest

import gb_trusted


def nested(levels):
    return "[" * levels + "]" * levels


class BoundedLoadsTest(unittest.TestCase):
    def test_depth_just_within_and_just_past_the_limit(self):
        value = gb_trusted.bounded_loads(nested(2000), 1 << 20, 2000)
        self.assertEqual(repr(value).count("["), 2000)  # repr walks it too
        with self.assertRaisesRegex(gb_trusted.LimitExceeded, "nested deeper than the 2000-level limit"):
            gb_trusted.bounded_loads(nested(2001), 1 << 20, 2000)

    def test_a_million_levels_and_an_unclosed_prefix_are_refused_unparsed(self):
        for text in (nested(10**6), "[" * 5000, '{"a":' * 5000):
            with self.assertRaisesRegex(gb_trusted.LimitExceeded, "2000-level"):
                gb_trusted.bounded_loads(text.encode(), 4 << 20, 2000)

    def test_size_just_within_and_just_past_the_limit(self):
        self.assertEqual(gb_trusted.bounded_loads(b'"abcd"', 6, 10), "abcd")
        with self.assertRaisesRegex(gb_trusted.LimitExceeded, "over the 5-byte limit"):
            gb_trusted.bounded_loads(b'"abcd"', 5, 10)

    def test_unparsable_is_a_value_error(self):
        for bad in (b"[1,", b"\xff", b"NaN x"):
            with self.assertRaises(ValueError):
                gb_trusted.bounded_loads(bad, 100, 10)


class RequestTest(unittest.TestCase):
    def test_a_request_holding_a_value_at_the_channel_limit_is_read(self):
        text = '{"observations": [{"event": "test", "value": ' + nested(2000) + "}]}"
        request = gb_trusted.read_request(io.StringIO(text))
        value = request["observations"][0]["value"]
        self.assertTrue(value == gb_trusted.bounded_loads(nested(2000), 1 << 20, 2000))  # == recurses

    def test_a_request_past_what_gradebox_lets_through_is_refused(self):
        with self.assertRaises(gb_trusted.LimitExceeded):
            gb_trusted.read_request(io.StringIO(nested(gb_trusted.REQUEST_MAX_DEPTH + 1)))


class ShownTest(unittest.TestCase):
    def test_depth_over_is_iterative(self):
        value = []
        for _ in range(10**5):
            value = [value]
        self.assertTrue(gb_trusted.depth_over(value, 2000))
        self.assertFalse(gb_trusted.depth_over([[1], {"a": [2]}], 3))
        self.assertTrue(gb_trusted.depth_over([[1], {"a": [[2]]}], 3))

    def test_a_deep_or_long_value_is_shown_short(self):
        deep = gb_trusted.bounded_loads(nested(2000), 1 << 20, 2000)
        text = gb_trusted.shown(deep)
        self.assertLessEqual(len(text), gb_trusted.SHOWN_CHARS)
        self.assertTrue(text.startswith("[" * 32 + '"(nested deeper'))
        self.assertEqual(len(gb_trusted.shown(["x" * 10**6])), gb_trusted.SHOWN_CHARS)
        self.assertEqual(gb_trusted.shown({"a": [1, None]}), '{"a": [1, null]}')

    def test_cut_keeps_shallow_values_whole(self):
        value = {"a": [1, {"b": "c"}]}
        self.assertEqual(gb_trusted.cut(value), value)
        self.assertEqual(gb_trusted.cut([[[1]]], 2), [["(nested deeper than the 32-level display limit)"]])


if __name__ == "__main__":
    unittest.main()
