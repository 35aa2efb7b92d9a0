"""fork() from any thread: a child forked while another thread is in the
middle of the first registry load (which took the module's lock) must
still be able to use the module, not wait forever on a lock whose owner
did not come along."""

import os
import subprocess
import sys
import textwrap

# A fresh interpreter per trial, so that the load is the process's first.
# The child of the fork loads the registry itself; the parent reports
# whether it finished within the timeout.
TRIAL = textwrap.dedent(
    """
    import os, sys, threading, time
    import gradebox

    delay = float(sys.argv[1])
    loader = threading.Thread(target=gradebox.tasks)
    loader.start()
    time.sleep(delay)
    pid = os.fork()
    if pid == 0:
        ids = [t["id"] for t in gradebox.tasks()]
        os._exit(0 if "flatten_py" in ids else 1)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            loader.join()
            print("exit", os.waitstatus_to_exitcode(status))
            sys.exit(0)
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print("deadlocked")
    sys.exit(0)
    """
)


def test_a_fork_during_another_threads_first_registry_load_leaves_a_working_child():
    outcomes = []
    for delay in ("0", "0.001", "0.003", "0.01", "0.03"):
        done = subprocess.run(
            [sys.executable, "-c", TRIAL, delay],
            capture_output=True, text=True, timeout=60, env=dict(os.environ),
        )
        assert done.returncode == 0, done.stderr
        outcomes.append(done.stdout.strip())
    assert outcomes == ["exit 0"] * len(outcomes), outcomes
