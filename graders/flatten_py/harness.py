"""flatten_py harness: runs the answer's flatten function on the hidden tests.

Everything generic lives in graders/_python (gbharness.py says the trust
boundary): this process is the observer that alone writes fd 3; the answer
is loaded and run only in processes it forks. This file only says how to
find the entry point, per docs/tasks/flatten_py.md. Test inputs are {"python": code}
(see gb_child.build_call), so they can hold shared sublists and cycles.
"""

import os
import sys

# `python3 -I` does not put the script's folder on sys.path. In the box the
# shared files sit next to this one; in the source tree, in ../_python.
_HERE = os.path.dirname(os.path.abspath(__file__))
for _folder in (os.path.join(_HERE, "..", "_python"), _HERE):
    if os.path.isdir(_folder):
        sys.path.insert(0, _folder)

import gbharness  # noqa: E402

ENTRY_RULE = gbharness.EntryRule(name_contains="flatten", method_contains="flatten",
                                 positional_args=1, single_function_fallback=True)

if __name__ == "__main__":
    gbharness.main(ENTRY_RULE)
