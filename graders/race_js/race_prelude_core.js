(function gradeboxRaceCore(bridge) {
  // Runs INSIDE the answer's vm context, before the answer. Builds the
  // globals a Node script expects (console, timers, Date, performance,
  // process, queueMicrotask) out of this realm's own objects, so nothing of
  // the host realm is reachable from the answer. The host is reached only
  // through `bridge`, kept in this closure; it takes and returns primitives
  // or this realm's own objects. Time is virtual: the observer (another
  // process) owns the clock and the timer queue; the runner calls back
  // through __gradebox_step when the observer says which entry is due.
  // Built-ins are captured here, before the answer can patch them.
  'use strict';
  const G = globalThis;
  const { apply, construct, defineProperty } = Reflect;
  const ObjectCreate = Object.create;
  const ObjectFreeze = Object.freeze;
  const MapCtor = Map;
  const mapGet = Map.prototype.get;
  const mapSet = Map.prototype.set;
  const mapDelete = Map.prototype.delete;
  const WeakMapCtor = WeakMap;
  const weakGet = WeakMap.prototype.get;
  const weakSet = WeakMap.prototype.set;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const promiseResolve = Promise.resolve;
  const promiseReject = Promise.reject;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const NumberCtor = Number;
  const StringCtor = String;
  const BigIntCtor = BigInt;
  const MathFloor = Math.floor;
  const RealDate = Date;
  const dateToString = Date.prototype.toString;
  const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');

  const resolved = (value) => apply(promiseResolve, PromiseCtor, [value]);
  const rejected = (error) => apply(promiseReject, PromiseCtor, [error]);
  const then = (promise, onValue, onError) => apply(promiseThen, promise, [onValue, onError]);
  const append = (array, value) => defineProperty(array, array.length, { value, writable: true, enumerable: true, configurable: true });
  const hidden = (object, name, value) => defineProperty(object, name, { value, writable: false, enumerable: false, configurable: false });

  function makeError(Ctor, message, code) {
    const error = new Ctor(message);
    if (code !== undefined) error.code = code;
    return error;
  }

  // ---- uncaught errors and the process.exit unwind --------------------
  const exitSignal = ObjectFreeze(ObjectCreate(null));
  const listeners = ObjectCreate(null);  // process event name -> array of functions
  const listenersOf = (name) => listeners[name] || (listeners[name] = []);

  function uncaught(error) {
    const handlers = listenersOf('uncaughtException');
    bridge('uncaught', error, handlers.length > 0);
    for (let i = 0; i < handlers.length; i++) {
      try {
        apply(handlers[i], G.process, [error, 'uncaughtException']);
      } catch (again) {
        if (again !== exitSignal) bridge('uncaught', again, false);
        return;
      }
    }
  }

  function runGuarded(fn, self, args) {
    try {
      apply(fn, self, args);
    } catch (error) {
      if (error !== exitSignal) uncaught(error);
    }
  }

  // ---- virtual timers: the host keeps the queue, we keep the callbacks ----
  const thunks = new MapCtor();  // host id -> {fn, args, repeat}
  const timerIds = new WeakMapCtor();

  function schedule(kind, delay, fn, args) {
    const id = bridge('schedule', kind, delay);
    if (typeof id === 'number' && id > 0) apply(mapSet, thunks, [id, { fn, args, repeat: kind === 'interval' }]);
    return id;
  }
  function bind(id, fn) {
    if (typeof id === 'number' && id > 0) apply(mapSet, thunks, [id, { fn, args: [], repeat: false }]);
  }
  function cancel(id) {
    if (bridge('clear', id) === true) apply(mapDelete, thunks, [id]);
  }
  function idOf(handle) {
    if (typeof handle === 'number') return handle;
    if (typeof handle === 'string') return NumberCtor(handle);
    if (handle !== null && typeof handle === 'object') return apply(weakGet, timerIds, [handle]) || 0;
    return 0;
  }
  function checkCallback(fn) {
    if (typeof fn !== 'function') {
      throw makeError(TypeErrorCtor, 'The "callback" argument must be of type function. Received ' + typeof fn, 'ERR_INVALID_ARG_TYPE');
    }
  }

  class Timeout {
    constructor(id) { apply(weakSet, timerIds, [this, id]); }
    ref() { bridge('ref', idOf(this), true); return this; }
    unref() { bridge('ref', idOf(this), false); return this; }
    hasRef() { return bridge('has-ref', idOf(this)) === true; }
    refresh() { bridge('refresh', idOf(this)); return this; }
    close() { cancel(idOf(this)); return this; }
    [Symbol.toPrimitive]() { return idOf(this); }
  }
  class Immediate {
    constructor(id) { apply(weakSet, timerIds, [this, id]); }
    ref() { bridge('ref', idOf(this), true); return this; }
    unref() { bridge('ref', idOf(this), false); return this; }
    hasRef() { return bridge('has-ref', idOf(this)) === true; }
  }

  const toDelay = (delay) => (typeof delay === 'number' ? delay : NumberCtor(delay));
  function setTimeout(fn, delay, ...args) {
    checkCallback(fn);
    return new Timeout(schedule('timeout', toDelay(delay), fn, args));
  }
  function setInterval(fn, delay, ...args) {
    checkCallback(fn);
    return new Timeout(schedule('interval', toDelay(delay), fn, args));
  }
  function setImmediate(fn, ...args) {
    checkCallback(fn);
    return new Immediate(schedule('immediate', 0, fn, args));
  }
  const clearTimeout = (handle) => cancel(idOf(handle));
  hidden(setTimeout, promisifyCustom, (ms, value) => new PromiseCtor((resolve) => setTimeout(resolve, ms, value)));
  hidden(setImmediate, promisifyCustom, (value) => new PromiseCtor((resolve) => setImmediate(resolve, value)));

  function queueMicrotask(fn) {
    checkCallback(fn);
    then(resolved(undefined), () => runGuarded(fn, undefined, []));
  }

  // ---- virtual clock: Date, performance ----------------------------------
  const EPOCH = bridge('config', 'epoch_ms');
  const virtualNow = () => bridge('now');
  function FakeDate(...args) {
    if (new.target === undefined) return apply(dateToString, construct(RealDate, [EPOCH + virtualNow()]), []);
    return construct(RealDate, args.length === 0 ? [EPOCH + virtualNow()] : args, new.target);
  }
  FakeDate.prototype = RealDate.prototype;
  FakeDate.now = () => EPOCH + virtualNow();
  FakeDate.parse = RealDate.parse;
  FakeDate.UTC = RealDate.UTC;
  defineProperty(RealDate.prototype, 'constructor', { value: FakeDate, writable: true, configurable: true });
  // Math.random: seeded, so retry jitter and random ids replay the same way.
  let seed = 0x2545f491;
  defineProperty(Math, 'random', {
    value: function random() {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    writable: true,
    configurable: true,
  });
  const performance = {
    now: () => virtualNow(),
    timeOrigin: EPOCH,
    mark() {},
    measure() {},
    toJSON() { return { timeOrigin: EPOCH }; },
  };

  // ---- console: every call goes to the host, arguments as they are now ----
  const timers = new MapCtor();
  const counts = new MapCtor();
  const record = (method, args) => { bridge('console', method, args); };
  const console = {
    log: (...args) => record('log', args),
    info: (...args) => record('info', args),
    debug: (...args) => record('debug', args),
    warn: (...args) => record('warn', args),
    error: (...args) => record('error', args),
    trace: (...args) => record('trace', args),
    dir: (value) => record('dir', [value]),
    table: (value) => record('table', [value]),
    assert: (ok, ...args) => { if (!ok) record('assert', args); },
    group: (...args) => { if (args.length) record('log', args); },
    groupCollapsed: (...args) => { if (args.length) record('log', args); },
    groupEnd() {},
    time: (label = 'default') => { apply(mapSet, timers, [StringCtor(label), virtualNow()]); },
    timeLog: (label = 'default', ...rest) => console.timeEnd(label, ...rest),
    timeEnd: (label = 'default') => {
      const start = apply(mapGet, timers, [StringCtor(label)]);
      record('time', [StringCtor(label) + ': ' + (start === undefined ? 0 : virtualNow() - start) + 'ms']);
    },
    count: (label = 'default') => {
      const n = (apply(mapGet, counts, [StringCtor(label)]) || 0) + 1;
      apply(mapSet, counts, [StringCtor(label), n]);
      record('count', [StringCtor(label) + ': ' + n]);
    },
    countReset: (label = 'default') => { apply(mapDelete, counts, [StringCtor(label)]); },
  };

  // ---- process: a stub; exit is recorded and unwinds the answer ----------
  let exitCode;
  function on(name, fn) {
    append(listenersOf(StringCtor(name)), fn);
    bridge('listen', StringCtor(name), listenersOf(StringCtor(name)).length);
    return process;
  }
  function off(name, fn) {
    const list = listenersOf(StringCtor(name));
    const kept = [];
    for (let i = 0; i < list.length; i++) if (list[i] !== fn) append(kept, list[i]);
    listeners[StringCtor(name)] = kept;
    bridge('listen', StringCtor(name), kept.length);
    return process;
  }
  function exit(code) {
    const final = code === undefined ? exitCode : code;
    runExitListeners(final);
    bridge('exit', final === undefined ? 0 : NumberCtor(final));
    throw exitSignal;
  }
  function runExitListeners(code) {
    const list = listenersOf('exit');
    listeners.exit = [];
    for (let i = 0; i < list.length; i++) runGuarded(list[i], process, [code === undefined ? 0 : code]);
  }
  const writer = (stream) => ({
    write(chunk, encoding, callback) {
      bridge('output', stream, typeof chunk === 'string' ? chunk : StringCtor(chunk));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(done);
      return true;
    },
    isTTY: false,
    columns: 80,
    on() { return this; },
    once() { return this; },
  });
  function hrtime(previous) {
    const ns = MathFloor(virtualNow() * 1e6);
    let sec = MathFloor(ns / 1e9);
    let nsec = ns % 1e9;
    if (previous && typeof previous === 'object') {
      sec -= previous[0];
      nsec -= previous[1];
      if (nsec < 0) { sec -= 1; nsec += 1e9; }
    }
    return [sec, nsec];
  }
  hrtime.bigint = () => BigIntCtor(MathFloor(virtualNow() * 1e6));
  const denied = (what) => () => { throw makeError(ErrorCtor, what + ' is not permitted in the grader', 'EPERM'); };
  const process = {
    argv: ['/usr/bin/node', bridge('config', 'filename')],
    argv0: 'node',
    execArgv: [],
    execPath: '/usr/bin/node',
    env: {},
    platform: 'linux',
    arch: 'x64',
    version: 'v20.0.0',
    versions: { node: '20.0.0', v8: '11.3' },
    release: { name: 'node' },
    pid: 2,
    ppid: 1,
    title: 'node',
    exit,
    abort: () => { bridge('uncaught', makeError(ErrorCtor, 'process.abort() called'), false); throw exitSignal; },
    on, addListener: on, prependListener: on, off, removeListener: off,
    once(name, fn) {
      const wrapped = (...args) => { off(name, wrapped); return apply(fn, process, args); };
      return on(name, wrapped);
    },
    removeAllListeners(name) {
      const names = name === undefined ? ['unhandledRejection', 'uncaughtException', 'exit'] : [StringCtor(name)];
      for (let i = 0; i < names.length; i++) {
        listeners[names[i]] = [];
        bridge('listen', names[i], 0);
      }
      return process;
    },
    listeners: (name) => listenersOf(StringCtor(name)).slice(),
    listenerCount: (name) => listenersOf(StringCtor(name)).length,
    emit(name, ...args) {
      const list = listenersOf(StringCtor(name));
      for (let i = 0; i < list.length; i++) apply(list[i], process, args);
      return list.length > 0;
    },
    nextTick(fn, ...args) {
      checkCallback(fn);
      then(resolved(undefined), () => runGuarded(fn, undefined, args));
    },
    stdout: writer('stdout'),
    stderr: writer('stderr'),
    stdin: { on() { return this; }, resume() {}, pause() {}, isTTY: false },
    hrtime,
    uptime: () => virtualNow() / 1000,
    cwd: () => '/tmp',
    memoryUsage: () => ({ rss: 50e6, heapTotal: 20e6, heapUsed: 10e6, external: 1e6, arrayBuffers: 1e5 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
    emitWarning: (warning) => record('warn', [warning]),
    chdir: denied('process.chdir'),
    kill: denied('process.kill'),
    binding: denied('process.binding'),
    dlopen: denied('process.dlopen'),
  };
  defineProperty(process, 'exitCode', {
    get: () => exitCode,
    set: (value) => { exitCode = value; bridge('exit-code', value === undefined ? 0 : NumberCtor(value)); },
    enumerable: true,
    configurable: false,
  });

  // ---- entry points the host calls (fixed names the answer cannot replace) ----
  hidden(G, '__gradebox_step', function step() {
    const id = bridge('next');
    if (typeof id !== 'number') return;
    const entry = apply(mapGet, thunks, [id]);
    if (!entry) return;
    if (!entry.repeat) apply(mapDelete, thunks, [id]);
    runGuarded(entry.fn, undefined, entry.args);
  });
  hidden(G, '__gradebox_rejection', function rejection() {
    const reason = bridge('rejection-reason');
    const promise = bridge('rejection-promise');
    const list = listenersOf('unhandledRejection');
    for (let i = 0; i < list.length; i++) runGuarded(list[i], process, [reason, promise]);
  });
  hidden(G, '__gradebox_finish', function finish() {
    runExitListeners(exitCode);
  });

  const globals = {
    console, setTimeout, setInterval, setImmediate, clearTimeout, clearInterval: clearTimeout,
    clearImmediate: clearTimeout, queueMicrotask, performance, process, Date: FakeDate, global: G,
  };
  for (const name in globals) defineProperty(G, name, { value: globals[name], writable: true, enumerable: false, configurable: true });

  const shared = ObjectCreate(null);
  const exported = { resolved, rejected, then, makeError, runGuarded, uncaught, schedule, bind, cancel, exitSignal, setTimeout, setImmediate, clearTimeout, hidden, append };
  for (const name in exported) shared[name] = exported[name];
  return shared;
})
