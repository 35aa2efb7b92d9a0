'use strict';
// Loads an answer that has already been transpiled to CommonJS, inside the
// harness process (same realm, so Maps and arrays we build are the answer's
// Maps and arrays). Why not require(): module-level demo code often throws,
// calls process.exit or loops, and the functions it defined before that
// point must still be testable. So each module body is wrapped in a function
// whose first statement installs a closure that can read every top-level
// binding later (bindings still in their TDZ are skipped), and the body runs
// under a vm timeout.

const vm = require('vm');
const path = require('path');
const Module = require('module');
const { P, ownValue } = require('./plain');

/** Thrown in place of process.exit/abort while answer code runs. */
class AnswerExit extends Error {
  constructor(code) {
    super('process.exit(' + (code === undefined ? '' : P.String(code)) + ') called');
    this.exitCode = code;
  }
}

// The vm timeout interrupts synchronous loops in any code called from the
// script (a watchdog thread terminates execution), which is how every call
// into the answer is bounded.
const guard = { f: null };
Object.defineProperty(globalThis, '__gbGuard', { value: guard, writable: false, configurable: false });
const guardScript = new vm.Script('globalThis.__gbGuard.f()', { filename: 'gradebox-guard' });

/**
 * Runs `thunk` with a wall-clock limit; throws ERR_SCRIPT_EXECUTION_TIMEOUT.
 * `interruptible`: a SIGINT also stops it (ERR_SCRIPT_EXECUTION_INTERRUPTED),
 * which is how the supervisor ends a call at its CPU limit; it costs a
 * second watchdog thread (~90 us) per call, so only tests ask for it.
 */
function guarded(thunk, timeoutMs, interruptible = false) {
  guard.f = thunk;
  try {
    return guardScript.runInThisContext({ timeout: Math.max(1, Math.round(timeoutMs)), breakOnSigint: interruptible });
  } finally {
    guard.f = null;
  }
}

/** The wall guard or the supervisor's CPU stop ended the call. */
function isTimeout(e) {
  if (e === null || typeof e !== 'object') return false;
  const code = ownValue(e, 'code');  // compared plainly: the answer may patch Set.prototype
  return code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' || code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
}

const realReallyExit = process.reallyExit;
/** Turns process.exit/abort into exceptions; returns the real exit. */
function neutralizeExit() {
  const thrower = (code) => { throw new AnswerExit(code); };
  process.exit = thrower;
  process.abort = () => thrower('abort');
  process.reallyExit = thrower;
  return (code) => realReallyExit.call(process, code);
}

