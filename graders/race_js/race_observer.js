'use strict';
// The observer's record of one scenario (trusted; runs in the harness
// process, never beside answer code). The runner announces each call the
// answer makes as one bounded JSON message; this class checks its shape,
// stamps it with the observer's own virtual time, and decides what happens
// next: which timer or fetch response is due (the queue is the observer's
// VirtualClock), when the answer's data is handed over, when the scenario
// ends and why. A forged message is therefore no better than the call it
// claims: the data arrives only at its delivery step, body reads count only
// for delivered responses, and time, order and completion are decided here.
// (What the runner cannot be made to report: an unhandled rejection it
// hides. See README.md, Trust boundary.)

const { VirtualClock } = require('./race_clock.js');

const LIMITS = { maxEvents: 200, maxTraceChars: 40000, maxSteps: 1000, virtualCapMs: 60000, maxMessages: 100000 };
const CONSOLE_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'table', 'assert', 'time', 'count']);
const TIMER_KINDS = new Set(['timeout', 'interval', 'immediate']);
const STOP_REASONS = new Set(['timeout', 'tampered']);

const str = (value, max = 2000) => (typeof value === 'string' ? value.slice(0, max) : '');
const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const id = (value) => (Number.isInteger(value) && value > 0 ? value : 0);

class ProtocolError extends Error {}

class ScenarioObserver {
  // spec: the test's `input` (scenario, response); module: 'cjs' | 'esm'.
  constructor(spec, module) {
    this.spec = spec && typeof spec === 'object' ? spec : {};
    this.module = module;
    this.clock = new VirtualClock();
    this.events = [];
    this.traceChars = 0;
    this.dropped = 0;
    this.messages = 0;
    this.fetches = 0;
    this.fetchIndexById = new Map();
    this.delivered = new Map();  // fetch index -> response handed to the runner
    this.steps = 0;
    this.exitCode = 0;
    this.phase = 'running';  // running | finishing
    this.probed = false;
    this.dead = false;
    this.end = null;
    this.over = false;  // 'end' was sent: the runner is between scenarios
  }

  // ---- recording ---------------------------------------------------------------
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

  die(reason, exitCode, detail) {
    if (this.dead) return;
    this.dead = true;
    this.end = { reason, t: this.clock.now, exit_code: exitCode };
    if (detail) this.end.detail = str(detail, 300);
  }

  trace() {
    return {
      scenario: str(this.spec.scenario, 60), module: this.module, events: this.events,
      end: this.end, dropped: this.dropped, steps: this.steps, flooded: this.clock.flooded,
    };
  }

  // ---- the scenario's response, as the test input says -------------------------
  response() {
    const response = this.spec.response && typeof this.spec.response === 'object' ? this.spec.response : {};
    return {
      mode: response.fail === 'network' ? 'network' : 'ok',
      status: num(response.status) || 200,
      status_text: str(response.status_text || ''),
      body: str(response.body, 1e6),
      content_type: str(response.content_type || 'application/json'),
      delay_ms: num(response.delay_ms),
      same_tick: response.timing === 'resolved',
    };
  }

  // Hands fetch `index`'s response over now, and records its arrival.
  deliver(index) {
    const r = this.response();
    this.delivered.set(index, r);
    const network = r.mode === 'network';
    this.record({ kind: 'response', index, outcome: network ? 'network-error' : 'ok', status: network ? 0 : r.status });
    return { mode: r.mode, status: r.status, status_text: r.status_text, body: r.body, content_type: r.content_type };
  }

  // ---- messages from the runner ------------------------------------------------------
  // One parsed message -> the command to send back, or null. Never throws:
  // a message of the wrong shape ends the scenario as a protocol violation.
  handle(message) {
    if (this.over) return null;
    try {
      if (++this.messages > LIMITS.maxMessages) throw new ProtocolError(`more than ${LIMITS.maxMessages} messages`);
      if (message === null || typeof message !== 'object' || Array.isArray(message) || typeof message.op !== 'string') {
        throw new ProtocolError('a message that is not {op: ...}');
      }
      return this.dispatch(message);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return this.violation(error.message);
    }
  }

  violation(reason) {
    this.record({ kind: 'protocol', reason: str(reason, 300) });
    this.die('protocol', null, reason);
    return this.finishWith();
  }

  finishWith() {
    this.over = true;
    return { op: 'end' };
  }

