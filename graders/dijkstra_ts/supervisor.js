'use strict';
// Observer side (trusted; runs in harness.js) of the runner child. Trust
// boundary: this process never runs answer code and alone writes fd 3; the
// runner (runner.js) shares its process with the answer, so it is untrusted
// and everything it says is data. It holds no descriptor of ours but its
// stdin, stdout, stderr and reply pipe (fd 3 is close-on-exec: the observer
// guard), runs in its own process group (killed as a whole), and gets one
// test per request. Each test's time is the kernel's: the runner's CPU in
// /proc/<pid>/stat when we send the request and when we read the reply
// (cpu_watch.js, which also stops the test at its limit); the wall backstop,
// the retry of a starved test, the stop after consecutive timeouts and
// whether a test finished are decided here, never reported by the runner.

const { spawn } = require('child_process');
const { cpuWatch, processCpuUs, threadCount, threadIds, threadTicks } = require('./cpu_watch');
const { forward, readReplies, deathStatus, observed, limitOf, stopAt, firstSlack, retrySlack, DEFAULT_LIMITS } = require('./observe');

const MAX_CONSECUTIVE_TIMEOUTS = 3;
const BACKSTOP_EXTRA_MS = 2000;  // past the runner's wall guard: building the input, reading the result
const END_GRACE_MS = 2000;       // for the runner's closing report
const EXIT_GRACE_MS = 500;       // for its pipes to drain once it has exited
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const round = (x) => Math.round(x * 100) / 100;

/** One runner process: feeds it the job, then the pending tests one at a time. */
class Session {
  constructor({ argv, env, tests, limits, loadLimitMs, run }) {
    this.tests = tests;  // pending, in order
    this.run = run;      // shared across restarts: results, notes, consecutive timeouts
    this.load = null;
    this.ended = null;
    this.current = null;
    this.lastUs = null;  // CPU reading at the last reply
    this.baseThreads = null;  // the runner's threads before any answer code (its hello)
    this.extraTicks = new Map();  // tid -> CPU ticks of a thread the answer started
    this.killedForTimeout = false;
    this.child = spawn(argv[0], argv.slice(1), { env, cwd: '/tmp', detached: true, stdio: ['pipe', 'pipe', 'pipe', 'ignore', 'pipe'] });
    this.pid = this.child.pid;
    this.out = { bytes: 0, tail: '' };
    this.err = { bytes: 0, tail: '' };
    forward(this.child.stdout, process.stdout, this.out);
    forward(this.child.stderr, process.stderr, this.err);
    this.watch = cpuWatch(this.pid, (id, how) => this.signal(how === 'kill' ? 'SIGKILL' : 'SIGINT', how === 'kill'));
    this.timer = setTimeout(() => this.killForTimeout(), loadLimitMs);
    readReplies(this.child.stdio[4], limits, (m) => this.onMessage(m), (why, tooBig) => this.onRefused(why, tooBig));
    this.child.stdin.on('error', () => {});
    this.child.on('error', (e) => this.note('spawn failed: ' + e.message));
    this.done = new Promise((resolve) => { this.resolve = resolve; });
    this.child.on('exit', (code, signal) => this.onExit({ code, signal }));
    this.child.on('close', () => this.finish());
  }

  note(text) { if (this.run.notes.length < 10) this.run.notes.push(text); }

  /** Signals the runner's whole process group (the answer's children too). */
  signal(sig, wholeGroup = true) {
    try { process.kill(wholeGroup ? -this.pid : this.pid, sig); } catch (_) { /* gone */ }
  }

  killForTimeout() { this.killedForTimeout = true; this.signal('SIGKILL'); }

  /** The job goes out once both it and the runner's hello are there. */
  start(job) {
    this.job = job;
    if (!job) return void this.signal('SIGKILL');
    if (this.baseThreads === null) return;
    const ids = new Set(this.tests.map((t) => t.id));
    this.child.stdin.write(JSON.stringify({ ...job, tests: job.tests.filter((t) => ids.has(t.id)) }) + '\n');
  }

