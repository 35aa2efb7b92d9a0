# unit-test harness: never run, the FakeSandbox scripts its output
