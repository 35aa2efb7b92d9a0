"""Fork server for one trusted task script (a check.py or probe.py), run by gradebox
outside the sandbox: `python3 -I -S gb_script_server.py SCRIPT`.

It compiles SCRIPT and runs its module level once (imports, definitions;
`__name__` is not "__main__", so its main does not run), then answers
requests on fd 0 / fd 1. Each request runs the script afresh, as
`python3 -I -S SCRIPT < request` would, in a forked child with a fresh
global namespace: no state passes from one request to the next, and a
child that crashes or is killed leaves the server running. What is saved
is the interpreter's start and the imports, ~25-40 ms per call.

The server and its children stay on the host's network: a script that must
reach a sandbox's servers (a probe) is started inside that network by
gradebox, through the sandbox's interface, and never comes here.

Protocol (bytes, over a Unix socket on fd 0 and fd 1):
                  request  b"<n>\\n" + n bytes of stdin;
                  response b"<exit> <n_out> <n_err>\\n" + stdout + stderr.
EOF on fd 0 ends the server.
"""
import builtins
import io
import os
import sys
import traceback


MAX_HEADER = 32  # digits of a size and a newline, with room to spare


def read_exact(n):
    chunks = []
    while n > 0:
        chunk = os.read(0, min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_request():
    """The request's stdin bytes, or None at EOF (or off the protocol: the
    server ends, and gradebox runs the script afresh)."""
    header = b""
    while not header.endswith(b"\n"):
        byte = os.read(0, 1)
        if not byte or len(header) >= MAX_HEADER:
            return None
        header += byte
    size = header.strip()
    if not size.isdigit():
        return None
    return read_exact(int(size))


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def exit_status(code):
    """What the interpreter's exit status would be for sys.exit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def run_script(code, path, payload):
    """Runs the script as __main__ with payload as stdin; (status, out, err)."""
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.TextIOWrapper(io.BytesIO(payload), encoding="utf-8", errors="surrogateescape")
    sys.stdout, sys.stderr = out, err
    sys.argv = [path]
    status = 0
    try:
        exec(code, {"__name__": "__main__", "__file__": path, "__builtins__": builtins})
    except SystemExit as e:
        status = exit_status(e.code)
    except BaseException:  # noqa: B036 - the script's own failure is its exit 1
        traceback.print_exc()
        status = 1
    encode = lambda s: s.encode("utf-8", "surrogateescape")  # noqa: E731
    return status, encode(out.getvalue()), encode(err.getvalue())


def response(status, out, err):
    return b"%d %d %d\n" % (status, len(out), len(err)) + out + err


def complete(reply):
    """Whether reply is one whole response (a child killed mid-write is not)."""
    header, newline, rest = reply.partition(b"\n")
    fields = header.split()
    return bool(newline) and len(fields) == 3 and len(rest) == int(fields[1]) + int(fields[2])


def child(code, path, payload, fd):
    try:
        reply = response(*run_script(code, path, payload))
    except BaseException:  # noqa: B036 - never return into the server's loop
        reply = response(1, b"", b"gb_script_server: the request could not run\n")
    try:
        write_all(fd, reply)
    finally:
        os._exit(0)


def serve_one(code, path, payload):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        # The script's process must not reach the protocol's socket (fd 0/1).
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.close(null)
        child(code, path, payload, write_end)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        reply = pipe.read()
    _, wait_status = os.waitpid(pid, 0)
    if not complete(reply):  # killed before it could answer
        status = 128 + os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) else 1
        reply = response(status, b"", b"gb_script_server: the script's process died\n")
    write_all(1, reply)


def preload(code, path):
    """Runs the module level once for its imports. fd 0 and fd 1 carry the
    protocol, so it sees an empty stdin and prints to stderr; whatever it
    raises only means less was preloaded."""
    real = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(), sys.stderr
    try:
        exec(code, {"__name__": "__gb_preload__", "__file__": path, "__builtins__": builtins})
    except BaseException:  # noqa: B036
        pass
    sys.stdin, sys.stdout = real


def main():
    os.setpgid(0, 0)  # gradebox ends the server and a running child together
    path = os.path.abspath(sys.argv[1])
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec")
    preload(code, path)
    while True:
        payload = read_request()
        if payload is None:
            return
        serve_one(code, path, payload)


if __name__ == "__main__":
    main()
