'use strict';
// race_js harness: the OBSERVER. Trust boundary: this process is trusted; it
// alone writes the result channel (fd 3) and never runs answer code (it
// compiles the answer to sort out compile errors, never evaluates it). The
// answer runs in a separate node process, the runner (race_runner.js), in
// its own process group, holding only the pipes the observer talks to it on.
// What crosses from the runner is bytes: one JSON line per call the answer
// made (fetch, console, timers, body reads, errors, exit), parsed here under
// the channel's size and depth limits and recorded by race_observer.js with
// the observer's own virtual time. The observer owns the virtual clock and
// the timer queue, hands over each response only when it is due, reads the
// runner's CPU time from the kernel, and decides how each scenario ended.
// check.py (outside the sandbox) judges the traces.
//
// Checklist: read inputs -> compile the answer (compile_error / unsupported
// end here) -> `load` event -> start the runner -> scenarios in input order,
// one `test` event per test as soon as its scenario ends -> `done`.
// Usage: node --experimental-vm-modules harness.js [inputs.json]

const fs = require('fs');
const { requireShared } = require('./race_lib.js');
const { readLimits, openChannel } = requireShared('gb_channel.js');
const { loadAnswer } = require('./race_load.js');
const { ScenarioObserver } = require('./race_observer.js');
const { RunnerProcess } = require('./race_link.js');

const DEFAULT_INPUTS = '/box/inputs.json';
const DEFAULT_TIME_LIMIT_MS = 1000;
const MAX_TIMEOUTS_BEFORE_SKIP = 2;  // an answer that hangs everywhere costs 2 limits, not 11
const WALL_SLACK_MS = 3000;  // a runner that sleeps instead of spinning
const READY_WALL_MS = 15000;
const WATCH_MS = 20;

// Tests that share a scenario name share one run.
function groupByScenario(tests) {
  const groups = new Map();
  for (const test of tests) {
    const input = test.input || {};
    const key = typeof input.scenario === 'string' ? input.scenario : `test:${test.id}`;
    if (!groups.has(key)) groups.set(key, { spec: input, tests: [] });
    groups.get(key).tests.push(test);
  }
  return [...groups.values()];
}

function timeLimitOf(tests) {
  const limits = tests.map((t) => t.time_limit_ms).filter((v) => typeof v === 'number' && v > 0);
  return Math.round(limits.length ? Math.min(...limits) : DEFAULT_TIME_LIMIT_MS);
}

// "X is not defined" crashes name X, so gradebox can retry with the block
// that defines it joined in (the contract's join retry).
function reportMissingNames(send, trace, reported) {
  const errors = [];
  for (const event of trace.events || []) errors.push(event.error, event.reason, ...(Array.isArray(event.args) ? event.args : []));
  for (const error of errors) {
    if (!error || typeof error !== 'object' || error.$gb !== 'error' || error.name !== 'ReferenceError') continue;
    const match = /^([A-Za-z_$][\w$]*) is not defined$/.exec(String(error.message));
    if (!match || reported.has(match[1])) continue;
    reported.add(match[1]);
    send({ event: 'error', type: 'ReferenceError', message: error.message, missing_name: match[1], scenario: trace.scenario });
  }
}

// A runner that has said it is ready, or null if it never did.
function startRunner(answerFile, limits, runnerFile) {
  const runner = new RunnerProcess(answerFile, limits, runnerFile);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { runner.kill(); resolve(null); }, READY_WALL_MS);
    runner.onReady = () => { clearTimeout(timer); resolve(runner); };
    runner.onGone = () => { clearTimeout(timer); resolve(null); };
  });
}

