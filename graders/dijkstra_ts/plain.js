'use strict';
// Plain-data helpers for harnesses that run untrusted code in their own
// process. Everything here uses built-ins captured when this file is first
// required, i.e. BEFORE the answer loads: an answer may patch
// Array.prototype, Map.prototype, JSON or Object.prototype.toJSON, and the
// values we report must not change because of that.

const util = require('util');
const crypto = require('crypto');
const fs = require('fs');

const uncurry = (fn) => Function.prototype.call.bind(fn);
const mapIterNext = uncurry(Object.getPrototypeOf(new Map().entries()).next);
const setIterNext = uncurry(Object.getPrototypeOf(new Set().values()).next);

const P = Object.freeze({
  keys: Object.keys,
  ownNames: Object.getOwnPropertyNames,
  ownDesc: Object.getOwnPropertyDescriptor,
  getProto: Object.getPrototypeOf,
  isArray: Array.isArray,
  isMap: util.types.isMap,
  isSet: util.types.isSet,
  isProxy: util.types.isProxy,
  isPromise: util.types.isPromise,
  fnToString: uncurry(Function.prototype.toString),
  mapEntries: uncurry(Map.prototype.entries),
  mapSize: uncurry(Object.getOwnPropertyDescriptor(Map.prototype, 'size').get),
  setValues: uncurry(Set.prototype.values),
  mapIterNext,
  setIterNext,
  jsonString: JSON.stringify,  // used on string primitives only (no toJSON lookup)
  jsonParse: JSON.parse,
  createHash: crypto.createHash,
  writeSync: fs.writeSync,
  hrtime: process.hrtime.bigint,
  cpuUsage: process.cpuUsage.bind(process),
  ObjectProto: Object.prototype,
  NumberIsFinite: Number.isFinite,
  NumberIsNaN: Number.isNaN,
  String,
});

/** An own data property's value, or `absent` (getters are never run). */
const ABSENT = Symbol('absent');
function ownValue(obj, key) {
  const d = P.ownDesc(obj, key);
  if (d === undefined || !('value' in d)) return ABSENT;
  return d.value;
}

/** [key, value] pairs of a real Map, read through its internal slots. */
function mapPairs(m) {
  const out = [];
  const it = P.mapEntries(m);
  for (;;) {
    const r = P.mapIterNext(it);
    if (r.done) return out;
    out[out.length] = r.value;
  }
}

function setValues(s) {
  const out = [];
  const it = P.setValues(s);
  for (;;) {
    const r = P.setIterNext(it);
    if (r.done) return out;
    out[out.length] = r.value;
  }
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || P.isProxy(v)) return false;
  const proto = P.getProto(v);
  return proto === P.ObjectProto || proto === null;
}

/**
 * A serializer for data the harness built itself (numbers, strings, null,
 * booleans, arrays, plain objects). JSON.stringify would consult toJSON on
 * prototypes the answer can patch.
 */
function stringify(v) {
  if (v === null || v === undefined) return 'null';
  const t = typeof v;
  if (t === 'number') return P.NumberIsFinite(v) ? '' + v : 'null';
  if (t === 'boolean') return v ? 'true' : 'false';
  if (t === 'string') return P.jsonString(v);
  if (P.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + stringify(v[i]);
    return s + ']';
  }
  let s = '{';
  const ks = P.keys(v);
  for (let i = 0; i < ks.length; i++) {
    s += (i ? ',' : '') + P.jsonString(ks[i]) + ':' + stringify(v[ks[i]]);
  }
  return s + '}';
}

/** One line on `fd`, written synchronously. */
function writeLine(fd, obj) {
  const line = stringify(obj) + '\n';
  let off = 0;
  const buf = Buffer.from(line, 'utf8');
  while (off < buf.length) off += P.writeSync(fd, buf, off, buf.length - off);
}

/** Tag for a non-number value, as reports show it. */
function tagOf(v) {
  if (v === ABSENT) return 'absent';
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') {
    if (P.NumberIsNaN(v)) return 'NaN';
    return v > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof v === 'object' && P.isProxy(v)) return 'other:proxy';
  return 'other:' + typeof v;
}

/** A distance as it leaves the sandbox: a finite number or a tag string. */
function encodeNumber(v) {
  if (typeof v === 'number' && P.NumberIsFinite(v)) return v === 0 ? 0 : v;
  return tagOf(v);
}

/**
 * A canonical, deterministic text of a data structure (Maps, Sets, arrays,
 * objects, class instances by own properties), for before/after comparison.
 * Getters are not run; Proxies are reported, not entered; cycles are named.
 */
