'use strict';
// The runner: UNTRUSTED. A child process of harness.js (the observer) that
// loads the answer, infers its shape and runs one test per request. The
// answer shares this process and can rewrite anything in it, so nothing it
// reports decides a verdict by itself: the observer times each test from
// the kernel (/proc/<this pid>/stat between its request and our reply),
// stops it at its CPU limit with SIGINT, parses our replies with size and
// depth limits and alone writes the result channel (fd 3, which this
// process never holds). What crosses: requests on stdin, replies on fd 4.
//
// stdin: one job line {main, sources: {path: {js, map}}, ts_source, tests, options},
//        then {"t":"run","id","slack_ms"} per test, then {"t":"end"}
// fd 4:  {"t":"hello"} before the job is read, {"t":"load",...}, then {"t":"test","id",...} per request, {"t":"end",...}

const plain = require('./plain');  // first: captures built-ins before the answer loads
const fs = require('fs');
const { loadAnswer, neutralizeExit, describeError, originalLine } = require('./loader');
const { findEntries, allAdapters } = require('./adapters');
const { inferShape } = require('./shape_probe');
const { execute, setAfterAnswer, wallSlack } = require('./execute');
const { graphOf, REPS } = require('./graphs');

const CHANNEL_FD = 4;
const DEFAULT_LIMIT_MS = 2000;

const send = (o) => plain.writeLine(CHANNEL_FD, o);
const hardExit = process.reallyExit.bind(process);
// A SIGINT is the observer stopping a call at its CPU limit; one that
// arrives after the call ended is ignored.
process.on('SIGINT', () => {});

/**
 * Reads the observer's requests from fd 0, one line each, synchronously:
 * no event-loop turn (no answer timer) runs between a request and its test.
 */
function requestReader() {
  const buf = Buffer.alloc(1 << 16);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let pending = '';
  return function next() {
    for (;;) {
      const nl = pending.indexOf('\n');
      if (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        return JSON.parse(line);
      }
      let n;
      try {
        n = fs.readSync(0, buf, 0, buf.length, null);
      } catch (e) {
        if (e.code !== 'EAGAIN') throw e;
        Atomics.wait(sleeper, 0, 0, 1);
        continue;
      }
      if (n === 0) return null;  // the observer is gone
      pending += buf.toString('utf8', 0, n);
    }
  };
}

function isPackage(spec) {
  return !spec.startsWith('.') && !spec.startsWith('/');
}

/** What the checker needs to know about the chosen way of calling. */
function shapeSummary(a) {
  const rep = REPS[a.rep] || { parallel: true };
  return {
    adapter: a.label, entry: a.entry, kind: a.kind, rep: a.rep, keys: a.style, mode: a.mode, form: a.form,
    directed: a.directed, paths: a.paths, path_only: !!a.pathOnly, result: a.shape, probe_score: a.probeScore,
    fields: a.fields, storage_keys: a.storageKeys || null,
    holds_parallel_edges: rep.parallel !== false,
    holds_zero_weight: rep.zeroWeight !== false,
  };
}

async function runTest(adapter, test, mapLine, slackMs) {
  const input = test.input;
  const g = graphOf(input);
  const limitMs = input.time_limit_ms || test.time_limit_ms || DEFAULT_LIMIT_MS;
  const targets = endTargets(adapter, input);
  const noMutation = test.category === 'no-mutation';
  const withPaths = test.category === 'path-consistency';  // only those tests judge paths
  const r = await execute(adapter, g, {
    fields: adapter.fields, limitMs, targets, mapLine, withPaths, interruptible: true,
    wallSlackMs: Number.isFinite(slackMs) && slackMs > 0 ? slackMs : wallSlack(limitMs, true),
    checkMutation: noMutation, repeat: noMutation && adapter.kind === 'builder',
  });
  if (r.value && !withPaths) {
    delete r.value.prev;
    const kept = pathsAsDistances(r.value);
    if (kept) r.value.paths = kept; else delete r.value.paths;
  }
  return r;
}

