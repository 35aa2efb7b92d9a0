'use strict';
// dijkstra_ts harness, run in the sandbox: `node harness.js [inputs.json]`.
//
// Trust boundary. This process is the observer: trusted, it never runs
// answer code and alone writes the result channel (fd 3). gradebox starts
// it with the observer guard (LD_PRELOAD): non-dumpable, so no process of
// the same uid can open its /proc/<pid>/mem or fd/*, and fd 3 close-on-exec.
// The answer runs in the runner child (runner.js), which is untrusted with
// everything in it. What crosses from the runner: bytes on one pipe, parsed
// with gb_channel's line and depth limits into plain values (supervisor.js);
// every test's time, its stop at the CPU limit and whether it finished are
// measured here from the kernel, never taken from the runner. tsc and
// esbuild are our own children and see the answer only as source text.
//
// Order of work (tsc's start-up is hidden behind the tests):
//   1. start `tsc --strict --noEmit` on the answer (a child process)
//   2. transpile every answer file with esbuild (TS -> CommonJS)
//   3. run the tests in a runner child (runner.js) that loads the answer,
//      one request per test (supervisor.js)
//   4. when tsc is done: a syntax error (TS1xxx) makes the answer a
//      compile-error whatever the transpiler did; otherwise report load,
//      every test, done — tsc's diagnostics ride on the load event.

const fs = require('fs');
const path = require('path');
const { findNodeModules, packageVersion, typecheck, transpile, ESBUILD_REL } = require('./tools');
const { supervise } = require('./supervisor');
const { openChannel, readLimits } = require('./gb_channel');

const started = process.hrtime.bigint();
const msSince = (t) => Math.round(Number(process.hrtime.bigint() - t) / 1e6);
let emit = null;  // gb_channel's capped writer to fd 3, once the limits are read

function tscReport(tsc) {
  const fmt = (d) => (d.file ? d.file + ':' + d.line + ':' + d.col + ' ' : '') + 'TS' + d.code + ': ' + d.message;
  return {
    version: tsc.version,
    command: tsc.command,
    types: tsc.types,  // 'lite' (clean without @types/node) or 'node'
    time_ms: tsc.time_ms,
    lite_ms: tsc.lite_ms,
    timed_out: tsc.timed_out,
    failed: tsc.failed || undefined,
    count: tsc.diagnostics.length,
    errors: tsc.diagnostics.filter((d) => d.category === 'error').length,
    first: tsc.diagnostics.slice(0, 10).map(fmt),
    syntax_errors: tsc.syntax.length,
  };
}

function compileError(tsc, transpiled) {
  if (tsc.syntax.length) {
    return tsc.syntax.slice(0, 5).map((d) => d.file + '(' + d.line + ',' + d.col + '): error TS' + d.code + ': ' + d.message).join('\n');
  }
  return transpiled.filter((t) => !t.ok).map((t) => t.error).join('\n');
}

/** Test events in inputs order; a test the runner never answered is an error. */
function testEvents(tests, results) {
  return tests.map((t) => {
    const fields = { ...(results.get(t.id) || { status: 'error', error_type: 'NotRun', message: 'the runner reported no result' }) };
    if (t.input && t.input.generate) digestDistances(fields.value, t.input.targets);
    return { event: 'test', id: t.id, ...fields };
  });
}

// check.py's "unreachable" readings, which its digest writes as null.
const UNREACHABLE_TAGS = new Set(['Infinity', 'null', 'undefined', 'absent']);

/**
 * A generated graph's distances (50,000 of them) leave as check.py's digest
 * (sha256 of the compact JSON list, unreachable as null) plus the values at
 * the test's target nodes, which name a node when the digest differs: the
 * full list would be serialized and parsed twice more only to be hashed.
 */
function digestDistances(value, targets) {
  if (!value || !Array.isArray(value.dist) || value.targets) return;  // end mode: targets only
  const dist = value.dist;
  const text = '[' + dist.map((d) => (typeof d === 'number' ? String(d) : UNREACHABLE_TAGS.has(d) ? 'null' : JSON.stringify(d))).join(',') + ']';
  value.dist_sha256 = require('crypto').createHash('sha256').update(text).digest('hex');
  value.dist_n = dist.length;
  value.dist_at = {};
  for (const node of [...((targets && targets.directed) || []), ...((targets && targets.undirected) || [])]) {
    if (Number.isInteger(node) && node >= 0 && node < dist.length) value.dist_at[node] = dist[node];
  }
  delete value.dist;
}

