"""Literal data in the answer's code: arrays of object literals.

Pure functions over the answer's text as extraction wrote it (the trusted
side's copy, never anything the answer's process reports). Only plain
literals count: strings without interpolation, numbers, true/false/null,
nested arrays and objects of those. An array holding anything else (a call,
a variable, a spread, `new Date()`) is not data the prober can know, and is
skipped. The work is bounded whatever the text holds.
"""

import re

MAX_STEPS = 100_000  # tokens, over all texts: a few ms for real answers
MAX_TEXT = 200_000  # characters read, over all texts (answers are far smaller)
MAX_DEPTH = 16
MAX_ARRAYS = 50
IDENT = re.compile(r"[A-Za-z_$][\w$]*")
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
STRINGS = {  # unrolled loops: linear, and fast on long text
    "'": re.compile(r"'([^'\\\n]*(?:\\.[^'\\\n]*)*)'", re.S),
    '"': re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"', re.S),
    "`": re.compile(r"`([^`\\$]*(?:(?:\\.|\$(?!\{))[^`\\$]*)*)`", re.S),
}
ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[ux]|.)", re.S)
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
WORDS = {"true": True, "false": False, "null": None}


class NotLiteral(Exception):
    pass


class OutOfSteps(Exception):
    pass


def object_arrays(texts):
    """Every array of object literals found in `texts`, as lists of dicts
    (JSON-like values; integral numbers as int), in the order they appear."""
    found, steps, room = [], MAX_STEPS, MAX_TEXT
    for text in texts:
        text, room = text[:room], room - len(text[:room])
        parser = _Parser(text, steps)
        try:
            parser.arrays(MAX_ARRAYS - len(found))
        except OutOfSteps:
            pass  # what was found before the budget ran out stands
        found += parser.found
        steps = parser.steps
        if len(found) >= MAX_ARRAYS or steps <= 0 or room <= 0:
            break
    return found


class _Parser:
    def __init__(self, text, steps):
        self.text, self.pos, self.steps = text, 0, steps
        self.found = []

    def arrays(self, limit):
        found, start = self.found, self.text.find("[")
        while start != -1 and len(found) < limit:
            self.pos = start + 1
            self._space()
            if self.pos < len(self.text) and self.text[self.pos] == "{":
                self.pos = start
                try:
                    value = self._array(0)
                    if value and all(isinstance(item, dict) for item in value):
                        found.append(value)
                        start = self.text.find("[", self.pos)
                        continue
                except NotLiteral:
                    pass
            start = self.text.find("[", start + 1)

    def _tick(self):
        self.steps -= 1
        if self.steps < 0:
            raise OutOfSteps()

    def _space(self):
        self._tick()
        match = SPACE.match(self.text, self.pos)
        self.pos = match.end()
        if self.text.startswith("/*", self.pos):
            raise NotLiteral()  # an unterminated comment

    def _peek(self):
        self._space()
        if self.pos >= len(self.text):
            raise NotLiteral()
        return self.text[self.pos]

    def _value(self, depth):
        if depth > MAX_DEPTH:
            raise NotLiteral()
        char = self._peek()
        if char == "[":
            return self._array(depth + 1)
        if char == "{":
            return self._object(depth + 1)
        if char in "'\"`":
            return self._string(char)
        match = NUMBER.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return _number(match.group())
        match = IDENT.match(self.text, self.pos)
        if match and match.group() in WORDS:
            self.pos = match.end()
            return WORDS[match.group()]
        raise NotLiteral()

    def _array(self, depth):
        self.pos += 1  # [
        items = []
        while self._peek() != "]":
            items.append(self._value(depth))
            if not self._comma("]"):
                break
        self.pos += 1
        return items

    def _object(self, depth):
        self.pos += 1  # {
        fields = {}
        while self._peek() != "}":
            key = self._key()
            if self._peek() != ":":
                raise NotLiteral()  # shorthand `{ name }` or a method
            self.pos += 1
            fields[key] = self._value(depth)
            if not self._comma("}"):
                break
        self.pos += 1
        return fields

    def _comma(self, closing):
        """True after a comma; False before the closing bracket."""
        char = self._peek()
        if char == ",":
            self.pos += 1
            return True
        if char == closing:
            return False
        raise NotLiteral()

    def _key(self):
        char = self._peek()
        if char in "'\"":
            return self._string(char)
        match = IDENT.match(self.text, self.pos) or NUMBER.match(self.text, self.pos)
        if not match:
            raise NotLiteral()
        self.pos = match.end()
        return match.group()

    def _string(self, quote):
        self._tick()
        match = STRINGS[quote].match(self.text, self.pos)
        if not match:
            raise NotLiteral()  # unterminated, or a template with ${...}
        self.pos = match.end()
        body = match.group(1)
        return ESCAPE.sub(_unescape, body) if "\\" in body else body


def _unescape(match):
    char = match.group(1)
    if char in ESCAPES:
        return ESCAPES[char]
    if char[0] in "ux":
        if len(char) == 1:
            raise NotLiteral()
        return chr(int(char[1:], 16))
    return "" if char == "\n" else char


def _number(text):
    value = float(text)
    if value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return value