  onMessage(msg) {
    if (msg.t === 'hello' && this.baseThreads === null) return void this.onHello();
    if (msg.t === 'load' && !this.load && this.baseThreads !== null) return void this.onLoad(msg);
    if (msg.t === 'test' && this.current && msg.id === this.current.test.id) return void this.onReply(msg);
    if (msg.t === 'end' && this.current === null && this.load && !this.ended) return void (this.ended = msg);
    if (msg.t === 'fatal') return void this.note('runner error: ' + String(msg.message).slice(0, 300));
    this.note('unexpected runner message: ' + JSON.stringify(msg).slice(0, 120));
  }

  onRefused(why, tooBig) {
    this.note('refused runner line: ' + why);
    if (!tooBig || !this.current) return;
    // Over the line or depth limit: that test's result is an output limit.
    this.settle({ status: 'output-limit', message: why.slice(0, 200) });
  }

  // Before the job is sent no answer code is in the runner: its threads
  // now are node's own.
  onHello() {
    this.baseThreads = new Set(threadIds(this.pid));
    if (this.job !== undefined) this.start(this.job);
  }

  /**
   * Whether a thread the answer started used CPU since the last look: it
   * would work on across tests, its CPU charged to tests it does not belong
   * to, so the runner is restarted for the tests left (idle threads, such as
   * libuv's pool after an async call, are let be).
   */
  answerThreadsWorked() {
    // Most of the time only node's own threads are there: one read says so.
    if (!this.extraTicks.size && threadCount(this.pid) <= this.baseThreads.size) return false;
    let worked = false;
    for (const tid of threadIds(this.pid)) {
      if (this.baseThreads.has(tid)) continue;
      const ticks = threadTicks(this.pid, tid);
      if (ticks > (this.extraTicks.get(tid) || 0)) worked = true;
      this.extraTicks.set(tid, ticks);
    }
    if (worked) this.note('restarted the runner: a thread the answer started was working at a test boundary');
    return worked;
  }

  onLoad(msg) {
    clearTimeout(this.timer);
    this.load = msg;
    if (!msg.ok) return;
    if (this.answerThreadsWorked()) return void this.signal('SIGKILL');
    this.next();
  }

  /** Sends the next pending test, or ends the session. */
  next() {
    const test = this.tests.find((t) => !this.run.results.has(t.id));
    if (test && this.run.timeouts >= MAX_CONSECUTIVE_TIMEOUTS) {
      const message = 'not run: ' + this.run.timeouts + ' consecutive timeouts before it';
      for (const t of this.tests) if (!this.run.results.has(t.id)) this.run.results.set(t.id, { status: 'timeout', message });
      return this.next();
    }
    if (!test) {
      this.child.stdin.end(JSON.stringify({ t: 'end' }) + '\n');
      this.timer = setTimeout(() => this.signal('SIGKILL'), END_GRACE_MS);
      return undefined;
    }
    return this.send(test, 0);
  }

