'use strict';
// One scenario in the RUNNER process (untrusted: the answer runs here): a
// fresh vm context, the preludes, the answer, and the bridge they call.
// Nothing this process says is believed as a fact about time or order: the
// bridge announces each call the answer makes (fetch, console, timers, body
// reads, errors, exit) to the observer over a pipe, and the observer records
// it at its own virtual time. The runner keeps only what the answer's realm
// needs synchronously (the current virtual time, timer thunks, listener
// counts); the observer decides which timer or response runs next.
// The vm realm is a second line only: values from the context are read with
// typeof checks or the strict serializer, never coerced, and the bridge
// returns only primitives or the context's own objects.

const vm = require('vm');
const { types } = require('util');
const { makeSerializer, dataProperty } = require('./race_serialize.js');
const { loadPreludes } = require('./race_lib.js');
const { startModule, captureModules } = require('./race_esm.js');

const EPOCH_MS = 1717243200000;
const CONSOLE_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'table', 'assert', 'time', 'count']);
const SCRIPTS = {
  step: new vm.Script('__gradebox_step()'),
  rejection: new vm.Script('__gradebox_rejection()'),
  finish: new vm.Script('__gradebox_finish()'),
  drain: new vm.Script('0'),
};
// A context-realm shell around the host bridge: an error raised in the host
// function (a stack overflow at its entry) never reaches the answer as a
// host-realm object; the shell throws its own realm's RangeError instead.
const SHELL = new vm.Script(`(function (host) {
  'use strict';
  const overflow = new RangeError('Maximum call stack size exceeded');
  return function bridge(op, a, b, c) {
    try { return host(op, a, b, c); } catch (_) { throw overflow; }
  };
})`);
const MAX_QUIET_TICKS = 10000;
// The observer keeps 200 events per trace: past this many console/output
// calls the runner only counts them (saves serializing and parsing a flood).
const MAX_OUTPUT_MESSAGES = 1000;

const str = (value, max = 2000) => (typeof value === 'string' ? value.slice(0, max) : '');
const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const tick = () => new Promise((resolve) => setImmediate(resolve));

