"""race_js harness entry point; the observer is race_harness.py.

Trust boundary: this process (the observer) alone writes fd 3 and never runs
answer code; the answer runs in the runner process (race_runner.js), which
only talks to it over two pipes. See race_harness.py.
Usage: python3 -E -s -S -B harness.py [inputs.json]   (default /box/inputs.json)
"""

import sys

import race_harness

if __name__ == "__main__":
    sys.exit(race_harness.main(sys.argv))