// Serves one scenario: -> {trace, status, cpuMs, usable (runner can go on)}.
function observeScenario(runner, spec, module, timeLimitMs) {
  const observer = new ScenarioObserver(spec, module);
  const cpuStart = runner.cpuMs();
  const wallStart = Date.now();
  return new Promise((resolve) => {
    let watch = null;
    let done = false;
    const finish = (status, usable) => {
      if (done) return;
      done = true;
      clearInterval(watch);
      runner.onMessage = runner.onViolation = runner.onGone = () => {};
      if (!usable) runner.kill();
      resolve({ trace: observer.trace(), status, cpuMs: runner.cpuMs() - cpuStart, usable });
    };
    runner.onMessage = (message) => {
      const reply = observer.handle(message);
      if (reply) runner.send(reply);
      if (observer.over) finish('ok', !observer.end || observer.end.reason !== 'protocol');
    };
    runner.onViolation = (reason, status) => {  // the line itself was unreadable
      observer.violation(reason);
      finish(status === 'output-limit' ? 'output-limit' : 'ok', false);
    };
    runner.onGone = (exit) => {
      observer.die('runner-exit', null, `the runner ended (${exit.signal || `exit ${exit.code}`})`);
      finish('ok', false);
    };
    watch = setInterval(() => {  // the scenario's CPU budget, on the kernel's count
      if (runner.cpuMs() - cpuStart > timeLimitMs * 4 || Date.now() - wallStart > timeLimitMs * 4 + WALL_SLACK_MS) {
        observer.die('timeout', null);
        finish('ok', false);
      }
    }, WATCH_MS);
    runner.send({ op: 'scenario', time_limit_ms: timeLimitMs });
  });
}

function emitResults(send, tests, trace, status, cpuMs) {
  const timeMs = Math.round(Math.max(0, cpuMs) * 100) / 100;
  for (const test of tests) send({ event: 'test', id: test.id, status, value: trace, time_ms: timeMs });
}

async function runScenarios(send, inputs, answer, limits) {
  let runner = null;
  let timeouts = 0;
  const missingNames = new Set();
  for (const group of groupByScenario(inputs.tests || [])) {
    if (timeouts >= MAX_TIMEOUTS_BEFORE_SKIP) {
      emitResults(send, group.tests, { skipped: 'earlier scenarios hung' }, 'timeout', 0);
      continue;
    }
    if (!runner) runner = await startRunner(answer.filename, limits);
    if (!runner) {
      emitResults(send, group.tests, { skipped: 'the runner did not start' }, 'crash', 0);
      continue;
    }
    const result = await observeScenario(runner, group.spec, answer.kind, timeLimitOf(group.tests));
    if (!result.usable) runner = null;
    const hung = result.trace.end && result.trace.end.reason === 'timeout';
    if (hung) timeouts++;
    reportMissingNames(send, result.trace, missingNames);
    emitResults(send, group.tests, result.trace, hung ? 'timeout' : result.status, result.cpuMs);
  }
  if (runner) runner.kill();
}

async function main() {
  const inputsPath = process.argv[2] || DEFAULT_INPUTS;
  const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  const limits = readLimits(inputs);
  const send = openChannel(limits);
  send({ event: 'start' });  // before any answer code runs (graders/README.md)
  const loaded = loadAnswer(inputs.answer, undefined);
  if (!loaded.ok) {
    send({ event: 'load', ok: false, ...(loaded.unsupported ? { unsupported: loaded.unsupported } : { compile_error: loaded.compile_error }) });
    send({ event: 'done' });
    return;
  }
  const imports = loaded.specifiers.slice(0, 20).map((name) => name.slice(0, 200));
  send({ event: 'load', ok: true, entry: 'fetch', report: { module: loaded.answer.kind, imports } });
  await runScenarios(send, inputs, loaded.answer, limits);
  send({ event: 'done' });
}

if (require.main === module) {
  main().then(() => process.exit(0), (error) => {
    try {
      fs.writeSync(3, JSON.stringify({ event: 'harness-error', message: String(error && error.stack).slice(0, 2000) }) + '\n');
    } catch (_) {
      /* no channel */
    }
    process.exit(2);
  });
}

module.exports = { startRunner, observeScenario, groupByScenario };