async function main() {
  const inputsPath = process.argv[2] || '/box/inputs.json';
  const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  const limits = readLimits(inputs);
  emit = openChannel(limits);
  emit({ event: 'start' });  // before any answer code runs (graders/README.md)
  const nodeModules = findNodeModules();
  if (!nodeModules) throw new Error('findNodeModules: no TypeScript toolchain under NODE_PATH');
  const files = [inputs.answer, ...(inputs.files || [])].filter((f, i, a) => a.indexOf(f) === i);
  const tsFiles = files.filter((f) => /\.[cm]?tsx?$/.test(f));
  const tscPromise = typecheck(tsFiles.length ? tsFiles : [inputs.answer], nodeModules);

  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const tEmit = process.hrtime.bigint();
  let emitMs = 0;
  const transpiling = Promise.all(files.map((f, i) => transpile(f, texts[i], nodeModules)));
  // The runner child starts now and gets its job when esbuild is done.
  const jobPromise = transpiling.then((transpiled) => {
    emitMs = msSince(tEmit);
    if (!transpiled[0].ok) return null;
    const sources = {};
    files.forEach((f, i) => { if (transpiled[i].ok) sources[f] = { js: transpiled[i].js, map: transpiled[i].map }; });
    return { main: inputs.answer, sources, ts_source: texts[0], tests: inputs.tests, options: inputs.options || {} };
  });
  const tRun = process.hrtime.bigint();
  const heapMb = (inputs.options && inputs.options.heap_mb) || 384;
  // The runner's heap holds large-sparse's graphs from the start: an old
  // space that starts large skips the major GCs (and their marking threads,
  // whose CPU counts against the answer's limit) that growing it step by
  // step costs; measured -17% CPU over the sample's passing answers.
  const initialMb = Math.min(256, heapMb);
  const run = await supervise({
    argv: [process.execPath, '--max-old-space-size=' + heapMb, '--initial-old-space-size=' + initialMb,
      '--no-memory-reducer', path.join(__dirname, 'runner.js')],
    env: process.env, tests: inputs.tests, job: jobPromise, limits,
  });
  const transpiled = await transpiling;
  const toolReport = {
    transpiler: { name: 'esbuild', version: packageVersion(nodeModules, ESBUILD_REL), time_ms: emitMs },
    node: process.version,
  };
  const runMs = msSince(tRun);
  const tsc = await tscPromise;
  const report = { tsc: tscReport(tsc), ...toolReport };

  if (!run || tsc.syntax.length) {
    emit({ event: 'load', ok: false, compile_error: compileError(tsc, transpiled), report });
    emit({ event: 'done' });
    return;
  }
  const { t: _kind, ...load } = run.load;
  report.timings = { tsc_ms: tsc.time_ms, transpile_ms: emitMs, run_ms: runMs, runner: run.phases, harness_ms: msSince(started) };
  if (run.notes.length) report.runner_notes = run.notes.slice(0, 10);
  if (load.probe) { report.probe = load.probe; delete load.probe; }
  if (load.shape) report.shape = load.shape;
  if (load.errors && load.errors.length) report.load_errors = load.errors;
  if (load.runner_failed) {
    // The answer took the runner down while loading (exit, kill, hang):
    // graded, and every test failed, rather than a verdict it could choose.
    const why = load.runner_failed;
    Object.assign(load, { ok: true, runner_failed: undefined, errors: [...(load.errors || []), { type: 'RunnerDied', message: why }] });
    for (const t of inputs.tests) run.results.set(t.id, { status: 'crash', message: 'runner died while loading the answer: ' + why });
  }
  emit({ event: 'load', ...load, report });
  if (load.ok) for (const ev of testEvents(inputs.tests, run.results)) emit(ev);
  emit({ event: 'done' });
}

main().catch((e) => {
  process.stderr.write('harness error: ' + (e && e.stack || e) + '\n');
  process.exitCode = 3;
});
