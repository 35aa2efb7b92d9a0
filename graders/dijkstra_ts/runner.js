'use strict';
// The runner: a child process of harness.js that loads the answer, infers
// its shape and runs the tests. The answer shares this process, so the
// runner reports to the harness over a pipe (fd 4) and the harness — which
// never runs answer code — validates what arrives and writes fd 3.
//
// stdin: {main, sources: {path: {js, map}}, ts_source, tests: [...], options}
// fd 4:  {"t":"load",...} {"t":"begin","id","limit_ms"} {"t":"test",...} {"t":"end"}

const plain = require('./plain');  // first: captures built-ins before the answer loads
const fs = require('fs');
const { loadAnswer, neutralizeExit, describeError, originalLine } = require('./loader');
const { findEntries, allAdapters } = require('./adapters');
const { inferShape } = require('./shape_probe');
const { execute, setAfterAnswer, wallSlack } = require('./execute');
const { graphOf, REPS } = require('./graphs');

const CHANNEL_FD = 4;
const DEFAULT_LIMIT_MS = 2000;
const MAX_CONSECUTIVE_TIMEOUTS = 3;

/** A timeout where the wall guard fired before the answer used its CPU limit. */
function starved(r, limit) {
  return r.status === 'timeout' && !(r.cpu_ms >= limit);
}
const send = (o) => plain.writeLine(CHANNEL_FD, o);
const hardExit = process.reallyExit.bind(process);

/**
 * Tells the supervisor when answer code runs and at which process CPU time
 * (getrusage, in us, as cpu_ms is measured) the test's budget ends: it
 * watches our CPU and sends SIGINT then, which stops the call. A SIGINT that
 * arrives after the call ended is ignored (the listener below).
 */
function cpuWatchFor(id) {
  return {
    arm: (cpuUs, budgetMs) => send({ t: 'arm', id, cpu_us: cpuUs, budget_ms: budgetMs }),
    disarm: () => send({ t: 'disarm', id }),
  };
}
process.on('SIGINT', () => {});

function isPackage(spec) {
  return !spec.startsWith('.') && !spec.startsWith('/');
}

/** What the checker needs to know about the chosen way of calling. */
function shapeSummary(a) {
  const rep = REPS[a.rep] || { parallel: true };
  return {
    adapter: a.label, entry: a.entry, kind: a.kind, rep: a.rep, keys: a.style, mode: a.mode, form: a.form,
    directed: a.directed, paths: a.paths, result: a.shape, probe_score: a.probeScore,
    fields: a.fields, storage_keys: a.storageKeys || null,
    holds_parallel_edges: rep.parallel !== false,
    holds_zero_weight: rep.zeroWeight !== false,
  };
}

async function runTest(adapter, test, mapLine, wallSlackMs = undefined) {
  const input = test.input;
  const g = graphOf(input);
  const limitMs = input.time_limit_ms || test.time_limit_ms || DEFAULT_LIMIT_MS;
  const targets = adapter.mode === 'end' && input.targets ? input.targets[adapter.directed ? 'directed' : 'undirected'] : undefined;
  // The harness's backstop, well past the wall guard: it also covers building the input.
  const slackMs = wallSlackMs === undefined ? wallSlack(limitMs, true) : wallSlackMs;
  send({ t: 'begin', id: test.id, limit_ms: limitMs, backstop_ms: Math.round(limitMs + slackMs + 2000) });
  const noMutation = test.category === 'no-mutation';
  const withPaths = test.category === 'path-consistency';  // only those tests judge paths
  const r = await execute(adapter, g, {
    fields: adapter.fields, limitMs, targets, mapLine, withPaths, wallSlackMs: slackMs,
    checkMutation: noMutation, repeat: noMutation && adapter.kind === 'builder', cpuWatch: cpuWatchFor(test.id),
  });
  if (r.value && !withPaths) { delete r.value.prev; delete r.value.paths; }
  return r;
}

async function main() {
  const job = JSON.parse(fs.readFileSync(0, 'utf8'));
  const realExit = neutralizeExit();
  const asyncErrors = [];
  const record = (e) => { if (asyncErrors.length < 5) asyncErrors.push(describeError(e)); };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  const phases = {};
  let t0 = process.hrtime.bigint();
  const lap = (name) => { const t = process.hrtime.bigint(); phases[name] = Math.round(Number(t - t0) / 1e6); t0 = t; };
  const restoreBuiltins = plain.builtinGuard();
  let patched = 0;
  setAfterAnswer(() => { patched += restoreBuiltins(); });
  const loaded = loadAnswer(job.main, job.sources, { timeoutMs: job.options.load_timeout_ms || 3000, harnessFile: __filename });
  const maps = new Map();
  const mapLine = (stack) => originalLine(stack, job.sources, maps);
  const base = { t: 'load', errors: loaded.errors };
  const missing = loaded.missing.filter(isPackage);
  if (missing.length) {
    send({ ...base, ok: false, unsupported: 'needs npm package ' + missing.join(', ') + ' (not available in the sandbox)' });
    return realExit(0);
  }
  patched += restoreBuiltins();
  lap('load_ms');
  const entries = findEntries(loaded);
  if (!entries.functions.length && !entries.classes.some((c) => c.methods.length)) {
    send({ ...base, ok: false, no_entry: true });
    return realExit(0);
  }
  const probe = await inferShape(allAdapters(entries), job.ts_source || '', mapLine);
  lap('probe_ms');
  const probeReport = { tried: probe.tried, log: probe.log };
  if (!probe.chosen) {
    send({ ...base, ok: false, unsupported: 'cannot infer the input/result shape of the entry point', probe: probeReport });
    return realExit(0);
  }
  const entryName = probe.chosen.entry;
  send({ ...base, ok: true, entry: entryName, shape: shapeSummary(probe.chosen), probe: probeReport });
  let timeouts = 0;
  for (const test of job.tests) {
    if (timeouts >= MAX_CONSECUTIVE_TIMEOUTS) {
      send({ t: 'test', id: test.id, status: 'timeout', message: 'not run: ' + timeouts + ' consecutive timeouts before it' });
      continue;
    }
    let r = await runTest(probe.chosen, test, mapLine);
    const limit = test.input.time_limit_ms || test.time_limit_ms || DEFAULT_LIMIT_MS;
    if (starved(r, limit)) {
      // Starved by a loaded machine rather than slow: once more, with the
      // wall guard at 3x the limit + 500 ms.
      r = { ...(await runTest(probe.chosen, test, mapLine, 2 * limit + 500)), retried: true };
    }
    // Spent its whole CPU budget: load hardly changes CPU time, so gradebox
    // need not run this test again (graders/README.md, "reason").
    if (r.status === 'timeout' && !starved(r, limit)) r.reason = 'cpu';
    timeouts = r.status === 'timeout' ? timeouts + 1 : 0;
    send({ t: 'test', id: test.id, ...r });
  }
  lap('tests_ms');
  send({ t: 'end', async_errors: asyncErrors, phases, builtins_restored: patched });
  return realExit(0);
}

main().catch((e) => {
  try { send({ t: 'fatal', message: String(e && e.stack || e).slice(0, 2000) }); } catch (_) { /* channel gone */ }
  hardExit(70);
});
