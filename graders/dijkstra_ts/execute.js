'use strict';
// Runs one adapter on one graph: build the input, call the answer under a
// time limit, read the result into canonical form. Used by the probe and by
// every test, so both see the answer the same way.

const { P, snapshot, sha256, firstDifference, prototypeWatch } = require('./plain');
const { guarded, isTimeout, describeError, AnswerExit } = require('./loader');
const { nodeKeys, RepresentationTooLarge } = require('./graphs');
const { interpretAll, interpretOne, keyIndex } = require('./interpret');

const nowMs = () => Number(P.hrtime()) / 1e6;
const prototypesSafe = prototypeWatch();  // required before the answer loads
let afterAnswer = () => {};
/** Runs after every call into the answer (the runner restores built-ins there). */
function setAfterAnswer(fn) { afterAnswer = fn; }
// Where the observer stops a call when the test's CPU reaches its limit
// (opts.interruptible: the tests), the wall-clock guard is only the backstop for
// a call that blocks without using CPU. It sits at 2x the limit + 500 ms:
// half a core still reaches the CPU limit before it, so a loaded machine
// (more workers than cores) does not make tests run twice. Without a watch
// (the shape probe's short calls) the guard is the stop itself, just past
// the limit. A test that was starved all the same (less CPU than its limit
// in that wall time) is run again, at the observer's request, with a wider guard
// (opts.wallSlackMs).
const wallSlack = (limitMs, interruptible) => (interruptible ? limitMs + 500 : limitMs * 0.1 + 100);

/** A test status for something thrown out of answer code. */
function statusOf(e, where, mapLine) {
  if (isTimeout(e)) return { status: 'timeout', where };
  const d = describeError(e, mapLine);
  if (/heap out of memory|Array buffer allocation failed|Invalid array length/i.test(d.message) || d.type === 'RangeError' && /allocation/i.test(d.message)) {
    return { status: 'memory', where, message: d.message };
  }
  const out = { status: 'error', where, error_type: d.type, message: d.message };
  if (d.line) out.line = d.line;
  if (d.type === 'ReferenceError') {
    const m = /^(\S+) is not defined/.exec(d.message);
    if (m) out.missing_name = m[1];
  }
  return out;
}

/** Awaits a native promise, bounded by `ms`. */
function settle(v, ms) {
  if (!P.isPromise(v)) return v;
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ERR_SCRIPT_EXECUTION_TIMEOUT' })), ms);
  });
  return Promise.race([v, limit]).finally(() => clearTimeout(timer));
}

function mutableOf(adapter, ctx) {
  const m = adapter.mutable(ctx);
  if (adapter.kind !== 'builder' || !adapter.storageKeys) return m;
  const picked = {};
  for (const k of adapter.storageKeys) picked[k] = P.ownDesc(m, k) ? P.ownDesc(m, k).value : undefined;
  return picked;
}

/** Calls the answer for every target (end mode) or once (all mode). */
function callAnswer(adapter, ctx, s, keys, targets) {
  if (adapter.mode === 'all') return adapter.query(ctx, s);
  const out = [];
  for (const t of targets) {
    try {
      out.push({ v: adapter.query(ctx, s, keys[t]) });
    } catch (e) {
      if (e instanceof AnswerExit) throw e;
      out.push({ thrown: e });  // "no path" errors: the checker decides
    }
  }
  return out;
}

async function readResult(adapter, raw, keys, targets, remaining, mapLine, withPaths) {
  if (adapter.mode === 'all') {
    return interpretAll(await settle(raw, remaining()), keys, withPaths);
  }
  const idx = keyIndex(keys);
  const value = { targets, dist: [], paths: [], shape: '' };
  for (let i = 0; i < raw.length; i++) {
    if (raw[i].thrown !== undefined) {
      value.dist.push('throw');
      value.paths.push(null);
      if (!value.thrown) value.thrown = describeError(raw[i].thrown, mapLine).message;
      continue;
    }
    const one = interpretOne(await settle(raw[i].v, remaining()), keys, idx);
    value.dist.push(one.dist);
    value.paths.push(one.path);
    value.shape = value.shape || one.shape;
  }
  if (value.paths.every((p) => p === null)) delete value.paths;
  return value;
}