  dispatch(m) {
    switch (m.op) {
      case 'idle': return this.onIdle(m.tla_pending === true);
      case 'fetch': return this.onFetch(m);
      case 'schedule': return this.onSchedule(m);
      case 'clear': this.clock.clear(id(m.id)); return null;
      case 'abort': return this.onAbort(id(m.id));
      case 'ref': this.clock.setRef(id(m.id), m.ref === true); return null;
      case 'refresh': this.clock.refresh(id(m.id)); return null;
      case 'console': return this.onConsole(m);
      case 'output': return this.record({ kind: 'output', stream: m.stream === 'stderr' ? 'stderr' : 'stdout', text: str(m.text) }), null;
      case 'body': return this.onBody(id(m.index), m.how);
      case 'uncaught': return this.onCrash('uncaught', { error: m.error, handled: m.handled === true }, m.handled === true);
      case 'rejection': return this.onCrash('unhandled-rejection', { reason: m.reason, handled_by_listener: m.handled_by_listener === true }, m.handled_by_listener === true);
      case 'exit': return this.onExit(num(m.code));
      case 'exit-code': this.exitCode = num(m.code); return null;
      case 'require': return this.record({ kind: 'require', name: str(m.name, 200), allowed: m.allowed === true }), null;
      case 'fault': return this.record({ kind: 'harness-fault', message: str(m.message) }), null;
      case 'stop': return this.onStop(m.reason);
      default: throw new ProtocolError(`unknown message ${str(m.op, 40)}`);
    }
  }

  onFetch(m) {
    if (this.dead) return { op: 'fetch-reply', id: 0 };
    const index = ++this.fetches;
    this.record({ kind: 'fetch', index, url: str(m.url, 500), method: str(m.method, 20) });
    if (m.aborted === true) {
      this.record({ kind: 'response', index, outcome: 'aborted', status: 0 });
      return { op: 'fetch-reply', id: 0 };
    }
    const r = this.response();
    if (r.same_tick) return { op: 'fetch-reply', id: 0, response: this.deliver(index) };
    const entry = this.clock.add('fetch', r.delay_ms);
    this.fetchIndexById.set(entry, index);
    return { op: 'fetch-reply', id: entry };
  }

  onSchedule(m) {
    if (!TIMER_KINDS.has(m.kind)) throw new ProtocolError('schedule of an unknown kind');
    if (!this.dead) this.clock.add(m.kind, m.kind === 'immediate' ? 0 : num(m.delay));
    return null;
  }

  onAbort(entry) {
    const index = this.fetchIndexById.get(entry);
    if (index && this.clock.clear(entry, true)) this.record({ kind: 'response', index, outcome: 'aborted', status: 0 });
    return null;
  }

  onConsole(m) {
    if (!CONSOLE_METHODS.has(m.method) || !Array.isArray(m.args)) throw new ProtocolError('a console call of the wrong shape');
    this.record({ kind: 'console', method: m.method, args: m.args.slice(0, 20) });
    return null;
  }

  // A body read counts only for a response this observer delivered; whether
  // it parses is decided here, on the body the observer served.
  onBody(index, how) {
    const r = this.delivered.get(index);
    if (!r || r.mode !== 'ok' || (how !== 'json' && how !== 'text')) return null;
    let ok = true;
    if (how === 'json') {
      try {
        JSON.parse(r.body);
      } catch (_) {
        ok = false;
      }
    }
    this.record({ kind: 'body', index, how, ok });
    return null;
  }

  onCrash(kind, fields, survived) {
    this.record({ kind, ...fields });
    if (!survived) this.die('crash', 1);
    return null;
  }

  onExit(code) {
    this.record({ kind: 'exit', code });
    this.die('exit', code);
    return null;
  }

  onStop(reason) {
    if (!STOP_REASONS.has(reason)) throw new ProtocolError('stop for an unknown reason');
    this.die(reason, null);
    return null;
  }

  // The runner has run everything it can: the observer picks what is next.
  onIdle(tlaPending) {
    if (this.dead) return this.finishWith();
    if (this.phase === 'finishing') {
      if (tlaPending) this.die('tla-unsettled', 13);
      else this.die('idle', this.exitCode);
      return this.finishWith();
    }
    const entry = this.clock.peek();
    if (!entry && !this.probed && this.module === 'esm') {
      this.probed = true;  // one more drain: a settling module may still resume
      return { op: 'probe' };
    }
    if (!entry) {
      this.phase = 'finishing';
      return { op: 'finish' };
    }
    this.probed = false;
    if (entry.due > LIMITS.virtualCapMs || this.steps >= LIMITS.maxSteps) {
      this.die('virtual-cap', null);
      return this.finishWith();
    }
    return this.step(entry);
  }

  step(entry) {
    this.clock.take(entry);
    this.steps++;
    const command = { op: 'step', id: entry.id, now: this.clock.now };
    if (entry.kind === 'fetch') {
      const index = this.fetchIndexById.get(entry.id);
      command.index = index;
      command.response = this.deliver(index);
    }
    return command;
  }
}

module.exports = { ScenarioObserver, LIMITS, ProtocolError };
