# Allocates and touches far more than the memory limit, in 10 MB steps.
chunks = []
while True:
    chunks.append(bytearray(10 << 20))
    print(len(chunks), flush=True)
