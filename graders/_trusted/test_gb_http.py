"""Unit tests of the probers' loopback HTTP client against small local servers.

    /usr/bin/python3 -B -m pytest -q graders/_trusted/test_gb_http.py
"""
import os
import socket
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gb_http  # noqa: E402


class OneShotServer:
    """Accepts one connection, reads the request head, sends `reply` bytes
    (None: sends nothing and holds the connection), then closes."""

    def __init__(self, reply):
        self.sock = socket.socket()
        self.sock.bind((gb_http.LOOPBACK, 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.reply = reply
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.sock.accept()
        with conn:
            conn.recv(65536)
            if self.reply is None:
                self.release.wait(5)
            else:
                conn.sendall(self.reply)

    def close(self):
        self.release.set()
        self.thread.join(5)
        self.sock.close()


def http_reply(body, extra=b""):
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra + \
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


class ExchangeTest(unittest.TestCase):
    def get(self, reply, max_body=16, timeout=2.0):
        server = OneShotServer(reply)
        try:
            return gb_http.get(gb_http.LOOPBACK, server.port, "/users", timeout, max_body)
        finally:
            server.close()

    def test_a_body_at_the_limit_is_whole_and_not_over(self):
        got = self.get(http_reply(b"x" * 16))
        self.assertEqual((got.status, got.body, got.over, got.failure), (200, b"x" * 16, False, None))
        self.assertEqual(got.header("content-type"), "application/json")

    def test_a_body_one_byte_over_the_limit_is_over_and_cut(self):
        got = self.get(http_reply(b"x" * 17))
        self.assertTrue(got.over)
        self.assertEqual(len(got.body), 17)

    def test_an_endless_body_is_read_only_to_the_limit(self):
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n"
        got = self.get(head + b"y" * 4096, max_body=1024)
        self.assertTrue(got.over)
        self.assertEqual(len(got.body), 1025)

    def test_repeated_header_fields_join_as_getheader_joins_them(self):
        got = self.get(http_reply(b"[]", b"X-Tag: a\r\nX-Tag: b\r\n"))
        self.assertEqual(got.header("X-Tag"), "a, b")

    def test_bytes_that_are_not_http_are_a_bad_response(self):
        got = self.get(b"hello, this is not HTTP\r\n\r\n")
        self.assertIsNone(got.status)
        self.assertEqual(got.failure, "bad-response")
        self.assertTrue(got.error)

    def test_a_server_that_never_answers_is_a_timeout(self):
        got = self.get(None, timeout=0.2)
        self.assertEqual(got.failure, "timeout")
        self.assertIn("timed out", got.error)

    def test_nothing_listening_is_refused(self):
        free = socket.socket()
        free.bind((gb_http.LOOPBACK, 0))
        port = free.getsockname()[1]
        free.close()
        self.assertEqual(gb_http.get(gb_http.LOOPBACK, port, "/", 1.0, 16).failure, "refused")
        self.assertFalse(gb_http.accepts(gb_http.LOOPBACK, port, 0.2))

    def test_accepts_sees_a_listener(self):
        server = OneShotServer(b"")
        try:
            self.assertTrue(gb_http.accepts(gb_http.LOOPBACK, server.port, 1.0))
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