/**
 * End mode's targets where a test names them (the large graph): an answer
 * that returns only a path is checked on the larger sample `path_targets`,
 * one call per target, all within the test's limit.
 */
function endTargets(adapter, input) {
  if (adapter.mode !== 'end') return undefined;
  const key = adapter.directed ? 'directed' : 'undirected';
  if (adapter.pathOnly && input.path_targets) return input.path_targets[key];
  return input.targets ? input.targets[key] : undefined;
}

/** The paths that stand for a distance (the target's result was a path alone): check.py sums them. */
function pathsAsDistances(value) {
  if (!Array.isArray(value.paths) || !Array.isArray(value.dist)) return null;
  const kept = value.paths.map((p, i) => (value.dist[i] === 'absent' ? p : null));
  return kept.some((p) => p !== null) ? kept : null;
}

/** Loads the answer and infers its shape; returns the chosen adapter or null (load reported). */
async function load(job, phases, lap) {
  const restoreBuiltins = plain.builtinGuard();
  const state = { patched: 0 };
  setAfterAnswer(() => { state.patched += restoreBuiltins(); });
  const loaded = loadAnswer(job.main, job.sources, { timeoutMs: job.options.load_timeout_ms || 3000, harnessFile: __filename });
  const maps = new Map();
  const mapLine = (stack) => originalLine(stack, job.sources, maps);
  const base = { t: 'load', errors: loaded.errors };
  const missing = loaded.missing.filter(isPackage);
  if (missing.length) {
    send({ ...base, ok: false, unsupported: 'needs npm package ' + missing.join(', ') + ' (not available in the sandbox)' });
    return null;
  }
  state.patched += restoreBuiltins();
  lap('load_ms');
  const entries = findEntries(loaded);
  if (!entries.functions.length && !entries.classes.some((c) => c.methods.length)) {
    send({ ...base, ok: false, no_entry: true });
    return null;
  }
  const probe = await inferShape(allAdapters(entries), job.ts_source || '', mapLine);
  lap('probe_ms');
  const probeReport = { tried: probe.tried, log: probe.log };
  if (!probe.chosen) {
    send({ ...base, ok: false, unsupported: 'cannot infer the input/result shape of the entry point', probe: probeReport });
    return null;
  }
  send({ ...base, ok: true, entry: probe.chosen.entry, shape: shapeSummary(probe.chosen), probe: probeReport });
  return { adapter: probe.chosen, mapLine, state };
}

async function main() {
  send({ t: 'hello' });  // before any answer code: the observer counts our threads now
  const next = requestReader();
  const job = next();
  const realExit = neutralizeExit();
  const asyncErrors = [];
  const record = (e) => { if (asyncErrors.length < 5) asyncErrors.push(describeError(e)); };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  const phases = {};
  let t0 = process.hrtime.bigint();
  const lap = (name) => { const t = process.hrtime.bigint(); phases[name] = Math.round(Number(t - t0) / 1e6); t0 = t; };
  const loaded = await load(job, phases, lap);
  if (!loaded) return realExit(0);
  const tests = new Map(job.tests.map((t) => [t.id, t]));
  for (let req = next(); req && req.t === 'run'; req = next()) {
    const test = tests.get(req.id);
    if (!test) { send({ t: 'test', id: req.id, status: 'error', error_type: 'NotRun', message: 'unknown test id' }); continue; }
    send({ t: 'test', id: test.id, ...(await runTest(loaded.adapter, test, loaded.mapLine, Number(req.slack_ms))) });
  }
  lap('tests_ms');
  send({ t: 'end', async_errors: asyncErrors, phases, builtins_restored: loaded.state.patched });
  return realExit(0);
}

main().catch((e) => {
  try { send({ t: 'fatal', message: String(e && e.stack || e).slice(0, 2000) }); } catch (_) { /* channel gone */ }
  hardExit(70);
});
