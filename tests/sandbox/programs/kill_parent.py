# Tries to kill its parent and PID 1; both must fail or be harmless.
import os, signal
for target in (os.getppid(), 1):
    try:
        os.kill(target, signal.SIGKILL)
        print("sent", target)
    except OSError as e:
        print("refused", target, e.errno)
print("survived", os.getppid())
