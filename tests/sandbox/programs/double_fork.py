# Leaves a daemon behind: fork, setsid, fork again, exec a long sleep whose
# command line carries the marker given as argv[1]; the program itself exits.
import os, sys
marker = sys.argv[1]
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/usr/bin/python3",
                 ["/usr/bin/python3", "-I", "-S", "-c", "import time; time.sleep(60)", marker])
    os._exit(0)
print("parent done")
