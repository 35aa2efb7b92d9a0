"""Observer side: the CPU time of everything the answer runs, from the kernel.

Trusted: runs in the observer (gbharness), never in an answer process. The
observer is a child subreaper (gb_guard), so every process the answer
starts stays among the observer's descendants even when its parent dies.
The answer's CPU is then, at any moment,

    sum over live (or zombie) descendants of their own CPU
        + their reaped children's (cutime/cstime)
    + what the observer itself reaped (getrusage RUSAGE_CHILDREN)

which no answer process can lower: it cannot hide work in a decoy, a
grandchild, a thread or an orphan, and it reports no number of its own.
A process's own CPU is the larger of its main thread's schedstat (ns) and
its stat utime+stime (ticks, all threads), so a single-threaded test is
measured to the microsecond and a threaded one to a tick.
"""

import os
import resource
import signal

_CLK_TCK = os.sysconf("SC_CLK_TCK")
_listdir, _getpid = os.listdir, os.getpid


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _stat_fields(pid):
    """Fields of /proc/<pid>/stat after the command name, or None."""
    data = _read(f"/proc/{pid}/stat")
    if data is None:
        return None
    return data.rsplit(b")", 1)[-1].split()


def _own_cpu(pid, fields):
    """CPU seconds of `pid` itself (see the module docstring)."""
    try:
        ticks = (int(fields[11]) + int(fields[12])) / _CLK_TCK
    except (ValueError, IndexError):
        ticks = 0.0
    data = _read(f"/proc/{pid}/schedstat")
    try:
        precise = int(data.split()[0]) / 1e9 if data else 0.0
    except (ValueError, IndexError):
        precise = 0.0
    return max(ticks, precise)


def _children_cpu(fields):
    try:
        return (int(fields[13]) + int(fields[14])) / _CLK_TCK
    except (ValueError, IndexError):
        return 0.0


def descendants(root=None):
    """{pid: stat fields} of every descendant of `root` (default: self)."""
    root = _getpid() if root is None else root
    parents = {}
    for name in _listdir("/proc"):
        # In the box /proc holds the init (1), the observer and the answer's
        # processes: the first two are never descendants, so not read.
        if name.isdigit() and name != "1" and int(name) != root:
            fields = _stat_fields(name)
            if fields is not None and len(fields) > 14:
                parents[int(name)] = fields
    found, frontier = {}, {root}
    while frontier:
        frontier = {pid for pid, fields in parents.items()
                    if int(fields[1]) in frontier and pid not in found}
        for pid in frontier:
            found[pid] = parents[pid]
    return found


def _reaped_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def answer_cpu(processes=None):
    """Total CPU seconds of the observer's descendants, alive or reaped."""
    processes = descendants() if processes is None else processes
    total = _reaped_cpu()
    for pid, fields in processes.items():
        total += _own_cpu(pid, fields) + _children_cpu(fields)
    return total


def kill_all_but(keep):
    """SIGKILLs every descendant except the pids in `keep`, until none is
    left (a process may fork while it is being killed). Returns whether
    any was found."""
    found = False
    for _ in range(20):
        victims = [pid for pid, fields in descendants().items()
                   if pid not in keep and fields[0] != b"Z"]
        if not victims:
            return found
        found = True
        for pid in victims:
            for kill in (lambda: os.killpg(pid, signal.SIGKILL),
                         lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    kill()
                except OSError:
                    pass
        reap_orphans(keep)
    return found


def reap_orphans(keep):
    """Reaps ended children that are not in `keep` (orphans reparented to
    the observer); their CPU moves into RUSAGE_CHILDREN, still counted."""
    try:
        while True:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            if info is None or info.si_pid in keep:
                return
            os.waitpid(info.si_pid, 0)
    except ChildProcessError:
        return
