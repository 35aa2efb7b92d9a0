'use strict';
// The harness side of a runner child (see dijkstra_ts/runner.js): the child
// loads the untrusted answer and runs tests; this side never runs answer
// code. It feeds the child its job on stdin, reads its reports from a pipe
// on the child's fd 4 (fd 3, the real result channel, is never given to
// it), enforces a wall-clock backstop per test, and restarts the child for
// the remaining tests when it dies. Everything the child says is validated:
// unknown ids are dropped, a second result for an id marks that test as
// forged.

const { spawn } = require('child_process');
const { cpuWatch } = require('./cpu_watch');

const CAP_OUTPUT = 64 * 1024;
const MAX_BACKSTOP_MS = 30000;  // whatever the runner asks for

/** Forwards a child's output stream to ours, up to a cap. */
function forward(stream, sink, state) {
  stream.on('data', (d) => {
    state.tail = (state.tail + d.toString('utf8')).slice(-4096);
    if (state.bytes < CAP_OUTPUT) sink.write(d.subarray(0, CAP_OUTPUT - state.bytes));
    state.bytes += d.length;
  });
}

/** Reads newline-delimited JSON from `stream`, calling onMessage(obj|null, line). */
function readLines(stream, onMessage) {
  let buf = '';
  stream.on('data', (d) => {
    buf += d.toString('utf8');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let msg = null;
      try { msg = JSON.parse(line); } catch (_) { /* malformed: reported as null */ }
      onMessage(msg && typeof msg === 'object' && !Array.isArray(msg) ? msg : null, line);
    }
  });
}

/** Status of the test that was running when the child died. */
function deathStatus(exit, killedForTimeout, stderrTail, stoppedAtCpuLimit = false) {
  if (killedForTimeout) return { status: 'timeout', message: 'killed after exceeding the time limit' };
  // Our CPU stop killed the runner: the answer took away its SIGINT
  // listener, or took SIGINT for itself and did not return.
  if (stoppedAtCpuLimit && (exit.signal === 'SIGINT' || exit.signal === 'SIGKILL')) {
    return { status: 'timeout', reason: 'cpu', message: 'stopped at its CPU limit' };
  }
  if (/heap out of memory|Allocation failed/i.test(stderrTail)) return { status: 'memory', message: 'JavaScript heap out of memory' };
  if (exit.signal) return { status: 'crash', signal: exit.signal, message: 'runner killed by ' + exit.signal };
  return { status: 'crash', message: 'runner exited with code ' + exit.code + ' during the test' };
}

