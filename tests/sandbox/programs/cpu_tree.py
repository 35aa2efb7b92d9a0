# Three spinning processes: a tree may not multiply its CPU budget.
import os
for _ in range(2):
    if os.fork() == 0:
        break
while True:
    pass
