'use strict';
// users_express harness: the OBSERVER (trusted; runs in the sandbox, never
// runs answer code).
//
// Trust boundary. This process alone writes the result channel (fd 3); it is
// non-dumpable and holds fd 3 close-on-exec (the observer guard gradebox
// LD_PRELOADs), so the answer can neither open its /proc/<pid>/mem or fd/3
// nor inherit the channel. The answer runs in runner.js, a child in its own
// process group whose fd 3 is a report pipe to this process; the prober
// (probe.py, outside the sandbox) judges the server on the wire. What
// crosses from the runner: bytes on that pipe, read with the channel's line
// cap and depth limit and reduced to plain fields (express_observe.js). They
// are claims: entry, Express major, stubs and retries are this process's own
// facts; a load verdict that is not `graded` is reported only when this
// process can check it (express_claims.js); `listening` only when it connects
// to the port itself; routes are hints. The load event comes from here once,
// so nothing the runner writes can duplicate or replace it.
//   usage: node harness.js [/box/inputs.json]

const fs = require('fs');
const net = require('net');
const path = require('path');

function lib(name) {
  for (const dir of [__dirname, path.join(__dirname, '..', '_node', 'lib')]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return require(file);
  }
  throw new Error(`harness library missing: ${name}`);
}

const gb = lib('gb_channel.js');
const { startRunner } = lib('express_observe.js');

const inputs = JSON.parse(fs.readFileSync(process.argv[2] || '/box/inputs.json', 'utf8'));
const options = inputs.options || {};
const limits = gb.readLimits(inputs);
const send = gb.openChannel(limits);
const PORT = Number(options.port) || 3000;
const HOST = '127.0.0.1';
// A fresh folder per harness: /tmp is the sandbox's own tmpfs, but the
// harness also runs outside it during development.
const WORK_DIR = fs.mkdtempSync(path.join(options.work_dir || '/tmp', 'gb-express-'));
const LISTEN_GRACE_MS = Number(options.listen_grace_ms) || 150;
const MAX_ANSWER_ERRORS = 5;

send({ event: 'start', harness: 'users_express', port: PORT });

// The one load event; a second could only come from a harness fault.
let loadSent = false;
function sendLoad(event) {
  if (loadSent) return;
  loadSent = true;
  send(event);
}

let answerErrors = 0;
function onAnswerError({ origin, error: { stack, ...error } }) { // eslint-disable-line no-unused-vars
  if (answerErrors++ < MAX_ANSWER_ERRORS) send({ event: 'answer_error', origin, error });
}

// The first runner starts now, before this process loads the rest and lays
// the answer out, so the two boot side by side; it runs nothing of the
// answer's until configured, which is after the hint port is bound.
let spare = startRunner(gb, limits, onAnswerError, true);
function takeRunner() {
  const runner = spare || startRunner(gb, limits, onAnswerError);
  spare = null;
  return runner;
}

const { layOut } = lib('express_layout.js');
const { chooseEntry } = lib('express_entry.js');
const claims = lib('express_claims.js');
const { createHintServer } = lib('express_hints.js');

// One load of the answer against Express `major` (4, or 5 on retry), in a
// runner of its own. A layout error (esbuild) is this process's own finding.
async function attempt(major, typescript = false) {
  const layout = layOut(inputs, WORK_DIR, `express${major}${typescript ? '-ts' : ''}`, major, typescript);
  const entry = chooseEntry(layout);
  const run = { major, layout, entry, runner: null, report: null, exited: null };
  if (layout.errors.length) {
    const e = layout.errors[0];
    run.report = { error: { type: 'SyntaxError', message: e.message, stack: e.message }, usable: false, trusted: true };
    return run;
  }
  run.runner = current = takeRunner();
  run.runner.configure({ appDir: layout.appDir, entry, port: PORT, host: HOST, listenGraceMs: LISTEN_GRACE_MS });
  const first = await run.runner.loaded;
  run.report = first.report || null;
  run.exited = first.exited || null;
  return run;
}

const failedLoad = (run) => !run.report || (run.report.error && !run.report.usable);
const special = (run) => (run.report && run.report.error ? claims.classify(run.report.error) : null);

// The answer's attempts: as given; as TypeScript when it does not compile;
// on Express 5 when it fails otherwise. A runner that exits before it
// reports is final: the answer left, there is nothing to retry.
async function load() {
  let run = await attempt(4);
  if (failedLoad(run) && !run.exited && (special(run) || {}).compile_error) {
    const retry = await replace(run, () => attempt(4, true));
    if (!failedLoad(retry)) run = { ...retry, retried: 'transpiled as TypeScript' };
    else await retry.runner?.stop();
  }
  if (failedLoad(run) && !run.exited && !special(run)) {
    const retry = await replace(run, () => attempt(5));
    if (!failedLoad(retry)) run = { ...retry, express4Error: run.report.error, retried: 'loads only on Express 5' };
    else await retry.runner?.stop();
  }
  return run;
}

