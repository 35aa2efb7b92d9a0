"""Strict conversion of an answer's result into plain JSON text.

Used on both sides: the test child copies and encodes results with it
(untrusted there), the observer encodes its events with it (trusted) and
re-checks every line it reads (gb_observe).

Only exact `list`, `dict` (str keys), `str`, `int`, `float` (finite), `bool`
and `None` cross the trust boundary: `type(x) is list`, never isinstance, so a
list subclass with an always-true __eq__ or a custom __iter__ is reported as
unserializable instead of being trusted. The value is copied into fresh
objects while it is checked, then encoded by the C encoder, so no answer code
runs during encoding. The walk is iterative: deep nesting and cycles cannot
blow the serializer's own stack.
"""

import hashlib as _hashlib
import json as _json

# Captured before the answer loads, so a patched builtin or json cannot
# change what the test child does (hygiene: the observer re-checks its lines).
_type, _id, _iter, _len = type, id, iter, len
_list, _dict, _str, _int, _float, _bool = list, dict, str, int, float, bool
_NoneType = type(None)
_type_name_of = type.__dict__["__name__"].__get__
_str_encode = str.encode
_sha256 = _hashlib.sha256
_INF = float("inf")
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1
_encode = _json.JSONEncoder(ensure_ascii=True, allow_nan=False,
                            check_circular=False,
                            separators=(",", ":")).encode


class Unserializable(Exception):
    """The value is not plain data; `type_name` says what was found."""

    def __init__(self, type_name, reason=""):
        super().__init__(type_name)
        self.type_name = type_name
        self.reason = reason


class TooLarge(Exception):
    """The value has more nodes or bytes than the harness will carry."""


def type_name(value):
    """The class name of `value`, without calling answer code."""
    try:
        name = _type_name_of(_type(value), type)
    except Exception:  # noqa: BLE001 - any failure just means "unknown"
        return "<unknown>"
    return name[:100] if _type(name) is _str else "<unknown>"


def _check_atom(value):
    """Raises Unserializable unless `value` is a plain JSON scalar."""
    kind = _type(value)
    if kind is _str:
        try:
            _str_encode(value, "utf-8")
        except UnicodeEncodeError:
            raise Unserializable("str", "lone surrogate") from None
    elif kind is _int:
        if value < _INT_MIN or value > _INT_MAX:
            raise Unserializable("int", "too large for JSON")
    elif kind is _float:
        if value != value or value == _INF or value == -_INF:
            raise Unserializable("float", "not finite")
    elif kind is not _bool and kind is not _NoneType:
        raise Unserializable(type_name(value), "not plain data")


def _homogeneous_copy(items):
    """A checked copy of a list of one scalar type (C-speed checks), or None.

    Big flat results are common (large-input tests); checking them one item
    at a time in Python would cost more than the answer's own work.
    """
    kinds = set(map(_type, items))
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind is _int:
        if min(items) < _INT_MIN or max(items) > _INT_MAX:
            return None  # the slow path names the problem
    elif kind is _str:
        try:
            _str_encode("".join(items), "utf-8")
        except UnicodeEncodeError:
            return None
    elif kind is _float:
        if not _isfinite_all(items):
            return None
    elif kind is not _bool and kind is not _NoneType:
        return None
    return items[:]


def _isfinite_all(items):
    total = 0.0
    for item in items:
        total += item * 0.0  # nan * 0 and inf * 0 are nan
    return total == 0.0


def to_plain(value, max_nodes=2_000_000, max_depth=800):
    """A fresh copy of `value` made only of exact JSON types.

    Raises Unserializable (wrong type, cycle, too deep) or TooLarge.
    """
    root = []
    # Each frame: (id of the source container, iterator over it, copy, is_dict).
    stack = [(None, _iter((value,)), root, False)]
    on_path = set()
    nodes = 0
    while stack:
        source_id, items, copy, is_dict = stack[-1]
        for item in items:
            if is_dict:
                key, item = item
                if _type(key) is not _str:
                    raise Unserializable("dict", "key of type " + type_name(key))
            nodes += 1
            if nodes > max_nodes:
                raise TooLarge(f"more than {max_nodes} values")
            kind = _type(item)
            if kind is _list and _len(item) > 16:
                flat = _homogeneous_copy(item)
                if flat is not None:
                    nodes += _len(flat)
                    if nodes > max_nodes:
                        raise TooLarge(f"more than {max_nodes} values")
                    _store(copy, is_dict, key if is_dict else None, flat)
                    continue
            if kind is _list or kind is _dict:
                if _id(item) in on_path:
                    raise Unserializable(type_name(item), "cycle")
                if _len(stack) > max_depth:
                    raise Unserializable(type_name(item), f"nested deeper than {max_depth}")
                child = _list() if kind is _list else _dict()
                _store(copy, is_dict, key if is_dict else None, child)
                on_path.add(_id(item))
                children = _iter(item) if kind is _list else _iter(_dict.items(item))
                stack.append((_id(item), children, child, kind is _dict))
                break
            _check_atom(item)
            _store(copy, is_dict, key if is_dict else None, item)
        else:
            stack.pop()
            on_path.discard(source_id)
    return root[0]


def _store(container, is_dict, key, item):
    if is_dict:
        container[key] = item
    else:
        container.append(item)


def dumps_plain(plain):
    """JSON text of a value already returned by to_plain."""
    return _encode(plain)


DIGEST_HEAD = 5  # items of a list shown beside its digest, to name a difference


def digest_plain(plain):
    """A value already returned by to_plain, as its digest: the sha256 of its
    JSON text (what the checker compares with the expectation's), plus for a
    list its length and first items. A 200,000-item result then crosses to
    gradebox as ~150 bytes instead of ~1.3 MB to encode, parse and compare."""
    digest = {"sha256": _sha256(_str_encode(dumps_plain(plain), "ascii")).hexdigest()}
    if _type(plain) is _list:
        digest["length"] = _len(plain)
        digest["head"] = plain[:DIGEST_HEAD]
    return digest


def to_json_text(value, max_nodes=2_000_000, max_depth=800, max_bytes=8 << 20):
    """Checks, copies and encodes `value`; raises Unserializable or TooLarge."""
    text = dumps_plain(to_plain(value, max_nodes, max_depth))
    if _len(text) > max_bytes:
        raise TooLarge(f"more than {max_bytes} bytes of JSON")
    return text


class RawJSON:
    """JSON text already checked to be one strict value on one ASCII line.

    Carried into an event as is, so a big value is parsed once (to check it)
    and never re-encoded.
    """

    def __init__(self, text):
        self.text = text


def encode_event(event):
    """One JSON line for `event`; RawJSON members are spliced in verbatim."""
    raw = [(key, value) for key, value in event.items() if isinstance(value, RawJSON)]
    text = _encode({key: value for key, value in event.items()
                    if not isinstance(value, RawJSON)})
    if not raw:
        return text
    spliced = "".join(f",{_encode(key)}:{value.text}" for key, value in raw)
    return text[:-1] + spliced + "}"
