# Writes 1 MB blocks to /tmp until the filesystem or RLIMIT_FSIZE refuses,
# then reports the errno and how much was written on fd 3.
import json, os
written = 0
error = None
with open("/tmp/fill.bin", "wb", buffering=0) as out:
    try:
        while written < (1 << 30):
            out.write(b"x" * (1 << 20))
            written += 1 << 20
    except OSError as e:
        error = e.errno
os.write(3, json.dumps({"errno": error, "written": written}).encode())