/**
 * Runs `adapter` on graph `g`. Options: fields/wrap (object field names),
 * limitMs, targets (end mode), checkMutation, repeat (query twice),
 * withPaths (false: predecessors and paths of all-mode results go unread),
 * interruptible (a SIGINT stops the call: the observer, which watches this
 * process's CPU from outside, sends one when the test reaches limitMs).
 * Resolves {status, value?, time_ms (answer wall), cpu_ms (answer CPU), wall_ms (all), ...};
 * the times are this process's own view, never what a verdict is made on.
 */
async function execute(adapter, g, opts) {
  const { fields, wrap, limitMs, checkMutation, repeat, mapLine, withPaths = true, interruptible = false, wallSlackMs = wallSlack(limitMs, interruptible) } = opts;
  const keys = nodeKeys(g.n, adapter.style);
  const targets = opts.targets || keys.map((_, i) => i);
  const start = nowMs();
  // The limit is on CPU time (the checker judges cpu_ms).
  const wallLimit = limitMs + wallSlackMs;
  let answerMs = 0;
  let answerCpuMs = 0;
  const remaining = () => Math.max(1, wallLimit - answerMs);
  const timed = (fn, isAnswer) => {
    // Harness-only work (building a representation) runs unguarded (a vm
    // timeout costs a thread per call) unless a setter the answer left on a
    // prototype could run in it. Nothing to restore: no answer code ran.
    if (!isAnswer) return prototypesSafe() ? fn() : guarded(fn, remaining());
    const t = nowMs();
    const c = P.cpuUsage();
    try {
      return guarded(fn, remaining(), interruptible);
    } finally {
      afterAnswer();
      answerMs += nowMs() - t;
      const d = P.cpuUsage(c);
      answerCpuMs += (d.user + d.system) / 1000;
    }
  };
  let ctx;
  try {
    ctx = timed(() => adapter.setup(g, keys, fields, wrap), adapter.setupIsAnswer);
  } catch (e) {
    if (e instanceof RepresentationTooLarge) return { status: 'error', error_type: 'RepresentationTooLarge', harness_refused: true, message: e.message, time_ms: 0 };
    return { ...statusOf(e, 'setup', mapLine), time_ms: round(answerMs), cpu_ms: round(answerCpuMs) };
  }
  const before = checkMutation ? snapshotOrNote(mutableOf(adapter, ctx)) : null;
  const s = keys[g.source];
  const result = { status: 'ok' };
  try {
    const raw = timed(() => callAnswer(adapter, ctx, s, keys, targets), true);
    const t = nowMs();
    result.value = await readResult(adapter, raw, keys, targets, remaining, mapLine, withPaths);
    if (P.isPromise(raw)) answerMs += nowMs() - t;  // an async answer's own time
    if (result.value.error) Object.assign(result, { status: 'unrecognized', message: result.value.error });
    if (repeat && result.status === 'ok') {
      const again = await readResult(adapter, timed(() => callAnswer(adapter, ctx, s, keys, targets), true), keys, targets, remaining, mapLine, withPaths);
      result.value.repeat = again.dist;
    }
  } catch (e) {
    Object.assign(result, statusOf(e, 'call', mapLine));
    delete result.value;
  }
  if (checkMutation) {
    const after = snapshotOrNote(mutableOf(adapter, ctx));
    result.mutation = { before: sha256(before), after: sha256(after), diff: firstDifference(before, after) };
  }
  result.time_ms = round(answerMs);
  result.cpu_ms = round(answerCpuMs);
  result.wall_ms = round(nowMs() - start);
  return result;
}

function snapshotOrNote(v) {
  try { return snapshot(v); } catch (e) { return '<snapshot failed: ' + describeError(e).message + '>'; }
}

const round = (x) => Math.round(x * 100) / 100;

module.exports = { execute, statusOf, nowMs, setAfterAnswer, wallSlack };
