'use strict';
// One scenario: a fresh vm context, the preludes, the answer, and the
// virtual event loop, producing a trace of what the answer did. Trusted
// (host) side of the bridge: every value that comes from the context is
// read with typeof checks or the strict serializer, never coerced (no
// String(x) on an object: that would run answer code), and the bridge
// returns only primitives or the context's own objects.
//
// The loop: run one queue entry (timer, immediate, fetch delivery) through
// __gradebox_step with a CPU timeout; the context drains its own microtasks
// after each evaluation (microtaskMode afterEvaluate); then yield one host
// macrotask so Node reports unhandled rejections of that step; repeat until
// nothing keeps the process alive, the answer exits or crashes, or a cap.

const vm = require('vm');
const { types } = require('util');
const { VirtualClock } = require('./race_clock.js');
const { makeSerializer, dataProperty } = require('./race_lib.js').gbharness;
const { loadPreludes } = require('./race_lib.js');
const { startModule, captureModules } = require('./race_esm.js');

const LIMITS = { maxEvents: 200, maxTraceChars: 40000, maxSteps: 1000, virtualCapMs: 60000 };
const CONSOLE_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'table', 'assert', 'time', 'count']);
const SCRIPTS = {
  step: new vm.Script('__gradebox_step()'),
  rejection: new vm.Script('__gradebox_rejection()'),
  finish: new vm.Script('__gradebox_finish()'),
  drain: new vm.Script('0'),
};

