(function gradeboxRaceModules(bridge, shared) {
  // Runs INSIDE the answer's vm context after the core and fetch preludes:
  // the only modules an answer may load, all built in this realm (a host
  // module object would hand the answer the host's Function and process):
  // the fake node-fetch (and fetch look-alikes), small util / events /
  // timers / timers/promises / perf_hooks. Anything else fails like a
  // missing package. Also defines __gradebox_enter, which runs a CommonJS
  // answer with its require/module/exports.
  'use strict';
  const G = globalThis;
  const { apply, defineProperty } = Reflect;
  const ObjectCreate = Object.create;
  const ObjectKeys = Object.keys;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const StringCtor = String;
  const JSONstringify = JSON.stringify;
  const ArrayIsArray = Array.isArray;
  const { makeError, runGuarded, hidden, append } = shared;
  const custom = Symbol.for('nodejs.util.promisify.custom');

  function promisify(fn) {
    if (typeof fn !== 'function') throw makeError(TypeErrorCtor, 'The "original" argument must be of type function', 'ERR_INVALID_ARG_TYPE');
    if (typeof fn[custom] === 'function') return fn[custom];
    return function promisified(...args) {
      return new PromiseCtor((resolve, reject) => {
        append(args, (error, value) => (error ? reject(error) : resolve(value)));
        apply(fn, this, args);
      });
    };
  }
  promisify.custom = custom;

  function inspect(value) {
    if (typeof value === 'string') return "'" + value + "'";
    try {
      const text = JSONstringify(value);
      return text === undefined ? StringCtor(value) : text;
    } catch (_) {
      return StringCtor(value);
    }
  }
  function format(...args) {
    let out = '';
    for (let i = 0; i < args.length; i++) out += (i ? ' ' : '') + (typeof args[i] === 'string' ? args[i] : inspect(args[i]));
    return out;
  }
  function isDeepStrictEqual(a, b) {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (ArrayIsArray(a) !== ArrayIsArray(b)) return false;
    const keys = ObjectKeys(a);
    if (keys.length !== ObjectKeys(b).length) return false;
    for (let i = 0; i < keys.length; i++) if (!isDeepStrictEqual(a[keys[i]], b[keys[i]])) return false;
    return true;
  }
  const util = { promisify, inspect, format, isDeepStrictEqual, types: { isPromise: (v) => v instanceof PromiseCtor } };

  class EventEmitter {
    #events = ObjectCreate(null);
    on(name, fn) { (this.#events[name] || (this.#events[name] = [])).push(fn); return this; }
    addListener(name, fn) { return this.on(name, fn); }
    prependListener(name, fn) { return this.on(name, fn); }
    once(name, fn) {
      const wrapped = (...args) => { this.off(name, wrapped); return apply(fn, this, args); };
      return this.on(name, wrapped);
    }
    off(name, fn) { this.#events[name] = (this.#events[name] || []).filter((f) => f !== fn); return this; }
    removeListener(name, fn) { return this.off(name, fn); }
    removeAllListeners(name) { if (name === undefined) this.#events = ObjectCreate(null); else delete this.#events[name]; return this; }
    emit(name, ...args) {
      const list = (this.#events[name] || []).slice();
      if (name === 'error' && list.length === 0) throw args[0] instanceof ErrorCtor ? args[0] : makeError(ErrorCtor, 'Unhandled error.', 'ERR_UNHANDLED_ERROR');
      for (let i = 0; i < list.length; i++) apply(list[i], this, args);
      return list.length > 0;
    }
    listenerCount(name) { return (this.#events[name] || []).length; }
    listeners(name) { return (this.#events[name] || []).slice(); }
    setMaxListeners() { return this; }
  }
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.once = (emitter, name) => new PromiseCtor((resolve) => emitter.once(name, (...args) => resolve(args)));

  const timers = {
    setTimeout: G.setTimeout, setInterval: G.setInterval, setImmediate: G.setImmediate,
    clearTimeout: G.clearTimeout, clearInterval: G.clearInterval, clearImmediate: G.clearImmediate,
  };
  const sleep = (ms, value) => new PromiseCtor((resolve) => shared.setTimeout(resolve, ms, value));
  const timersPromises = {
    setTimeout: sleep,
    setImmediate: (value) => new PromiseCtor((resolve) => shared.setImmediate(resolve, value)),
    scheduler: { wait: (ms) => sleep(ms), yield: () => sleep(0) },
  };

  const fetchModule = shared.fetchModule;
  const table = ObjectCreate(null);
  const modules = {
    'node-fetch': fetchModule, 'cross-fetch': fetchModule, 'isomorphic-fetch': fetchModule, undici: fetchModule,
    util, events: EventEmitter, timers, 'timers/promises': timersPromises, perf_hooks: { performance: G.performance },
  };
  for (const name in modules) table[name] = modules[name];

  function lookup(name) {
    const bare = StringCtor(name).startsWith('node:') ? StringCtor(name).slice(5) : StringCtor(name);
    return table[bare];
  }

  function makeRequire(module) {
    function require(name) {
      const found = lookup(name);
      bridge('require', StringCtor(name), found !== undefined);
      if (found === undefined) throw makeError(ErrorCtor, "Cannot find module '" + StringCtor(name) + "'", 'MODULE_NOT_FOUND');
      return found;
    }
    require.resolve = (name) => { throw makeError(ErrorCtor, "Cannot find module '" + StringCtor(name) + "'", 'MODULE_NOT_FOUND'); };
    require.cache = ObjectCreate(null);
    require.main = module;
    return require;
  }

  hidden(G, '__gradebox_enter', function enter(body) {
    const filename = bridge('config', 'filename');
    const module = { exports: {}, id: '.', filename, loaded: false, children: [], paths: [] };
    const require = makeRequire(module);
    module.require = require;
    const dirname = filename.slice(0, filename.lastIndexOf('/')) || '/';
    runGuarded(body, module.exports, [module.exports, require, module, filename, dirname]);
    module.loaded = true;
  });

  return lookup;
})