  send(test, attempt) {
    const limit = limitOf(test);
    const slack = attempt === 0 ? firstSlack(limit) : retrySlack(limit);
    // The previous reply's reading, when there is one: whatever the answer's
    // side runs in between is counted too (and /proc is scanned once per test).
    const startUs = this.lastUs !== null ? this.lastUs : processCpuUs(this.pid);
    this.lastUs = null;
    if (startUs === null) return;  // exited: onExit accounts for it
    this.current = { test, attempt, limit, startUs, t0: nowMs() };
    this.child.stdin.write(JSON.stringify({ t: 'run', id: test.id, slack_ms: slack }) + '\n');
    this.watch.arm({ id: test.id, startUs, budgetMs: stopAt(limit) });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.killForTimeout(), limit + slack + BACKSTOP_EXTRA_MS);
  }

  onReply(msg) {
    const extras = [];
    const endUs = processCpuUs(this.pid, extras);
    this.lastUs = endUs;
    this.endExtras(extras);
    const { test, attempt, limit, startUs, t0 } = this.current;
    const cpuMs = endUs === null ? limit : round((endUs - startUs) / 1000);
    const ev = observed(msg, cpuMs, round(nowMs() - t0), limit);
    if (ev.status === 'timeout' && ev.reason !== 'cpu') {
      // The runner's wall guard fired before the test used its CPU limit:
      // starved by a loaded machine, not slow. Once more with a wider guard.
      if (attempt === 0) return void this.send(test, 1);
      ev.retried = true;
    }
    this.settle(ev);
  }

  /**
   * Ends the processes the answer started (counted in this test's CPU so
   * far): none may work on across tests, where its CPU would be charged to
   * tests it does not belong to.
   */
  endExtras(pids) {
    if (!pids.length) return;
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch (_) { /* gone */ } }
    if (!this.extrasNoted) this.note('ended ' + pids.length + ' process(es) the answer started, at the end of ' + this.current.test.id);
    this.extrasNoted = true;
  }

  settle(ev) {
    this.watch.disarm();
    clearTimeout(this.timer);
    const id = this.current.test.id;
    this.current = null;
    this.run.results.set(id, ev);
    this.run.timeouts = ev.status === 'timeout' ? this.run.timeouts + 1 : 0;
    if (this.answerThreadsWorked()) return void this.signal('SIGKILL');
    this.next();
  }

  onExit(exit) {
    this.exit = exit;
    this.signal('SIGKILL');  // whatever the answer left in the group
    this.watch.disarm();
    clearTimeout(this.timer);
    this.exitTimer = setTimeout(() => this.finish(), EXIT_GRACE_MS);
  }

  finish() {
    if (this.finished || !this.exit) return;
    this.finished = true;
    clearTimeout(this.exitTimer);  // a pending timer would keep the harness from exiting
    if (this.current) {
      // The runner died in this test: the observer says how, not the runner.
      const { test } = this.current;
      const status = deathStatus(this.exit, this.killedForTimeout, this.err.tail, this.watch.stopped() === test.id);
      this.run.results.set(test.id, status);
      this.run.timeouts = status.status === 'timeout' ? this.run.timeouts + 1 : 0;
      this.died = test.id;
    }
    this.resolve(this);
  }
}

/**
 * Runs the tests in runner children until each has a result or the restart
 * budget is spent. `job` may be a promise (the first child starts at once);
 * resolving to null cancels. Resolves {load, results: Map, notes, restarts,
 * phases}, or null when cancelled.
 */
async function supervise({ argv, env, tests, job, limits = DEFAULT_LIMITS, loadLimitMs = 15000, maxRestarts = 3 }) {
  const run = { results: new Map(), notes: [], timeouts: 0 };
  let load = null;
  let phases = null;
  for (let restarts = 0; ; restarts++) {
    const pending = tests.filter((t) => !run.results.has(t.id));
    if (!pending.length && load) return { load, results: run.results, notes: run.notes, restarts, phases };
    const session = new Session({ argv, env, tests: pending, limits, loadLimitMs, run });
    Promise.resolve(job).then((j) => session.start(j));
    const s = await session.done;
    if (!(await job)) return null;
    if (s.ended && s.ended.phases) phases = s.ended.phases;
    if (!load) load = s.load;
    if (!s.load) {
      const why = s.killedForTimeout ? 'the answer did not finish loading in time' : deathStatus(s.exit, false, s.err.tail).message;
      load = load || { t: 'load', ok: false, runner_failed: why };
      return { load, results: run.results, notes: run.notes, restarts, phases };
    }
    if (!load.ok || !s.load.ok) return { load, results: run.results, notes: run.notes, restarts, phases };
    if (restarts >= maxRestarts) {
      for (const t of tests) if (!run.results.has(t.id)) run.results.set(t.id, { status: 'crash', message: 'not run: the runner died ' + (restarts + 1) + ' times' });
      return { load, results: run.results, notes: run.notes, restarts, phases };
    }
    if (tests.some((t) => !run.results.has(t.id))) run.notes.push('runner restarted after exit ' + JSON.stringify(s.exit) + (s.died ? ' in ' + s.died : ''));
  }
}

module.exports = { supervise, Session };