/** Names a top-level declaration may have; wrong guesses are harmless. */
function declaredNames(js) {
  const names = new Set();
  const re = /\b(?:function\s*\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/g;
  for (const m of js.matchAll(re)) {
    if (!m[1].startsWith('__gb')) names.add(m[1]);
  }
  return [...names];
}

function wrapModule(js) {
  const reads = declaredNames(js).map((n) => 'try{c[' + JSON.stringify(n) + ']=' + n + ';}catch(e){}').join('');
  const hook = '__gbHook.capture=function(){var c={};' + reads + 'return c;};';
  // After a directive prologue, so "use strict" keeps its meaning. The hook
  // shares line 1 so line numbers in stack traces stay the transpiler's.
  const m = /^\s*(['"])use strict\1;?/.exec(js);
  const body = m ? js.slice(0, m[0].length) + hook + js.slice(m[0].length) : hook + js;
  return '(function (exports, require, module, __filename, __dirname, __gbHook) {' + body + '\n})';
}

/** type/message/line of anything thrown, without running the answer's code. */
function describeError(e, mapLine) {
  if (e instanceof AnswerExit) return { type: 'ProcessExit', message: e.message };
  if (isTimeout(e)) return { type: 'Timeout', message: 'did not finish within the time limit' };
  if (e === null || typeof e !== 'object' || P.isProxy(e)) {
    return { type: 'throw', message: typeof e === 'symbol' ? 'symbol' : P.String(e).slice(0, 500) };
  }
  let type = 'Error';
  try {
    const ctor = ownValue(P.getProto(e) || {}, 'constructor');
    const name = typeof ctor === 'function' ? ownValue(ctor, 'name') : undefined;
    if (typeof name === 'string') type = name;
  } catch (_) { /* keep Error */ }
  const msg = ownValue(e, 'message');
  const stack = ownValue(e, 'stack');
  const out = { type, message: typeof msg === 'string' ? msg.slice(0, 500) : '' };
  const line = typeof stack === 'string' && mapLine ? mapLine(stack) : null;
  if (line) out.line = line;
  const code = ownValue(e, 'code');
  if (typeof code === 'string') out.code = code;
  return out;
}

/**
 * Loads `main` from `sources` ({absPath: {js, map}}), resolving relative
 * requires among them. Returns {scope, exports, errors, missing}: the
 * top-level bindings that were initialised, module.exports, load errors
 * (each with a line in the TypeScript source when known) and bare package
 * names that could not be found.
 */
function loadAnswer(main, sources, { timeoutMs = 2000, harnessFile } = {}) {
  const realRequire = Module.createRequire(harnessFile || __filename);
  const cache = new Map();
  const errors = [];
  const missing = [];
  const maps = new Map();
  const mapLine = (stack) => originalLine(stack, sources, maps);

  const resolveLocal = (from, spec) => {
    const base = path.resolve(path.dirname(from), spec);
    for (const ext of ['', '.ts', '.tsx', '.js', '.mjs', '.cjs', '/index.ts', '/index.js']) {
      if (sources[base + ext]) return base + ext;
    }
    return null;
  };
  const load = (file) => {
    if (cache.has(file)) return cache.get(file);
    const mod = { exports: {}, hook: {}, scope: {} };
    cache.set(file, mod);
    const requireFn = (spec) => {
      spec = P.String(spec);
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const hit = resolveLocal(file, spec);
        if (hit) return load(hit).exports;
      }
      try {
        return realRequire(spec);
      } catch (e) {
        if (ownValue(e, 'code') === 'MODULE_NOT_FOUND' && !missing.includes(spec)) missing.push(spec);
        throw e;
      }
    };
    let fn;
    try {
      fn = new vm.Script(wrapModule(sources[file].js), { filename: file }).runInThisContext();
    } catch (e) {
      errors.push({ ...describeError(e, mapLine), file: path.basename(file) });
      return mod;
    }
    try {
      guarded(() => fn.call(mod.exports, mod.exports, requireFn, mod, file, path.dirname(file), mod.hook), timeoutMs);
    } catch (e) {
      errors.push({ ...describeError(e, mapLine), file: path.basename(file) });
    }
    mod.scope = typeof mod.hook.capture === 'function' ? mod.hook.capture() : {};
    return mod;
  };
  const mod = load(main);
  return { scope: mod.scope, exports: mod.exports, errors, missing };
}

/** Line in the original TypeScript of the first answer frame in `stack`. */
function originalLine(stack, sources, maps) {
  for (const file of Object.keys(sources)) {
    const at = stack.indexOf(file + ':');
    if (at < 0) continue;
    const m = /^:(\d+):(\d+)/.exec(stack.slice(at + file.length));
    if (!m) continue;
    const map = sources[file].map;
    if (!map) return Number(m[1]);
    if (!maps.has(file)) maps.set(file, new Module.SourceMap(JSON.parse(map)));
    const entry = maps.get(file).findEntry(Number(m[1]) - 1, Number(m[2]) - 1);
    return entry && typeof entry.originalLine === 'number' ? entry.originalLine + 1 : Number(m[1]);
  }
  return null;
}

module.exports = { loadAnswer, guarded, isTimeout, neutralizeExit, describeError, AnswerExit, originalLine };