function snapshot(root, limitChars = 64 << 20) {
  const seen = new Map();
  const parts = [];
  let size = 0;
  const push = (s) => {
    size += s.length;
    if (size > limitChars) throw new Error('snapshot too large');
    parts[parts.length] = s;
  };
  const walk = (v, path) => {
    const t = typeof v;
    if (v === null || (t !== 'object' && t !== 'function')) {
      push(t === 'string' ? P.jsonString(v) : t === 'number' ? encodeNumber(v) + '' : P.String(v));
      return;
    }
    if (t === 'function') return push('<fn>');
    if (P.isProxy(v)) return push('<proxy>');
    if (seen.has(v)) return push('<ref ' + seen.get(v) + '>');
    seen.set(v, path);
    if (P.isArray(v)) {
      push('[');
      for (let i = 0; i < v.length; i++) {
        const x = ownValue(v, i);
        if (x === ABSENT) push('<hole>'); else walk(x, path + '.' + i);
        push(',');
      }
      return push(']');
    }
    if (P.isMap(v)) {
      push('Map{');
      const pairs = mapPairs(v);
      for (let i = 0; i < pairs.length; i++) {
        walk(pairs[i][0], path + '.k'); push('=>'); walk(pairs[i][1], path + '.v'); push(',');
      }
      return push('}');
    }
    if (P.isSet(v)) {
      push('Set{');
      const xs = setValues(v);
      for (let i = 0; i < xs.length; i++) { walk(xs[i], path + '.s'); push(','); }
      return push('}');
    }
    push('{');
    const names = P.ownNames(v);
    for (let i = 0; i < names.length; i++) {
      const k = names[i];
      const x = ownValue(v, k);
      push(P.jsonString(k) + ':');
      if (x === ABSENT) push('<getter>'); else walk(x, path + '.' + k);
      push(',');
    }
    return push('}');
  };
  walk(root, '$');
  let text = '';
  for (let i = 0; i < parts.length; i++) text += parts[i];
  return text;
}

function sha256(text) {
  return P.createHash('sha256').update(text).digest('hex');
}

/** Where two snapshots first differ, with a little context, for reports. */
function firstDifference(a, b) {
  if (a === b) return '';
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return 'before: ...' + a.slice(from, i + 40) + '... after: ...' + b.slice(from, i + 40) + '...';
}

/**
 * Records the built-ins the harness relies on and returns restore(), which
 * puts back any the answer replaced (and removes what it added to
 * Object.prototype, e.g. a toJSON). Additions elsewhere, like a helper on
 * Array.prototype, are left alone: honest answers do that.
 */
function builtinGuard() {
  const owners = [Object, Object.prototype, Array, Array.prototype, Map.prototype, Set.prototype, JSON, Number,
    Number.prototype, String, String.prototype, Function.prototype, Reflect, Math, Promise, Promise.prototype,
    Symbol, Error, Error.prototype, globalThis];
  const saved = owners.map((o) => {
    const names = Reflect.ownKeys(o);
    return { o, names, descs: names.map((k) => Reflect.getOwnPropertyDescriptor(o, k)) };
  });
  const objectProtoKeys = new Set(Reflect.ownKeys(Object.prototype));
  const ownKeys = Reflect.ownKeys;
  const getDesc = Reflect.getOwnPropertyDescriptor;
  const define = Reflect.defineProperty;
  const del = Reflect.deleteProperty;
  const sameValue = Object.is;  // NaN (Number.NaN, globalThis.NaN) is unchanged, not restored on every call
  return function restore() {
    let changed = 0;
    for (let i = 0; i < saved.length; i++) {
      const { o, names, descs } = saved[i];
      for (let j = 0; j < names.length; j++) {
        const now = getDesc(o, names[j]);
        const was = descs[j];
        if (!now || !sameValue(now.value, was.value) || now.get !== was.get || now.set !== was.set) {
          if (define(o, names[j], was)) changed++;
        }
      }
    }
    const keys = ownKeys(Object.prototype);
    for (let i = 0; i < keys.length; i++) if (!objectProtoKeys.has(keys[i]) && del(Object.prototype, keys[i])) changed++;
    return changed;
  };
}

/**
 * Returns safe(): true while no code of the answer can run when the harness
 * assigns to fresh arrays and plain objects (push, obj[name] = value): the
 * prototype chain of Array.prototype and Object.prototype is as it was when
 * this was called, and neither has gained an accessor (a setter on
 * Array.prototype[0] would run on every push).
 */
function prototypeWatch() {
  const protos = [Array.prototype, Object.prototype];
  const parents = protos.map((o) => Object.getPrototypeOf(o));
  const original = protos.map((o) => new Set(Reflect.ownKeys(o)));
  const ownKeys = Reflect.ownKeys;
  const getDesc = Reflect.getOwnPropertyDescriptor;
  const has = uncurry(Set.prototype.has);
  return function safe() {
    for (let i = 0; i < protos.length; i++) {
      if (P.getProto(protos[i]) !== parents[i]) return false;
      const keys = ownKeys(protos[i]);
      for (let j = 0; j < keys.length; j++) {
        if (has(original[i], keys[j])) continue;
        const d = getDesc(protos[i], keys[j]);
        if (d && (d.get || d.set)) return false;
      }
    }
    return true;
  };
}

module.exports = {
  builtinGuard, prototypeWatch,
  P, ABSENT, ownValue, mapPairs, setValues, isPlainObject, stringify, writeLine,
  tagOf, encodeNumber, snapshot, sha256, firstDifference,
};
