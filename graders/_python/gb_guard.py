"""prctl for the observer (trusted) and for the answer's process it forks.

The lead's LD_PRELOAD observer guard already makes the harness process
non-dumpable before main; calling prctl here again is a belt that also
holds when the harness runs without it (devgrade, unit tests). Non-dumpable
means no process of the same uid can open /proc/<observer>/mem or
/proc/<observer>/fd/*. The observer is also a child subreaper, so an
answer process whose parent dies is reparented to the observer, where
gb_meter still counts its CPU and the observer can kill it.

A fork inherits non-dumpable; the answer's process sets itself dumpable
again (it holds nothing of the observer's) so that it can read its test
children's /proc/<pid>/syscall, as before the split.
"""

_PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 4, 36
_libc = None


def _prctl(option, value):
    global _libc
    try:
        if _libc is None:
            import ctypes  # noqa: PLC0415 - ~3 ms, paid by the observer only
            _libc = ctypes.CDLL(None, use_errno=True)
        return _libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError, ImportError):
        return False


def protect_observer():
    """Non-dumpable and child subreaper; returns whether both took."""
    return _prctl(_PR_SET_DUMPABLE, 0) & _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def release_answer_process():
    """In the forked answer process: dumpable again (see the docstring)."""
    _prctl(_PR_SET_DUMPABLE, 1)
