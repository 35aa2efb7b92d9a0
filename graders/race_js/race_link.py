"""The observer's end of the runner (trusted; runs in harness.py).

Starts race_runner.js as a separate node process in a new session (its own
process group), with three pipes and nothing else: subprocess closes every
other descriptor in the child (close_fds), so the channel (fd 3) never
reaches it whatever its close-on-exec flag. Reads what the runner writes as
bounded lines (race_wire), writes commands to its stdin, and reads its CPU
time from the kernel (/proc/<pid>/schedstat), never from the runner.
"""

import json
import os
import select
import signal
import subprocess

from race_wire import LineReader, parse_bounded

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "race_runner.js")
NODE = "/usr/bin/node"
# The runner's second line of defence (see race_runner.js); the observer
# believes nothing it says beyond "the answer made this call".
NODE_FLAGS = ["--experimental-vm-modules", "--disallow-code-generation-from-strings", "--frozen-intrinsics",
              "--no-warnings"]
RUNNER_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
MESSAGE_DEPTH = 64  # the runner's serializer nests at most ~30 levels
READ_BYTES = 1 << 16


class RunnerProcess:
    def __init__(self, answer_file, limits, runner_file=RUNNER):
        self.max_line_bytes, max_depth = limits
        self.max_depth = min(max_depth, MESSAGE_DEPTH)
        self.reader = LineReader(self.max_line_bytes)
        self.proc = subprocess.Popen(
            [NODE, *NODE_FLAGS, runner_file, answer_file], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True, env=RUNNER_ENV, cwd="/")
        self.pid = self.proc.pid
        self.out_fd = self.proc.stdout.fileno()
        self.in_fd = self.proc.stdin.fileno()
        os.set_blocking(self.in_fd, False)  # a runner that stops reading cannot block the observer
        self.gone = False
        self.exit = None

    def poll(self, timeout):
        """What the runner said within `timeout` s: a list of ("message", value),
        ("violation", reason, status) and ("gone", exit) items."""
        if self.gone:
            return [("gone", self.exit)]
        ready, _, _ = select.select([self.out_fd], [], [], timeout)
        if not ready:
            return []
        chunk = os.read(self.out_fd, READ_BYTES)
        if not chunk:
            return [("gone", self.reap())]
        items = []
        for line in self.reader.push(chunk):
            if line is None:
                items.append(("violation", f"a message over the {self.max_line_bytes}-byte line cap", "output-limit"))
                continue
            ok, value = parse_bounded(line, self.max_line_bytes, self.max_depth)
            items.append(("message", value) if ok else ("violation", value, "ok"))
        return items

    def send(self, command):
        """False when the runner does not take the command (its pipe is full)."""
        if self.gone:
            return True
        data = (json.dumps(command, separators=(",", ":"), ensure_ascii=False) + "\n").encode()
        try:
            while data:
                data = data[os.write(self.in_fd, data):]
        except BlockingIOError:
            return False
        except OSError:
            pass  # the runner is gone: poll() reports it
        return True

    def cpu_ms(self):
        """The runner's CPU time so far in ms, as the kernel counts it: its
        main thread's ns on CPU (the answer's JS runs there), else utime+stime."""
        try:
            with open(f"/proc/{self.pid}/schedstat") as f:
                return int(f.read().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            pass
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(") ", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def reap(self):
        """The runner closed its output: its exit, once it has ended."""
        try:
            code = self.proc.wait(timeout=0.5)
            self.exit = {"code": code if code >= 0 else None, "signal": -code if code < 0 else None}
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        return self.exit

    def kill(self):
        """Ends the runner and anything it started in its group."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass
        if self.exit is None:
            code = self.proc.wait()
            self.exit = {"code": code if code >= 0 else None, "signal": -code if code < 0 else None}
        if not self.gone:
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self.gone = True