function isTimeoutError(error) {
  return error !== null && typeof error === 'object' && !types.isProxy(error) &&
    dataProperty(error, 'code', '') === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

class ScenarioRun {
  // answer: {kind, script?, source, filename}; link: {send(msg), call(msg)};
  // timeLimitMs: CPU budget of one evaluation.
  constructor(answer, link, timeLimitMs) {
    this.answer = answer;
    this.link = link;
    this.timeLimitMs = timeLimitMs;
    this.now = 0;
    this.nextId = 1;  // queue ids, allocated in the same order as the observer's
    this.kinds = new Map();  // id -> kind ('fetch' entries cannot be cleared)
    this.unref = new Set();
    this.deliveries = new Map();  // fetch index -> response fields
    this.fetchEntries = new Map();  // fetch index -> queue id (0: already delivered)
    this.fetches = 0;
    this.dead = false;
    this.listenerCounts = Object.create(null);
    this.rejections = [];
    this.currentRejection = null;
    this.pendingAction = 0;
    this.actionTaken = false;
    this.hostPending = 0;  // dynamic imports the host is still building
    this.drainOnce = false;
    this.moduleState = null;  // ESM: pending | done | failed
    this.outputs = 0;
    this.unsent = 0;
  }

  // ---- the bridge: context -> runner host -> observer ------------------------
  bridge(op, a, b, c) {
    try {
      return this.handle(op, a, b, c);
    } catch (error) {
      this.link.send({ op: 'fault', message: str(error && error.message) });
      return undefined;
    }
  }

  handle(op, a, b, c) {
    switch (op) {
      case 'config': return str(a) === 'epoch_ms' ? EPOCH_MS : str(a) === 'filename' ? this.answer.filename : undefined;
      case 'now': return this.now;
      case 'next': return this.takeAction();
      case 'schedule': return this.schedule(str(a, 20), num(b));
      case 'clear': return this.clear(num(a), false);
      case 'abort-fetch': return this.clear(num(a), true);
      case 'ref': return this.setRef(num(a), b === true);
      case 'has-ref': return this.kinds.has(num(a)) && !this.unref.has(num(a));
      case 'refresh': return this.kinds.has(num(a)) ? this.link.send({ op: 'refresh', id: num(a) }) : undefined;
      case 'console': return this.onConsole(str(a), b);
      case 'output': return this.counted() && this.link.send({ op: 'output', stream: str(a) === 'stderr' ? 'stderr' : 'stdout', text: str(b) });
      case 'fetch': return this.onFetch(str(a), str(b, 20), c === true);
      case 'fetch-entry': return this.fetchEntries.get(num(a)) || 0;
      case 'delivery': return this.delivery(num(a), str(b, 20));
      case 'body': return this.link.send({ op: 'body', index: num(a), how: str(b, 10) });
      case 'uncaught': return this.onUncaught(a, b === true);
      case 'listen': this.listenerCounts[str(a, 40)] = num(b); return undefined;
      case 'exit': return this.onExit(num(a));
      case 'exit-code': return this.link.send({ op: 'exit-code', code: num(a) });
      case 'require': return this.link.send({ op: 'require', name: str(a, 200), allowed: b === true });
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

  schedule(kind, delay) {
    if (this.dead || !['timeout', 'interval', 'immediate'].includes(kind)) return 0;
    const id = this.nextId++;
    this.kinds.set(id, kind);
    this.link.send({ op: 'schedule', kind, delay });
    return id;
  }

  clear(id, allowFetch) {
    const kind = this.kinds.get(id);
    if (!kind || (kind === 'fetch' && !allowFetch)) return false;
    this.kinds.delete(id);
    this.link.send({ op: kind === 'fetch' ? 'abort' : 'clear', id });
    return true;
  }

  setRef(id, ref) {
    const kind = this.kinds.get(id);
    if (!kind || kind === 'fetch') return;
    if (ref) this.unref.delete(id);
    else this.unref.add(id);
    this.link.send({ op: 'ref', id, ref });
  }

  counted() {
    if (++this.outputs <= MAX_OUTPUT_MESSAGES) return true;
    this.unsent++;
    return false;
  }

  onConsole(method, args) {
    if (!CONSOLE_METHODS.has(method) || !Array.isArray(args) || types.isProxy(args) || !this.counted()) return;
    const length = Math.min(num(dataProperty(args, 'length', 0)), 20);
    const out = [];
    for (let i = 0; i < length; i++) out.push(this.serialize(dataProperty(args, String(i), undefined)));
    this.link.send({ op: 'console', method, args: out });
  }

  // A round trip: the observer numbers the call, and either queues the
  // response (an id to wait for), delivers it now (same tick) or not at all.
  onFetch(url, method, aborted) {
    if (this.dead) return 0;
    const reply = this.link.call({ op: 'fetch', url: url.slice(0, 500), method, aborted });
    const index = ++this.fetches;
    const id = reply && Number.isInteger(reply.id) && reply.id > 0 ? reply.id : 0;
    if (id) {
      this.kinds.set(id, 'fetch');
      this.nextId = id + 1;
    }
    this.fetchEntries.set(index, id);
    if (reply && reply.response) this.deliveries.set(index, reply.response);
    return index;
  }

  delivery(index, key) {
    const response = this.deliveries.get(index) || {};
    const value = response[key];
    return typeof value === 'string' || typeof value === 'number' ? value : undefined;
  }

  onUncaught(error, handled) {
    this.link.send({ op: 'uncaught', error: this.serialize(error), handled });
    if (!handled) this.dead = true;
  }

  onExit(code) {
    this.link.send({ op: 'exit', code });
    this.dead = true;
  }

  // Node reported an unhandled rejection while this scenario ran.
  onUnhandledRejection(reason, promise) {
    if (this.dead) return;
    const listening = (this.listenerCounts.unhandledRejection || 0) > 0;
    this.link.send({ op: 'rejection', reason: this.serialize(reason), handled_by_listener: listening });
    if (listening) this.rejections.push({ reason, promise });
    else this.dead = true;
  }

  // ---- running ---------------------------------------------------------------
  evaluate(script) {
    try {
      script.runInContext(this.context, { timeout: this.timeLimitMs });
      return true;
    } catch (error) {
      if (isTimeoutError(error)) this.stop('timeout');
      else this.onUncaught(error, false);
      return false;
    }
  }

  stop(reason) {
    this.link.send({ op: 'stop', reason });
    this.dead = true;
  }

  moduleFailed(error) {
    this.moduleState = 'failed';
    if (isTimeoutError(error)) this.stop('timeout');
    else this.onUncaught(error, false);
  }

  createContext() {
    this.context = vm.createContext(Object.create(null), {
      name: 'race_js',
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
    const bridge = SHELL.runInContext(this.context)((op, a, b, c) => this.bridge(op, a, b, c));
    let shared;
    for (const prelude of loadPreludes()) shared = prelude.runInContext(this.context)(bridge, shared);
    this.modules = captureModules(shared);  // the modules prelude returns its lookup function
  }

  // Runs the answer, then serves the observer's commands until it ends the
  // scenario: step (run queue entry `id` at virtual time `now`), probe (one
  // more drain for a settling module), finish (exit listeners), end.
  async run() {
    ScenarioRun.current = this;
    this.createContext();
    if (this.answer.kind === 'esm') await startModule(this);
    else this.evaluate(this.answer.script);
    for (;;) {
      await this.quiesce();
      if (this.unsent > 0) this.link.send({ op: 'dropped', count: this.unsent });
      this.unsent = 0;
      const command = this.link.call({ op: 'idle', tla_pending: this.moduleState === 'pending' });
      if (!command || command.op === 'end') break;
      this.obey(command);
    }
    ScenarioRun.current = null;
  }

  obey(command) {
    if (this.dead) return;
    if (command.op === 'probe') this.evaluate(SCRIPTS.drain);
    else if (command.op === 'finish' && this.listenerCounts.exit > 0) this.evaluate(SCRIPTS.finish);
    else if (command.op === 'step') this.step(command);
  }

  step(command) {
    this.now = num(command.now);
    const id = num(command.id);
    if (command.response && typeof command.index === 'number') this.deliveries.set(command.index, command.response);
    if (this.kinds.get(id) !== 'interval') this.kinds.delete(id);
    this.pendingAction = id;
    this.actionTaken = false;
    this.evaluate(SCRIPTS.step);
    if (!this.actionTaken && !this.dead) this.stop('tampered');
  }

  // Host macrotasks (unhandled-rejection reports), rejection listeners and
  // dynamic imports settle here, before the runner says it is idle.
  async quiesce() {
    for (let i = 0; i < MAX_QUIET_TICKS && !this.dead; i++) {
      await tick();
      if (this.dead) return;
      if (this.rejections.length > 0) {
        this.currentRejection = this.rejections.shift();
        this.evaluate(SCRIPTS.rejection);
      } else if (this.hostPending > 0 || this.drainOnce) {
        this.drainOnce = false;
        this.evaluate(SCRIPTS.drain);  // settles the answer's side of a dynamic import
      } else {
        return;
      }
    }
  }
}

ScenarioRun.current = null;

module.exports = { ScenarioRun, CONSOLE_METHODS };
