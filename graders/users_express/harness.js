'use strict';
// users_express harness (runs in the sandbox, in the answer's process).
// Order matters: "start" before any answer code; the listen capture and the
// Express tracking before the answer loads; the load event only once the
// answer has finished loading and its server listens (or the harness serves
// the app the answer exported). Then it stays up for the prober; requests
// never pass through here, so nothing the answer does to this process can
// change what the prober observes on the wire.
//   usage: node harness.js [/box/inputs.json]

const fs = require('fs');
const path = require('path');
const Module = require('module');

function lib(name) {
  for (const dir of [__dirname, path.join(__dirname, '..', '_node', 'lib')]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return require(file);
  }
  throw new Error(`harness library missing: ${name}`);
}

const { emit, describeError, privatizeChannel } = lib('express_channel.js');
const { layOut } = lib('express_layout.js');
const { loadMain, classifyLoadError } = lib('express_load.js');
const capture = lib('express_capture.js');
const { chooseEntry } = lib('express_entry.js');

const inputs = JSON.parse(fs.readFileSync(process.argv[2] || '/box/inputs.json', 'utf8'));
const options = inputs.options || {};
const PORT = Number(options.port) || 3000;
const HOST = '127.0.0.1';
// A fresh folder per harness: /tmp is the sandbox's own tmpfs, but the
// harness also runs outside it during development.
const WORK_DIR = fs.mkdtempSync(path.join(options.work_dir || '/tmp', 'gb-express-'));
const LISTEN_GRACE_MS = Number(options.listen_grace_ms) || 150;
const MAX_ANSWER_ERRORS = 5;

emit({ event: 'start', harness: 'users_express', port: PORT });
privatizeChannel();

let answerErrors = 0;
process.on('uncaughtExceptionMonitor', (err, origin) => {
  if (answerErrors++ < MAX_ANSWER_ERRORS) emit({ event: 'answer_error', origin, error: describeError(err) });
});
process.on('exit', (code) => emit({ event: 'exit', code }));

const listens = capture.createListenCapture(PORT, HOST);
let listening = null;
listens.onFirst = (server) => {
  listening = server;
};

// One load of the answer against Express `major` (4, or 5 on retry).
async function attempt(major, typescript = false) {
  const layout = layOut(inputs, WORK_DIR, `express${major}${typescript ? '-ts' : ''}`, major, typescript);
  const requireFromApp = Module.createRequire(path.join(layout.appDir, 'index.js'));
  const express = requireFromApp('express');
  const tracker = capture.trackExpress(express);
  const entry = chooseEntry(layout);
  const run = { major, layout, entry, express, tracker, exported: undefined, error: null };
  if (layout.errors.length) run.error = Object.assign(new SyntaxError(layout.errors[0].message), { stack: layout.errors[0].message });
  else {
    try {
      run.exported = await loadMain(entry);
    } catch (err) {
      run.error = err;
    }
  }
  return run;
}

// The app to serve when the answer did not listen: what it exported, else
// the app it created with the most GET routes.
function appToServe(run) {
  const exported = run.exported;
  const candidates = [exported, exported && exported.app, exported && exported.default];
  for (const value of candidates) {
    if (capture.isExpressApp(value)) return { app: value, served: 'exported app' };
  }
  for (const value of candidates) {
    if (capture.isRouter(value)) {
      const app = run.express();
      app.use(value);
      return { app, served: 'exported router, mounted at /' };
    }
  }
  const ranked = run.tracker.apps
    .map((app) => ({ app, routes: capture.getRoutes(run.tracker, app).length }))
    .filter((x) => x.routes > 0 && !x.app.parent)
    .sort((a, b) => b.routes - a.routes);
  return ranked.length ? { app: ranked[0].app, served: 'app created by the answer' } : null;
}

function usable(run) {
  return listens.servers.length > 0 || appToServe(run) !== null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForListening(ms) {
  const until = Date.now() + ms;
  while (!listening && Date.now() < until) await sleep(5);
  return listening;
}

function listenedApp(run) {
  if (!listening) return null;
  const handler = listening.listeners('request')[0];
  return capture.isExpressApp(handler) ? handler : null;
}

function finish(run, fields) {
  const errors = [run.express4Error, run.error].filter(Boolean).map(describeError);
  const report = { express: String(run.major), entry: path.relative(run.layout.appDir, run.entry), ...fields.report };
  if (run.retried) report.retried = run.retried;
  if (run.layout.stubs.length) report.stubbed_packages = run.layout.stubs;
  const load = { ...fields.load };
  if (load.compile_error) load.compile_error = load.compile_error.split(run.layout.appDir + path.sep).join('');
  emit({ event: 'load', ...load, errors, report, express: report.express, entry: report.entry });
}

async function main() {
  let run = await attempt(4);
  if (run.error && !usable(run) && (classifyLoadError(run.error) || {}).compile_error) {
    // TypeScript laid out as answer.js: transpile every file and try again.
    const retry = await attempt(4, true);
    if (!retry.error || usable(retry)) run = { ...retry, retried: 'transpiled as TypeScript' };
  }
  if (run.error && !classifyLoadError(run.error) && !usable(run)) {
    listens.closeAll();
    const retry = await attempt(5);
    if (!retry.error || usable(retry)) run = { ...retry, express4Error: run.error, retried: 'loads only on Express 5' };
  }
  const special = run.error && !usable(run) ? classifyLoadError(run.error) : null;
  if (special) return finish(run, { load: { ok: false, ...special }, report: {} }), process.exit(0);
  if (run.error && !usable(run)) return finish(run, { load: { ok: false }, report: {} }), process.exit(0);
  let served = 'the answer listened';
  let app = null;
  if (!(await waitForListening(LISTEN_GRACE_MS))) {
    const choice = appToServe(run);
    if (!choice) return finish(run, { load: { ok: false, no_entry: true }, report: { reason: 'no Express app with a GET route' } }), process.exit(0);
    ({ app, served } = choice);
    await new Promise((resolve) => listens.listenDirect(require('http').createServer(app), resolve));
    listening = listens.servers[listens.servers.length - 1];
  }
  app = app || listenedApp(run);
  const routes = app ? capture.getRoutes(run.tracker, app) : [];
  const allRoutes = run.tracker.apps.flatMap((a) => capture.getRoutes(run.tracker, a));
  if (allRoutes.length === 0) {
    const reason = app ? 'the Express app registers no GET route' : 'the server is not an Express app';
    return finish(run, { load: { ok: false, no_entry: true }, report: { reason } }), process.exit(0);
  }
  finish(run, { load: { ok: true, routes }, report: { served, routes, port: PORT } });
  emit({ event: 'listening', host: HOST, port: PORT });
  serveHints(routes.length ? routes : allRoutes);
}

// Route hints for the prober on PORT+1 (it cannot read fd 3 while it runs).
// Hints only: the prober still finds the route by probing.
function serveHints(routes) {
  const body = JSON.stringify({ routes: routes.slice(0, 20) });
  const server = require('http').createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  server.on('error', () => {});
  listens.listenDirect(server, undefined, PORT + 1);
  server.unref();
}

main().catch((err) => {
  emit({ event: 'load', ok: false, errors: [describeError(err)], report: { harness_error: true } });
  process.exit(0);
});
