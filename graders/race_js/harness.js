'use strict';
// race_js harness: runs the answer once per scenario, each in a fresh vm
// context with a virtual clock, and reports on fd 3 what it saw (console
// calls with their arguments as data, fetch calls, arrivals, body reads,
// uncaught errors, unhandled rejections, exit) with the virtual time of
// each. It decides nothing: check.py judges the traces outside the sandbox.
//
// Checklist: read inputs -> load the answer (CJS or ESM; compile_error /
// unsupported end here) -> `load` event -> scenarios in input order, one
// `test` event per test as soon as its scenario ends -> `done`.
// Usage: node --experimental-vm-modules --disallow-code-generation-from-strings
//        harness.js [inputs.json]   (default /box/inputs.json)

const fs = require('fs');
const { emit } = require('./race_lib.js').gbharness;
const { loadAnswer } = require('./race_load.js');
const { ScenarioRun } = require('./race_scenario.js');
const { importDynamic } = require('./race_esm.js');

const DEFAULT_INPUTS = '/box/inputs.json';
const DEFAULT_TIME_LIMIT_MS = 1000;
const MAX_TIMEOUTS_BEFORE_SKIP = 2;  // an answer that hangs everywhere costs 2 limits, not 11

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
function reportMissingNames(trace, reported) {
  const errors = [];
  for (const event of trace.events || []) errors.push(event.error, event.reason, ...(event.args || []));
  for (const error of errors) {
    if (!error || error.$gb !== 'error' || error.name !== 'ReferenceError') continue;
    const match = /^([A-Za-z_$][\w$]*) is not defined$/.exec(error.message);
    if (!match || reported.has(match[1])) continue;
    reported.add(match[1]);
    emit({ event: 'error', type: 'ReferenceError', message: error.message, missing_name: match[1], scenario: trace.scenario });
  }
}

function emitResults(tests, trace, status, startedNs) {
  const timeMs = Number(process.hrtime.bigint() - startedNs) / 1e6;
  for (const test of tests) {
    emit({ event: 'test', id: test.id, status, value: trace, time_ms: Math.round(timeMs * 100) / 100 });
  }
}

async function main() {
  const inputs = JSON.parse(fs.readFileSync(process.argv[2] || DEFAULT_INPUTS, 'utf8'));
  emit({ event: 'start' });  // before any answer code runs (graders/README.md)
  const loaded = loadAnswer(inputs.answer, (specifier) => importDynamic(ScenarioRun.current, specifier));
  if (!loaded.ok) {
    emit({ event: 'load', ok: false, ...(loaded.unsupported ? { unsupported: loaded.unsupported } : { compile_error: loaded.compile_error }) });
    emit({ event: 'done' });
    return;
  }
  const imports = loaded.specifiers.slice(0, 20).map((name) => name.slice(0, 200));
  emit({ event: 'load', ok: true, entry: 'fetch', report: { module: loaded.answer.kind, imports } });
  process.on('unhandledRejection', (reason, promise) => {
    if (ScenarioRun.current) ScenarioRun.current.onUnhandledRejection(reason, promise);
  });
  let timeouts = 0;
  const missingNames = new Set();
  for (const group of groupByScenario(inputs.tests || [])) {
    const started = process.hrtime.bigint();
    if (timeouts >= MAX_TIMEOUTS_BEFORE_SKIP) {
      emitResults(group.tests, { skipped: 'earlier scenarios hung' }, 'timeout', started);
      continue;
    }
    const run = new ScenarioRun(loaded.answer, group.spec, timeLimitOf(group.tests));
    const trace = await run.run();
    const hung = trace.end && trace.end.reason === 'timeout';
    if (hung) timeouts++;
    reportMissingNames(trace, missingNames);
    emitResults(group.tests, trace, hung ? 'timeout' : 'ok', started);
  }
  emit({ event: 'done' });
}

main().then(() => process.exit(0), (error) => {
  emit({ event: 'harness-error', message: String(error && error.stack).slice(0, 2000) });
  process.exit(2);
});