const str = (value, max = 2000) => (typeof value === 'string' ? value.slice(0, max) : '');
const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const tick = () => new Promise((resolve) => setImmediate(resolve));
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function isTimeoutError(error) {
  return error !== null && typeof error === 'object' && !types.isProxy(error) &&
    dataProperty(error, 'code', '') === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

class ScenarioRun {
  // answer: {kind, script?, source, filename}; spec: the test's `input`;
  // timeLimitMs: CPU budget of one evaluation (and x4 for the scenario).
  constructor(answer, spec, timeLimitMs, hooks) {
    this.answer = answer;
    this.spec = spec;
    this.timeLimitMs = timeLimitMs;
    this.hooks = hooks;  // {importModule(run, specifier)}
    this.clock = new VirtualClock();
    this.events = [];
    this.traceChars = 0;
    this.dropped = 0;
    this.fetches = 0;
    this.dead = false;
    this.end = null;
    this.exitCode = 0;
    this.listenerCounts = Object.create(null);
    this.rejections = [];
    this.currentRejection = null;
    this.pendingAction = 0;
    this.steps = 0;
    this.hostPending = 0;  // dynamic imports the host is still building
    this.drainOnce = false;
    this.moduleState = null;  // ESM: pending | done | failed
  }

  // ---- recording -----------------------------------------------------------
  record(event) {
    if (this.dead) return;
    event.t = this.clock.now;
    const size = JSON.stringify(event).length;
    if (this.events.length >= LIMITS.maxEvents || this.traceChars + size > LIMITS.maxTraceChars) {
      this.dropped++;
      return;
    }
    this.traceChars += size;
    this.events.push(event);
  }

  die(reason, exitCode) {
    if (this.dead) return;
    this.dead = true;
    this.end = { reason, t: this.clock.now, exit_code: exitCode };
  }

  config(key) {
    const response = this.spec.response || {};
    const values = {
      epoch_ms: 1717243200000, filename: this.answer.filename, mode: response.fail === 'network' ? 'network' : 'ok',
      status: num(response.status) || 200, status_text: str(response.status_text || ''), body: str(response.body, 1e6),
      timing: response.timing === 'resolved' ? 'resolved' : 'timer',
      content_type: str(response.content_type || 'application/json'),
    };
    return values[key];
  }

  // ---- the bridge: context -> host ------------------------------------------
  bridge(op, a, b, c) {
    try {
      return this.handle(op, a, b, c);
    } catch (error) {
      this.record({ kind: 'harness-fault', message: str(error && error.message) });
      return undefined;
    }
  }

  handle(op, a, b, c) {
    switch (op) {
      case 'config': return this.config(str(a));
      case 'now': return this.clock.now;
      case 'next': return this.takeAction();
      case 'schedule': return this.dead ? 0 : this.clock.add(str(a), str(a) === 'fetch' ? num(this.spec.response.delay_ms) : num(b));
      case 'clear': return this.clock.clear(num(a));
      case 'abort-fetch': return this.clock.clear(num(a), true);
      case 'ref': return this.clock.setRef(num(a), b === true);
      case 'has-ref': return this.clock.hasRef(num(a));
      case 'refresh': return this.clock.refresh(num(a));
      case 'console': return this.onConsole(str(a), b);
      case 'output': return this.record({ kind: 'output', stream: str(a) === 'stderr' ? 'stderr' : 'stdout', text: str(b) });
      case 'fetch': return this.onFetch(str(a), str(b, 20));
      case 'response': return this.record({ kind: 'response', index: num(a), outcome: str(b, 20), status: num(c) });
      case 'body': return num(a) > 0 ? this.record({ kind: 'body', index: num(a), how: str(b, 10), ok: c === true }) : undefined;
      case 'uncaught': return this.onUncaught(a, b === true);
      case 'listen': this.listenerCounts[str(a, 40)] = num(b); return undefined;
      case 'exit': return this.onExit(num(a));
      case 'exit-code': this.exitCode = num(a); return undefined;
      case 'require': return this.record({ kind: 'require', name: str(a, 200), allowed: b === true });
      case 'rejection-reason': return this.currentRejection ? this.currentRejection.reason : undefined;
      case 'rejection-promise': return this.currentRejection ? this.currentRejection.promise : undefined;
      default: return undefined;
    }
  }

  takeAction() {
    const id = this.pendingAction;
    this.pendingAction = 0;
    this.actionTaken = true;
    return id || undefined;
  }

  onConsole(method, args) {
    if (!CONSOLE_METHODS.has(method) || !Array.isArray(args) || types.isProxy(args)) return;
    const length = Math.min(num(dataProperty(args, 'length', 0)), 20);
    const out = [];
    for (let i = 0; i < length; i++) out.push(this.serialize(dataProperty(args, String(i), undefined)));
    this.record({ kind: 'console', method, args: out });
  }

  onFetch(url, method) {
    if (this.dead) return 0;
    this.fetches++;
    this.record({ kind: 'fetch', index: this.fetches, url: url.slice(0, 500), method });
    return this.fetches;
  }

  onUncaught(error, handled) {
    this.record({ kind: 'uncaught', error: this.serialize(error), handled });
    if (!handled) this.die('crash', 1);
  }

  onExit(code) {
    this.record({ kind: 'exit', code });
    this.die('exit', code);
  }

  // Node reported an unhandled rejection while this scenario ran.
  onUnhandledRejection(reason, promise) {
    if (this.dead) return;
    const listening = (this.listenerCounts.unhandledRejection || 0) > 0;
    this.record({ kind: 'unhandled-rejection', reason: this.serialize(reason), handled_by_listener: listening });
    if (listening) this.rejections.push({ reason, promise });
    else this.die('crash', 1);
  }

  // ---- running ---------------------------------------------------------------
  // Runs `script` in the context under the CPU limit; false if it hung.
  evaluate(script) {
    try {
      script.runInContext(this.context, { timeout: this.timeLimitMs });
      return true;
    } catch (error) {
      if (isTimeoutError(error)) this.die('timeout', null);
      else this.onUncaught(error, false);
      return false;
    }
  }

  createContext() {
    this.context = vm.createContext(Object.create(null), {
      name: `race_js:${str(this.spec.scenario, 60)}`,
      microtaskMode: 'afterEvaluate',
      codeGeneration: { strings: false, wasm: false },
    });
    this.serialize = makeSerializer({
      objectProto: vm.runInContext('Object.prototype', this.context),
      arrayProto: vm.runInContext('Array.prototype', this.context),
    });
    this.makeError = (message, code) => {
      const error = new (vm.runInContext('Error', this.context))(message);
      Object.defineProperty(error, 'code', { value: code, enumerable: true });
      return error;
    };
    const bridge = (op, a, b, c) => this.bridge(op, a, b, c);
    let shared;
    for (const prelude of loadPreludes()) shared = prelude.runInContext(this.context)(bridge, shared);
    this.modules = captureModules(shared);  // the modules prelude returns its lookup function
  }

  moduleFailed(error) {
    this.moduleState = 'failed';
    if (isTimeoutError(error)) this.die('timeout', null);
    else this.onUncaught(error, false);
  }

  async run() {
    const cpuStart = cpuMs();
    ScenarioRun.current = this;
    this.createContext();
    if (this.answer.kind === 'esm') await startModule(this);
    else this.evaluate(this.answer.script);
    while (!this.dead) {
      await tick();  // unhandled rejections of the last step are reported now
      if (this.dead) break;
      if (cpuMs() - cpuStart > this.timeLimitMs * 4) {  // many steps, each under the limit
        this.die('timeout', null);
        break;
      }
      this.runNext();
    }
    ScenarioRun.current = null;
    return this.trace();
  }

  runNext() {
    if (this.rejections.length > 0) {
      this.currentRejection = this.rejections.shift();
      this.evaluate(SCRIPTS.rejection);
      return;
    }
    if (this.hostPending > 0 || this.drainOnce) {
      this.drainOnce = false;
      this.evaluate(SCRIPTS.drain);  // settles the answer's side of a dynamic import
      return;
    }
    const entry = this.clock.peek();
    if (!entry && !this.idleProbed && this.answer.kind === 'esm') {
      this.idleProbed = true;  // one more drain and host tick: a settling module may still resume
      this.evaluate(SCRIPTS.drain);
      return;
    }
    if (!entry) return this.finish();
    this.idleProbed = false;
    if (entry.due > LIMITS.virtualCapMs || this.steps >= LIMITS.maxSteps) return this.die('virtual-cap', null);
    this.clock.take(entry);
    this.steps++;
    this.pendingAction = entry.id;
    this.actionTaken = false;
    this.evaluate(SCRIPTS.step);
    if (!this.actionTaken && !this.dead) this.die('tampered', null);
  }

  finish() {
    if (this.listenerCounts.exit > 0) this.evaluate(SCRIPTS.finish);
    if (this.dead) return;
    if (this.answer.kind === 'esm' && this.moduleState === 'pending') this.die('tla-unsettled', 13);
    else this.die('idle', this.exitCode);
  }

  trace() {
    return {
      scenario: str(this.spec.scenario, 60), module: this.answer.kind, events: this.events,
      end: this.end, dropped: this.dropped, steps: this.steps, flooded: this.clock.flooded,
    };
  }
}

ScenarioRun.current = null;

module.exports = { ScenarioRun, LIMITS };
