"""Finds the function a task calls, by a rule the task supplies.

Runs in the answer's process (gb_answer), never in the observer; the
observer only reads the resulting label, as bounded text.

Order (first match wins):
1. a top-level callable whose name contains `rule.name_contains`
   (case-insensitive), preferring one that accepts `rule.positional_args`
   positional arguments, in the order the answer defined them;
2. a top-level class with a method whose name contains
   `rule.method_contains`: a staticmethod/classmethod is called on the
   class, an instance method on `Class()`; a method taking no arguments
   besides self on `Class(*args)`;
3. if `rule.single_function_fallback`: the only function defined in the
   answer that takes exactly `rule.positional_args` required positional
   arguments;
4. a name match from 1 that does not accept those arguments (the call then
   fails and is reported as an error).
"""

import types

# inspect costs ~6 ms to import (dis, tokenize...): it is loaded only for
# what _plain_arity cannot read (methods, wrappers, other callables).
_CO_VARARGS = 0x04


class EntryRule:
    def __init__(self, name_contains, method_contains=None, positional_args=1,
                 single_function_fallback=True):
        self.name_contains = name_contains.lower()
        self.method_contains = (method_contains or name_contains).lower()
        self.positional_args = positional_args
        self.single_function_fallback = single_function_fallback


class Entry:
    """How to call the entry point: `call(args)` returns its result."""

    def __init__(self, label, target, construct_with_args=False):
        self.label = label
        self._target = target
        self._construct_with_args = construct_with_args

    def target_objects(self):
        """What the call reaches (for gb_state): a function, bound method
        or (class, method name)."""
        return self._target

    def call(self, args):
        if self._construct_with_args:
            owner, method_name = self._target
            return getattr(owner(*args), method_name)()
        return self._target(*args)


def _plain_arity(func):
    """_arity of a plain function from its code object, as inspect.signature
    reads it; None if inspect must decide (wrapped, or a custom signature)."""
    if type(func) is not types.FunctionType or "__wrapped__" in func.__dict__ or \
            "__signature__" in func.__dict__:
        return None
    code = func.__code__
    positional = code.co_argcount  # positional-only ones included
    names = code.co_varnames[positional:positional + code.co_kwonlyargcount]
    if any(name not in (func.__kwdefaults__ or {}) for name in names):
        return False  # a required keyword-only argument
    required = max(0, positional - len(func.__defaults__ or ()))
    return required, None if code.co_flags & _CO_VARARGS else positional


def _arity(func):
    """(required positional, max positional or None for *args), or None."""
    plain = _plain_arity(func)
    if plain is not None:
        return plain or None
    import inspect  # noqa: PLC0415 - see _CO_VARARGS
    kind = inspect.Parameter
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is kind.KEYWORD_ONLY and p.default is kind.empty for p in params):
        return None
    positional = [p for p in params if p.kind in (kind.POSITIONAL_ONLY, kind.POSITIONAL_OR_KEYWORD)]
    required = sum(1 for p in positional if p.default is kind.empty)
    varargs = any(p.kind is kind.VAR_POSITIONAL for p in params)
    return required, None if varargs else len(positional)


def _accepts(func, count):
    arity = _arity(func)
    if arity is None:
        return False
    required, most = arity
    return required <= count and (most is None or most >= count)


def _is_function_like(value):
    return callable(value) and not isinstance(value, (type, types.ModuleType))


def _named(namespace, rule):
    return [(name, value) for name, value in namespace.items()
            if rule.name_contains in name.lower() and _is_function_like(value)]


def _by_name(namespace, rule):
    for name, value in _named(namespace, rule):
        if _accepts(value, rule.positional_args):
            return Entry(name, value)
    return None


def _by_name_any_arity(namespace, rule):
    named = _named(namespace, rule)
    return Entry(named[0][0], named[0][1]) if named else None


def _method_entry(cls, name, rule):
    import inspect  # noqa: PLC0415 - see _CO_VARARGS
    raw = inspect.getattr_static(cls, name)
    label = f"{cls.__name__}.{name}"
    if isinstance(raw, (staticmethod, classmethod)):
        return Entry(label, getattr(cls, name))
    if not isinstance(raw, types.FunctionType):
        return None
    unbound = _arity(raw)
    if unbound is not None and unbound[0] == 1 and unbound[1] == 1:
        # def flatten(self): the data comes through the constructor.
        return Entry(f"{cls.__name__}(args).{name}", (cls, name), True)
    try:
        instance = cls()
    except Exception:  # noqa: BLE001 - a class we cannot build is no entry
        return None
    return Entry(f"{cls.__name__}().{name}", getattr(instance, name))


def _by_class(namespace, rule):
    for value in list(namespace.values()):
        if not isinstance(value, type) or value.__module__ != "answer":
            continue
        for name in dir(value):
            if rule.method_contains in name.lower() and not name.startswith("__"):
                entry = _method_entry(value, name, rule)
                if entry is not None:
                    return entry
    return None


def _by_single_function(namespace, rule):
    matches = []
    for name, value in namespace.items():
        if isinstance(value, types.FunctionType) and value.__module__ == "answer":
            arity = _arity(value)
            if arity is not None and arity[0] == rule.positional_args:
                matches.append(Entry(name, value))
    return matches[0] if len(matches) == 1 else None


def find_entry(namespace, rule):
    """The Entry for `rule` in the module namespace, or None."""
    finders = [_by_name, _by_class]
    if rule.single_function_fallback:
        finders.append(_by_single_function)
    # Last resort: a name match that will fail on the call (reported as an
    # error), which says more than "no entry point".
    finders.append(_by_name_any_arity)
    for finder in finders:
        entry = finder(namespace, rule)
        if entry is not None:
            return entry
    return None


def defined_functions(namespace):
    """Names of the functions and classes the answer defined, in order."""
    return [name for name, value in namespace.items()
            if isinstance(value, (types.FunctionType, type))
            and getattr(value, "__module__", None) == "answer"][:50]
