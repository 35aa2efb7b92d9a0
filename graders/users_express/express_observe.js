'use strict';
// Observer side (trusted): starts one runner (runner.js, the untrusted
// process that loads the answer) and reads what it says. The runner gets
// stdin closed, the sandbox's stdout/stderr (captured for the report only)
// and a report pipe as its fd 3, which replaces whatever fd 3 it would
// inherit: it never holds the result channel. It runs in its own session
// and process group, so the observer ends it and everything it started
// with one kill. Its report is bytes: split into lines with the channel's
// cap, parsed with the size and depth limits (gb_channel.js), and reduced
// to plain, typed, capped fields here; anything else is counted and dropped.

const path = require('path');
const { spawn } = require('child_process');

const RUNNER = path.join(__dirname, 'runner.js');
const REASONS = ['no Express app with a GET route', 'the Express app registers no GET route', 'the server is not an Express app'];
const MAX_STRING = 2000;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v, max = MAX_STRING) => (typeof v === 'string' ? v.slice(0, max) : undefined);
const count = (v) => (Number.isSafeInteger(v) && v >= 0 ? v : 0);

function plainError(e) {
  if (!isObject(e)) return null;
  const out = { type: text(e.type, 100) || 'Error', message: text(e.message) || '' };
  for (const [key, max] of [['stack', 2 * MAX_STRING], ['code', 100], ['file', 300]]) {
    if (text(e[key], max) !== undefined) out[key] = text(e[key], max);
  }
  if (Number.isSafeInteger(e.line)) out.line = e.line;
  return out;
}

// A runner's load report -> the fields the observer uses, or null.
function loadReport(v) {
  if (!isObject(v) || v.kind !== 'load') return null;
  const routes = Array.isArray(v.routes) ? v.routes.filter((r) => typeof r === 'string').slice(0, 20).map((r) => r.slice(0, 200)) : [];
  return {
    error: plainError(v.error), usable: v.usable === true, listened: v.listened === true,
    served: text(v.served, 100) || null, routes, allRoutes: count(v.all_routes),
    reason: REASONS.includes(v.reason) ? v.reason : null,
  };
}

function answerError(v) {
  if (!isObject(v) || v.kind !== 'answer_error') return null;
  return { origin: text(v.origin, 100) || '', error: plainError(v.error) || { type: 'Error', message: '' } };
}

// Starts a runner, which waits for its config. Returns {configure, loaded,
// ended, stop, notes}: configure(config) lets it load the answer; `loaded`
// resolves to {report} at its first well-formed load report or {exited:
// {code, signal}} if it ends first; `ended` to {code, signal} when it ends.
// `warm`: it preloads Express 4 while it waits.
function startRunner(gb, limits, onAnswerError, warm = false) {
  const child = spawn(process.execPath, warm ? [RUNNER, 'warm'] : [RUNNER], {
    stdio: ['pipe', 'inherit', 'inherit', 'pipe'], detached: true, cwd: process.cwd(),
  });
  child.stdin.on('error', () => {});
  const configure = (config) => child.stdin.end(JSON.stringify(config) + '\n');
  const notes = { malformed: 0, over_cap: 0, load_reports: 0 };
  const reader = new gb.LineReader(limits);
  let settle;
  const loaded = new Promise((resolve) => (settle = resolve));
  const ended = new Promise((resolve) => child.on('exit', (code, signal) => {
    settle({ exited: { code, signal } });
    resolve({ code, signal });
  }));
  child.on('error', () => settle({ exited: { code: null, signal: null } }));
  const take = (line) => {
    const parsed = gb.parseBounded(line, limits);
    const value = parsed.ok ? parsed.value : null;
    const report = loadReport(value);
    const error = report ? null : answerError(value);
    if (report && notes.load_reports++ === 0) settle({ report });
    else if (error) onAnswerError(error);
    else if (!report) notes.malformed++;
  };
  child.stdio[3].on('data', (chunk) => {
    for (const item of reader.push(chunk)) {
      if (item.overflow) notes.over_cap++;
      else take(item.line);
    }
  });
  child.stdio[3].on('error', () => {});
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch (_) {
      /* already gone */
    }
    return ended;
  };
  return { configure, loaded, ended, stop, notes, pid: child.pid };
}

module.exports = { startRunner, loadReport, answerError, plainError, REASONS };
