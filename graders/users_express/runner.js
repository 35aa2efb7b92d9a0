'use strict';
// users_express runner: the UNTRUSTED process. The observer (harness.py)
// starts it, one per attempt, in its own process group, with no descriptor
// of the observer's but its config on stdin and a report socket on fd 3
// (not the result channel: the runner never holds that; stdout and stderr
// are the sandbox's, captured for the report only). It loads the answer in this process (so the
// answer can do anything here: patch built-ins, write on the pipe, forge a
// report), serves the answer's app on the grader's port, and tells the
// observer what it found as JSON lines on the pipe:
//   {"kind": "load", "error", "usable", "listened", "served", "routes", "all_routes", "reason"}
//   {"kind": "answer_error", "origin", "error"}
// Everything here is a claim. The observer parses it with size and depth
// limits, trusts nothing that decides a verdict without checking it itself,
// and the prober, outside the sandbox, judges the server on the wire.
//   usage: node runner.js [warm] < '<json config: appDir, entry, port, host, listenGraceMs>'
// The observer starts the first runner before it lays the answer out, so
// this process boots (and, with `warm`, loads Express 4) meanwhile; it then
// blocks on stdin until the observer sends the config and closes it.

const fs = require('fs');
const path = require('path');
const Module = require('module');
const { loadMain } = require('./express_load.js');
const capture = require('./express_capture.js');

const REPORT_FD = 3;
const MAX_STRING = 2000;
const MAX_ANSWER_ERRORS = 5;

// Express 4 from the grader's packages: the answer's require('express')
// resolves (through the layout's symlink) to the same file, so to this
// already loaded module.
if (process.argv[2] === 'warm') {
  for (const dir of String(process.env.NODE_PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      require(path.join(dir, 'express'));
      break;
    } catch (_) {
      /* not in this folder */
    }
  }
}
const config = JSON.parse(fs.readFileSync(0, 'utf8'));

// Built-ins captured before the answer loads; the observer must not depend
// on them (the answer can still patch globals), they only keep an honest
// report honest when the answer patches something by accident.
const writeSync = fs.writeSync;
const stringify = JSON.stringify;

function report(message) {
  try {
    writeSync(REPORT_FD, stringify(message) + '\n');
  } catch (_) {
    /* the observer sees the missing report */
  }
}

// Error -> plain data: type, first message line, code, file and line of the
// answer's frame, and the first stack line (a compile error's location).
function describeError(err) {
  if (err === null || typeof err !== 'object') return { type: typeof err, message: String(err).slice(0, MAX_STRING) };
  const stack = typeof err.stack === 'string' ? err.stack : '';
  const where = /\/app\/([^\s:)]+):(\d+)/.exec(stack);
  const out = {
    type: typeof err.name === 'string' ? err.name.slice(0, 100) : 'Error',
    // First line only: Node appends the whole require stack to MODULE_NOT_FOUND.
    message: typeof err.message === 'string' ? err.message.split('\n')[0].slice(0, MAX_STRING) : '',
    stack: stack.slice(0, 2 * MAX_STRING),
  };
  if (typeof err.code === 'string') out.code = err.code.slice(0, 100);
  if (where) {
    out.file = where[1];
    out.line = Number(where[2]);
  }
  return out;
}

let answerErrors = 0;
process.on('uncaughtExceptionMonitor', (err, origin) => {
  if (answerErrors++ < MAX_ANSWER_ERRORS) report({ kind: 'answer_error', origin: String(origin), error: describeError(err) });
});

const listens = capture.createListenCapture(config.port, config.host);
let listening = null;
listens.onFirst = (server) => {
  listening = server;
};

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForListening(ms) {
  const until = Date.now() + ms;
  while (!listening && Date.now() < until) await sleep(5);
  return listening;
}

function listenedApp() {
  if (!listening) return null;
  const handler = listening.listeners('request')[0];
  return capture.isExpressApp(handler) ? handler : null;
}

async function load() {
  const requireFromApp = Module.createRequire(path.join(config.appDir, 'index.js'));
  const express = requireFromApp('express');
  const run = { express, tracker: capture.trackExpress(express), exported: undefined, error: null };
  try {
    run.exported = await loadMain(config.entry);
  } catch (err) {
    run.error = err;
  }
  return run;
}

async function main() {
  const run = await load();
  const usable = listens.servers.length > 0 || appToServe(run) !== null;
  const base = { kind: 'load', error: run.error ? describeError(run.error) : null, usable };
  if (run.error && !usable) return report(base);
  let served = 'the answer listened';
  let app = null;
  if (!(await waitForListening(config.listenGraceMs))) {
    const choice = appToServe(run);
    if (!choice) return report({ ...base, usable: false, reason: 'no Express app with a GET route' });
    ({ app, served } = choice);
    await new Promise((resolve) => listens.listenDirect(require('http').createServer(app), resolve));
  }
  app = app || listenedApp();
  const routes = app ? capture.getRoutes(run.tracker, app) : [];
  const allRoutes = run.tracker.apps.flatMap((a) => capture.getRoutes(run.tracker, a));
  const reason = allRoutes.length ? null
    : app ? 'the Express app registers no GET route' : 'the server is not an Express app';
  report({ ...base, listened: true, served, routes: (routes.length ? routes : allRoutes).slice(0, 20), all_routes: allRoutes.length, reason });
}

main().catch((err) => report({ kind: 'load', error: describeError(err), usable: false, runner_error: true }));