/** One child process; resolves when it exits. */
function runChild({ argv, env, job, pendingIds, graceMs, loadLimitMs }) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, cwd: '/tmp', stdio: ['pipe', 'pipe', 'pipe', 'ignore', 'pipe'] });
    const state = {
      load: null, results: new Map(), forged: new Set(), ended: null, current: null, notes: [], timedOut: false, fatal: null,
      stopped: null,  // the test the CPU watch stopped last
    };
    const out = { bytes: 0, tail: '' };
    const err = { bytes: 0, tail: '' };
    forward(child.stdout, process.stdout, out);
    forward(child.stderr, process.stderr, err);
    let timer = setTimeout(() => { state.timedOut = true; child.kill('SIGKILL'); }, loadLimitMs);
    const arm = (ms) => { clearTimeout(timer); timer = setTimeout(() => { state.timedOut = true; child.kill('SIGKILL'); }, ms); };
    const watch = cpuWatch(child.pid, (id, how) => { state.stopped = id; child.kill(how === 'kill' ? 'SIGKILL' : 'SIGINT'); });
    readLines(child.stdio[4], (msg, line) => {
      if (!msg) return void (state.notes.length < 10 && state.notes.push('malformed runner line: ' + line.slice(0, 120)));
      if (msg.t === 'arm' && msg.id === state.current) return watch.arm(msg);
      if (msg.t === 'disarm') return watch.disarm();
      if (msg.t === 'load' && !state.load) { state.load = msg; clearTimeout(timer); return; }
      if (msg.t === 'begin' && pendingIds.has(msg.id) && !state.results.has(msg.id)) {
        state.current = msg.id;
        return arm(Math.min(Number(msg.backstop_ms) || (Number(msg.limit_ms) || 2000) + graceMs, MAX_BACKSTOP_MS));
      }
      if (msg.t === 'test' && pendingIds.has(msg.id)) {
        if (state.results.has(msg.id)) state.forged.add(msg.id);
        else state.results.set(msg.id, msg);
        if (state.current === msg.id) { state.current = null; clearTimeout(timer); watch.disarm(); }
        return;
      }
      if (msg.t === 'end' && !state.ended) return void (state.ended = msg);
      if (msg.t === 'fatal') return void (state.fatal = String(msg.message).slice(0, 2000));
      if (state.notes.length < 10) state.notes.push('unexpected runner message: ' + line.slice(0, 120));
    });
    child.on('error', (e) => state.notes.push('spawn failed: ' + e.message));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      watch.disarm();
      resolve({ ...state, exit: { code, signal }, stderrTail: err.tail });
    });
    child.stdin.on('error', () => {});
    // The child boots node while the job (the transpiled answer) is still
    // being prepared; null means there is nothing to run after all.
    Promise.resolve(job).then((j) => {
      if (!j) return void child.kill('SIGKILL');
      child.stdin.end(JSON.stringify({ ...j, tests: j.tests.filter((t) => pendingIds.has(t.id)) }));
    });
  });
}

/**
 * Runs the job's tests in runner children until each test has a result or
 * the restart budget is spent (`tests`: the ids to account for). `job` may be a promise (the first child
 * starts at once); resolving to null cancels. Resolves {load, results: Map,
 * notes, restarts, phases}, or null when cancelled.
 */
async function supervise({ argv, env, tests, job: jobOrPromise, graceMs = 1500, loadLimitMs = 15000, maxRestarts = 3 }) {
  const results = new Map();
  const notes = [];
  let load = null;
  let restarts = 0;
  let phases = null;
  for (;;) {
    const pendingIds = new Set(tests.filter((t) => !results.has(t.id)).map((t) => t.id));
    if (!pendingIds.size && load) break;
    const r = await runChild({ argv, env, job: jobOrPromise, pendingIds, graceMs, loadLimitMs });
    if (!(await jobOrPromise)) return null;
    if (r.ended && r.ended.phases) phases = r.ended.phases;
    notes.push(...r.notes);
    if (r.fatal) notes.push('runner error: ' + r.fatal);
    if (!load) load = r.load;
    if (!r.load) {
      const why = r.timedOut ? 'the answer did not finish loading in time' : deathStatus(r.exit, false, r.stderrTail).message;
      load = load || { t: 'load', ok: false, runner_failed: why };
      break;
    }
    if (!load.ok) break;
    for (const [id, msg] of r.results) results.set(id, r.forged.has(id) ? { t: 'test', id, status: 'error', error_type: 'ForgedResult', message: 'more than one result for this test on the runner channel' } : msg);
    if (r.ended && r.results.size === pendingIds.size) break;
    if (r.current && !results.has(r.current)) {
      results.set(r.current, { t: 'test', id: r.current, ...deathStatus(r.exit, r.timedOut, r.stderrTail, r.stopped === r.current) });
    }
    if (++restarts > maxRestarts) {
      for (const id of pendingIds) if (!results.has(id)) results.set(id, { t: 'test', id, status: 'crash', message: 'not run: the runner died ' + restarts + ' times' });
      break;
    }
    notes.push('runner restarted after exit ' + JSON.stringify(r.exit) + (r.current ? ' in ' + r.current : ''));
  }
  return { load, results, notes, restarts, phases };
}

module.exports = { supervise, deathStatus };
