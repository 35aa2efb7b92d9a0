'use strict';
// The race_js RUNNER: the one process the answer's code runs in. Untrusted.
// Started by the observer (harness.py) in its own process group, with no
// descriptor of the observer's but two pipes: commands arrive on stdin,
// every call the answer makes leaves on stdout as one JSON line. It holds
// no result channel, no expected value, and no scenario input except the
// response the observer hands over when it is due; whatever it writes is
// only ever taken as "the answer made this call now". Its first line, the
// load report (module kind, compile error, unsupported HTTP client), is
// written before the answer's code runs.
// Second line (it only makes an escape harder, it decides nothing): the
// answer runs in a vm context, the bridge into this host is wrapped in the
// context's realm, the host realm's intrinsics are frozen before the answer
// runs (race_lockdown.js) and node runs with no code generation from
// strings, so a host object reached from the context cannot be used to
// re-program the runner (e.g. a toJSON that rewrites its messages).
// Usage: node --experimental-vm-modules --disallow-code-generation-from-strings
//        race_runner.js ANSWER_FILE

const fs = require('fs');
const { loadAnswer } = require('./race_load.js');
const { ScenarioRun } = require('./race_scenario.js');
const { importDynamic } = require('./race_esm.js');
const { loadPreludes } = require('./race_lib.js');
const { lockdown } = require('./race_lockdown.js');

const IN_FD = 0;
const OUT_FD = 1;
// Taken before any answer code runs (module objects are not frozen by
// --frozen-intrinsics); a second line only, the observer believes nothing.
const { readSync, writeSync } = fs;
const exit = process.exit.bind(process);

// Blocking line I/O on the two pipes (their runner ends are blocking): the
// runner has nothing else to do while it waits for the observer. Messages
// are batched until the runner waits for a reply (every step ends with one),
// so a scenario costs a few writes, not one per call.
class SyncLink {
  constructor() {
    this.buffer = Buffer.alloc(0);
    this.chunk = Buffer.alloc(64 * 1024);
    this.outgoing = '';
  }

  send(message) {
    this.outgoing += JSON.stringify(message) + '\n';
    if (this.outgoing.length > 64 * 1024) this.flush();
  }

  flush() {
    const data = Buffer.from(this.outgoing);
    this.outgoing = '';
    for (let off = 0; off < data.length;) {
      try {
        off += writeSync(OUT_FD, data, off);
      } catch (error) {
        if (error.code !== 'EAGAIN') exit(0);  // the observer is gone
      }
    }
  }

  // The next command, or null at end of input.
  read() {
    for (;;) {
      const nl = this.buffer.indexOf(10);
      if (nl >= 0) {
        const line = this.buffer.subarray(0, nl).toString('utf8');
        this.buffer = this.buffer.subarray(nl + 1);
        return JSON.parse(line);  // the observer's own lines
      }
      let n;
      try {
        n = readSync(IN_FD, this.chunk, 0, this.chunk.length, null);
      } catch (error) {
        if (error.code === 'EAGAIN') continue;
        return null;
      }
      if (n === 0) return null;
      this.buffer = Buffer.concat([this.buffer, this.chunk.subarray(0, n)]);
    }
  }

  call(message) {
    this.send(message);
    this.flush();
    return this.read();
  }
}

async function main() {
  const link = new SyncLink();
  // The load report is written before any answer code runs in this process.
  const loaded = loadAnswer(process.argv[2], (specifier) => importDynamic(ScenarioRun.current, specifier));
  if (!loaded.ok) {
    link.send({ op: 'load', ok: false, ...(loaded.unsupported ? { unsupported: loaded.unsupported } : { compile_error: loaded.compile_error }) });
    link.flush();
    return;
  }
  loadPreludes();
  lockdown();  // after the runner's own modules loaded, before any answer code
  const imports = loaded.specifiers.slice(0, 20).map((name) => name.slice(0, 200));
  link.send({ op: 'load', ok: true, kind: loaded.answer.kind, imports });  // the observer counts CPU from here
  link.flush();
  process.on('unhandledRejection', (reason, promise) => {
    if (ScenarioRun.current) ScenarioRun.current.onUnhandledRejection(reason, promise);
  });
  for (let command = link.read(); command && command.op === 'scenario'; command = link.read()) {
    await new ScenarioRun(loaded.answer, link, command.time_limit_ms).run();
  }
}

main().then(() => exit(0), () => exit(70));
