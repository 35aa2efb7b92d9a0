"""gb_wire, the Python observers' one wire: what an answer's process sends is
refused under the channel limits, never parsed past them, never a crash."""

import json
import os
import unittest

import gb_wire

SMALL = gb_wire.Limits({"max_line_bytes": 100, "max_depth": 5})


class LimitsTest(unittest.TestCase):
    def test_gradebox_limits_or_the_defaults(self):
        limits = gb_wire.read_limits({"channel": {"max_line_bytes": 5, "max_depth": "x"}})
        self.assertEqual((limits.max_line_bytes, limits.max_depth), (5, 2000))
        limits = gb_wire.read_limits({"channel": {"max_line_bytes": True}})
        self.assertEqual((limits.max_line_bytes, limits.max_depth), (1 << 20, 2000))


class ParseTest(unittest.TestCase):
    def test_limits_refuse_before_parsing(self):
        self.assertEqual(gb_wire.parse_bounded(b'{"op":"x","a":[1]}', SMALL), (True, {"op": "x", "a": [1]}))
        self.assertFalse(gb_wire.parse_bounded(b"[" * 6 + b"]" * 6, SMALL)[0])
        self.assertTrue(gb_wire.parse_bounded(b'["[[[[[[[["]', SMALL)[0])  # brackets in strings
        self.assertTrue(gb_wire.parse_bounded(b'["\\\\", ["x"]]', SMALL)[0])  # an escaped backslash
        self.assertFalse(gb_wire.parse_bounded(b"x" * 101, SMALL)[0])
        self.assertFalse(gb_wire.parse_bounded(b"NaN", SMALL)[0])
        self.assertFalse(gb_wire.parse_bounded(b"\xff", SMALL)[0])

    def test_a_million_levels_are_refused_with_the_limit_named(self):
        ok, reason = gb_wire.parse_bounded(b"[" * 10**6 + b"]" * 10**6, gb_wire.Limits({"max_line_bytes": 4 << 20}))
        self.assertEqual((ok, reason), (False, "nested deeper than the 2000-level limit"))

    def test_the_declared_limits_hold_exactly(self):
        limits = gb_wire.Limits({"max_line_bytes": 8000})
        self.assertTrue(gb_wire.parse_bounded(b"[" * 2000 + b"]" * 2000, limits)[0])
        self.assertEqual(gb_wire.parse_bounded(b"[" * 2001 + b"]" * 2001, limits),
                         (False, "nested deeper than the 2000-level limit"))
        self.assertTrue(gb_wire.parse_bounded(b'"' + b"x" * 98 + b'"', SMALL)[0])  # 100 bytes
        self.assertEqual(gb_wire.parse_bounded(b'"' + b"x" * 99 + b'"', SMALL),
                         (False, "over the 100-byte line limit"))
        self.assertEqual(gb_wire.parse_bounded(b"[[1]", SMALL)[0], False)  # unparsable: a fail, named

    def test_depth_within_the_limit_parses_and_encodes_from_a_deep_stack(self):
        # The C scanner and encoder count levels against the recursion
        # limit: 2000 levels used to be "not JSON" (and ~990 levels failed
        # to encode a few calls deeper), a crash of the observer.
        def nested(calls):
            if calls:
                return nested(calls - 1)
            ok, value = gb_wire.parse_bounded(b"[" * 2000 + b"]" * 2000, gb_wire.Limits())
            return ok, gb_wire.dumps({"event": "test", "value": value})
        ok, text = nested(200)
        self.assertTrue(ok)
        self.assertEqual(text.count("["), 2000)

    def test_json_as_javascript_reads_it(self):
        self.assertEqual(gb_wire.loads(' {"a": [1, 2.5, "\\u00e9"]} '), {"a": [1, 2.5, "\u00e9"]})
        # {'a': 1} made the C scanner return NULL without an exception
        # (SystemError) when json.decoder was not imported: now a ValueError.
        for bad in ["NaN", "[Infinity]", "[1] x", "", "{'a': 1}", '{"a" 1}']:
            self.assertRaises(ValueError, gb_wire.loads, bad)
        self.assertEqual(gb_wire.dumps({"a": [1, None, True, "\u00e9\n"]}), '{"a":[1,null,true,"\u00e9\\n"]}')

    def test_depth_scan_sees_through_escaped_quotes(self):
        self.assertEqual(gb_wire.nesting_depth('"' + '\\"' * 200000, 10), 0)
        self.assertEqual(gb_wire.nesting_depth('["\\"[[[", [[1]]]', 10), 3)


class LineReaderTest(unittest.TestCase):
    def test_over_cap_lines_are_dropped_whole(self):
        reader = gb_wire.LineReader(gb_wire.Limits({"max_line_bytes": 10}))
        self.assertEqual(reader.push(b"abc\n0123456789012\nxy"), [b"abc", None])
        self.assertEqual(reader.push(b"z\n"), [b"xyz"])

    def test_a_line_is_never_buffered_past_the_cap(self):
        reader = gb_wire.LineReader(gb_wire.Limits({"max_line_bytes": 1024}))
        self.assertEqual(reader.push(b"a" * 1500), [])
        self.assertEqual(len(reader.pending), 0)
        self.assertEqual(reader.push(b"b\nok\npart"), [None, b"ok"])
        self.assertEqual(reader.push(b"ial\n"), [b"partial"])


class ChannelTest(unittest.TestCase):
    def test_an_over_cap_event_becomes_an_output_limit_marker(self):
        read, write = os.pipe()
        send = gb_wire.open_channel(SMALL, write)
        send({"event": "test", "id": "a", "status": "ok", "value": 1})
        send({"event": "test", "id": "b", "status": "ok", "value": "x" * 500})
        os.close(write)
        lines = [json.loads(line) for line in os.read(read, 4096).splitlines()]
        os.close(read)
        self.assertEqual(lines[0]["value"], 1)
        self.assertEqual((lines[1]["id"], lines[1]["status"]), ("b", "output-limit"))
        self.assertIn("100-byte channel line cap", lines[1]["message"])

    def test_an_event_nested_past_the_limit_becomes_an_output_limit_marker(self):
        read, write = os.pipe()
        send = gb_wire.open_channel(gb_wire.Limits({"max_depth": 5}), write)
        send({"event": "test", "id": "a", "status": "ok", "value": [[[1]]]})  # 4 levels with the event
        send({"event": "test", "id": "b", "status": "ok", "value": [[[[1]]]], "s": "[[[[[["})  # 5
        send({"event": "test", "id": "c", "status": "ok", "value": [[[[[1]]]]]})  # 6
        os.close(write)
        lines = [json.loads(line) for line in os.read(read, 4096).splitlines()]
        os.close(read)
        self.assertEqual([line["status"] for line in lines], ["ok", "ok", "output-limit"])
        self.assertIn("nested deeper than the 5-level channel limit", lines[2]["message"])


if __name__ == "__main__":
    unittest.main()