// Ends `run`'s runner (and all it started) before the next attempt starts.
async function replace(run, next) {
  if (run.runner) await run.runner.stop();
  return next();
}

function portAccepts() {
  return new Promise((resolve) => {
    const socket = net.connect({ port: PORT, host: HOST });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(300, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

function loadEvent(run, fields, report = {}) {
  const errors = [run.express4Error, run.report && run.report.error].filter(Boolean)
    .map(({ stack, ...shown }) => shown); // eslint-disable-line no-unused-vars
  const entry = path.relative(run.layout.appDir, run.entry);
  const full = { express: String(run.major), entry, ...report };
  if (run.retried) full.retried = run.retried;
  if (run.layout.stubs.length) full.stubbed_packages = run.layout.stubs;
  const notes = run.runner && run.runner.notes;
  if (notes && (notes.malformed || notes.over_cap || notes.load_reports > 1)) full.runner_notes = notes;
  if (run.exited) full.runner_exited = run.exited;
  const load = { ...fields };
  if (load.compile_error) load.compile_error = load.compile_error.split(run.layout.appDir + path.sep).join('');
  return { event: 'load', ...load, errors, report: full, express: full.express, entry };
}

// The load event for a run whose answer did not load: a verdict the observer
// checked, or a plain failure (graded; the prober finds nothing). A runner
// that says the answer failed to load while something serves the port lies.
async function failedLoadEvent(run) {
  const claim = special(run);
  if (!claim) return loadEvent(run, { ok: false });
  const ctx = { texts: run.layout.texts, entry: run.entry, packagesDir: run.layout.packagesDir, stubs: run.layout.stubs };
  const verdict = run.report.trusted ? { ok: true }
    : (await portAccepts()) ? { ok: false, why: 'something accepts on the port though the answer did not load' }
      : claims.verifyLoadClaim(claim, run.report.error, ctx);
  if (verdict.ok) return loadEvent(run, { ok: false, ...claim });
  return loadEvent(run, { ok: false }, { claim_refused: verdict.why });
}

// The load event for a runner that serves something, and whether to keep it.
async function servedLoadEvent(run) {
  const r = run.report;
  const accepts = await portAccepts();
  const report = { served: r.served, routes: r.routes, port: PORT, port_accepts: accepts };
  if (!r.reason) return { event: loadEvent(run, { ok: true, routes: r.routes }, report), keep: true, accepts };
  const verdict = claims.verifyNoRoute(r.reason, run.layout.texts, accepts);
  if (verdict.ok) return { event: loadEvent(run, { ok: false, no_entry: true }, { reason: r.reason }), keep: false, accepts };
  return { event: loadEvent(run, { ok: true, routes: r.routes }, { ...report, claim_refused: verdict.why }), keep: true, accepts };
}

// Ends the runner's group, records how it ended, and leaves: the sandbox
// (and the prober's wait for the port) ends with this process.
async function finish(run) {
  const ended = run.runner ? await run.runner.stop() : null;
  if (ended) send({ event: 'exit', code: ended.code, signal: ended.signal });
  process.exit(0);
}

// The runner's group lives in its own session: when this process is told to
// end (outside a sandbox, which would end them all), it ends the group too.
let current = null;
process.on('SIGTERM', () => {
  for (const runner of [current, spare]) if (runner) runner.stop();
  process.exit(0);
});

async function main() {
  const hints = createHintServer(PORT + 1, HOST);
  await hints.ready; // bound before any answer code runs
  const run = await load();
  if (failedLoad(run)) {
    sendLoad(await failedLoadEvent(run));
    return finish(run);
  }
  const served = await servedLoadEvent(run);
  sendLoad(served.event);
  if (!served.keep) return finish(run);
  if (served.accepts) send({ event: 'listening', host: HOST, port: PORT });
  hints.setRoutes(run.report.routes);
  const ended = await run.runner.ended;
  send({ event: 'exit', code: ended.code, signal: ended.signal });
  await finish({ runner: null });
}

main().catch((err) => {
  sendLoad({ event: 'load', ok: false, errors: [{ type: 'HarnessError', message: String(err && err.stack).slice(0, 2000) }], report: { harness_error: true } });
  process.exit(0);
});
