"""users_express harness: the OBSERVER (trusted; runs in the sandbox, never
runs answer code).

Trust boundary. This process alone writes the result channel (fd 3); it is
non-dumpable and holds fd 3 close-on-exec (the observer guard gradebox
LD_PRELOADs), so the answer can neither open its /proc/<pid>/mem or fd/3
nor inherit the channel. The answer runs in runner.js (node), a child in
its own process group whose fd 3 is a report pipe to this process; the
prober (probe.py, outside the sandbox) judges the server on the wire. What
crosses from the runner: bytes on that pipe, read with the channel's line
cap and depth limit and reduced to plain fields (observer_runner). They are
claims: the layout, entry file, Express major, stubs and retries are this
process's own facts; a load verdict other than `graded` is reported only
when this process can check it (observer_claims); `listening` only when it
connects to the port itself; routes are hints. The load event comes from
here, once. It is Python because it starts in ~20 ms where node takes
~100: the first runner (started warm, it loads Express while this process
lays the answer out) is then the only node start on the way to the port.

    usage: python3 -I -S harness.py [/box/inputs.json]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from observer_spawn import spawn_runner  # noqa: E402

# The first runner starts before anything else is imported or read: its node
# boot and Express load overlap all of this process's work. It runs nothing
# of the answer's until configured, which is after `start` is written and
# the hint port is bound.
SPARE = spawn_runner(warm=True)

import observer_main  # noqa: E402

if __name__ == "__main__":
    observer_main.run(sys.argv[1] if len(sys.argv) > 1 else "/box/inputs.json", SPARE)
