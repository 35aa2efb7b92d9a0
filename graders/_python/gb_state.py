"""Can the next test run in the same child? A fingerprint of answer state.

Runs in the test child (untrusted): a wrong answer here only changes how
many tests share a child, never what the observer measures or writes.

A child may run several cheap tests in a row (gb_child.run_batch) only if
the earlier ones left nothing behind that a fresh fork would not have. The
fingerprint walks everything the answer can reach and keep between calls:
its module globals, function defaults, closures and attributes, its classes
and their instances, down through plain containers. It records every object
in every slot (by identity, holding a reference so no id is reused) and
every container's length. Plus process state an honest answer may touch:
threads, child processes, timers, common signal handlers, tracing, sys
attributes, imports, the working directory.

Anything the walk cannot see into (a deque, an iterator, an lru_cache, a
Random, an instance of a class with a C base) makes `capture` return None:
the caller then gives every test its own child, as without batching. The
walk never calls answer code: exact type checks, gc.get_referents and
dict iteration only.
"""

import _thread
import gc
import os
import signal
import sys
import types

_type, _id, _len = type, id, len
_list, _tuple, _dict, _set, _frozenset = list, tuple, dict, set, frozenset
_referents, _dict_items = gc.get_referents, dict.items
_type_module = type.__dict__["__module__"].__get__
_mro_of = type.__dict__["__mro__"].__get__
_module_dict = types.ModuleType.__dict__["__dict__"].__get__
_ANSWER_MODULE = "answer"
MAX_NODES = 20_000

# Followed through gc.get_referents: their whole state is object references.
_FOLLOWED = {_list, _tuple, _set, _frozenset, types.FunctionType, types.CellType,
             types.MethodType, staticmethod, classmethod, property,
             types.BuiltinFunctionType}  # a builtin bound to a list: `push = out.append`
# Immutable, or the interpreter's own: recorded by identity, not entered.
_ATOMS = {int, float, complex, str, bytes, bool, type(None), type(...), type(NotImplemented),
          types.CodeType, range, types.GetSetDescriptorType, types.MemberDescriptorType,
          types.WrapperDescriptorType, types.MethodDescriptorType, types.GenericAlias,
          types.UnionType, types.ModuleType}
_PLAIN = {int, float, str, bool, tuple}
_WATCHED_SIGNALS = [getattr(signal, name) for name in (
    "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGINT", "SIGTERM", "SIGHUP", "SIGUSR1",
    "SIGUSR2", "SIGCHLD", "SIGPIPE", "SIGXCPU", "SIGSEGV") if hasattr(signal, name)]


class Unknown(Exception):
    """The walk met an object whose state it cannot see."""


def _module_of(kind):
    name = _type_module(kind)
    return name if _type(name) is str else ""


def _is_answer_class(kind):
    return _module_of(kind) == _ANSWER_MODULE


def _is_answer_instance(kind):
    # Every class in its MRO is the answer's (or object): no hidden C state.
    return all(base is object or _is_answer_class(base) for base in _mro_of(kind))


def _children(value, kind):
    """Objects `value` refers to, or None for a leaf; raises Unknown."""
    if kind is _dict:
        # Explicit: dict traversal skips str keys, and keys matter.
        return [item for pair in _dict_items(value) for item in pair]
    if kind in _FOLLOWED:
        return _referents(value)
    if kind in _ATOMS:
        return None
    if type in _mro_of(kind):  # a class; another module's: identity only
        return _referents(value) if _is_answer_class(value) else None
    if _is_answer_instance(kind):
        return _referents(value)
    if _module_of(kind) == "typing":
        return None  # annotations: List[Any], Optional[int]
    raise Unknown(_module_of(kind))


def _walk(roots, builtins_dict):
    """(objects in slot order, container lengths), or raises Unknown."""
    trail, sizes = [], []
    seen = {_id(builtins_dict)}  # builtins: checked shallowly below
    stack = list(roots)
    while stack:
        value = stack.pop()
        kind = _type(value)
        children = _children(value, kind)
        if children is None:
            continue
        if kind is _list or kind is _dict or kind is _set:
            sizes.append(_len(value))
        for child in children:
            trail.append(child)
            if _id(child) not in seen:
                seen.add(_id(child))
                stack.append(child)
        if _len(trail) > MAX_NODES:
            raise Unknown("too much state to compare")
    return trail, sizes


def _has_child_processes():
    try:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return False
    return True  # it forked, and the fork may outlive the test


def _process_state():
    timers = tuple(signal.getitimer(which) for which in
                   (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF))
    handlers = tuple(signal.getsignal(number) for number in _WATCHED_SIGNALS)
    return [_thread._count(), _has_child_processes(), timers, *handlers,
            sys.gettrace(), sys.getprofile(),
            gc.isenabled(), _len(sys.modules), os.getcwd(), sys.getswitchinterval()]


class Snapshot:
    def __init__(self, trail, sizes, builtins_values, sys_values, process):
        self.trail, self.sizes = trail, sizes
        self.builtins_values, self.sys_values = builtins_values, sys_values
        self.process = process


def capture(roots, builtins_dict):
    """A Snapshot of what `roots` reach, or None if it cannot be compared.

    A module among `roots` stands for its namespace (elsewhere modules are
    only recorded by identity).
    """
    roots = [_module_dict(root) if _type(root) is types.ModuleType else root for root in roots]
    try:
        trail, sizes = _walk(roots, builtins_dict)
        return Snapshot(trail, sizes, _list(builtins_dict.values()),
                        _list(sys.__dict__.values()), _process_state())
    except (Unknown, RecursionError, MemoryError, ValueError):
        return None


def _same_objects(first, second):
    return _len(first) == _len(second) and all(a is b for a, b in zip(first, second))


def _same_values(first, second):
    """Like _same_objects, but equal plain values (a float timer) count."""
    return _len(first) == _len(second) and all(
        a is b or (_type(a) is _type(b) and _type(a) in _PLAIN and a == b)
        for a, b in zip(first, second))


def unchanged(before, after):
    """True if `after` shows exactly the state `before` recorded."""
    return after is not None and before.sizes == after.sizes and \
        _same_values(before.process, after.process) and \
        _same_objects(before.trail, after.trail) and \
        _same_objects(before.builtins_values, after.builtins_values) and \
        _same_objects(before.sys_values, after.sys_values)
