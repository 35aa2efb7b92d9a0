# Run with SandboxSpec::guard_program: reports, as one JSON line on stdout,
# what the guard did to this process and what a child of the same uid (the
# answer, in a harness) can reach of it.
import ctypes, fcntl, json, os, subprocess, sys

PR_GET_DUMPABLE = 3
libc = ctypes.CDLL(None, use_errno=True)
CHILD = r"""
import json, os, sys
parent = os.getppid()
tried = {}
for what in ("mem", "fd/3", "environ"):
    try:
        with open(f"/proc/{parent}/{what}", "rb"):
            tried[what] = "opened"
    except OSError as e:
        tried[what] = type(e).__name__
try:
    os.fstat(3)
    tried["own fd 3"] = "open"
except OSError:
    tried["own fd 3"] = "closed"
tried["LD_PRELOAD"] = os.environ.get("LD_PRELOAD", "")
print(json.dumps(tried))
"""
child = subprocess.run(["/usr/bin/python3", "-I", "-S", "-c", CHILD], close_fds=False,
                       capture_output=True, text=True)
report = {
    "dumpable": libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0),
    "channel_cloexec": bool(fcntl.fcntl(3, fcntl.F_GETFD) & fcntl.FD_CLOEXEC),
    "LD_PRELOAD": os.environ.get("LD_PRELOAD", ""),
    "child": json.loads(child.stdout or "{}"),
    "child_stderr": child.stderr[-500:],
}
os.write(3, b'{"event": "done"}\n')
print(json.dumps(report))
