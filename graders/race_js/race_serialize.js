'use strict';
// The runner's strict serializer (runner side, untrusted process): turns
// values of the answer's vm realm into plain JSON for the observer without
// running answer code: no getters, no toJSON, no Proxy traps, no iteration
// protocols; only own-property descriptors and internal-slot checks
// (util.types) are read. The observer trusts none of it: it re-checks shape
// and size (race_observer.js); the care here only keeps an honest answer's
// console arguments faithful while it runs beside hostile code.
// Non-plain values become tagged objects {"$gb": "<kind>", ...}; a plain
// object that itself has an own "$gb" key is escaped as
// {"$gb": "object", "entries": {...}}, so the encoding is unambiguous.

const { types } = require('util');

const DEFAULT_LIMITS = { maxDepth: 12, maxNodes: 400, maxString: 2000, maxKeys: 100 };

const getProto = Object.getPrototypeOf;
const ownDescriptor = Object.getOwnPropertyDescriptor;
const ownNames = Object.getOwnPropertyNames;
const dateToISO = Date.prototype.toISOString;

// The value of an own data property, or `fallback` (accessor or missing).
function dataProperty(object, key, fallback) {
  const desc = ownDescriptor(object, key);
  return desc && 'value' in desc ? desc.value : fallback;
}

// A property found along the prototype chain, data descriptors only.
function inheritedData(object, key) {
  for (let o = object, hops = 0; o !== null && hops < 32; o = getProto(o), hops++) {
    if (types.isProxy(o)) return undefined;
    const desc = ownDescriptor(o, key);
    if (desc) return 'value' in desc ? desc.value : undefined;
  }
  return undefined;
}

function functionName(fn) {
  const name = typeof fn === 'function' && !types.isProxy(fn) ? dataProperty(fn, 'name', '') : '';
  return typeof name === 'string' ? name.slice(0, 200) : '';
}

function className(object) {
  return functionName(inheritedData(object, 'constructor')) || 'Object';
}

function shortString(text, limit) {
  return text.length <= limit ? text : { $gb: 'string', truncated: true, length: text.length, prefix: text.slice(0, limit) };
}

function primitive(value, limits) {
  switch (typeof value) {
    case 'undefined': return { $gb: 'undefined' };
    case 'boolean': return value;
    case 'string': return shortString(value, limits.maxString);
    case 'number': return Number.isFinite(value) ? (value === 0 ? 0 : value) : { $gb: 'number', value: String(value) };
    case 'bigint': return { $gb: 'bigint', value: String(value).slice(0, 200) };
    case 'symbol': return { $gb: 'symbol' };
    default: return null;
  }
}

function describeError(error, walk) {
  const out = { $gb: 'error', name: '', message: '' };
  const name = inheritedData(error, 'name');
  const message = dataProperty(error, 'message', '');
  out.name = typeof name === 'string' ? name.slice(0, 200) : 'Error';
  out.message = typeof message === 'string' ? message.slice(0, 2000) : '';
  out.class = className(error);
  const code = dataProperty(error, 'code', undefined);
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  const cause = dataProperty(error, 'cause', undefined);
  if (cause !== undefined) out.cause = walk(cause);
  return out;
}

function specialObject(value) {
  if (types.isDate(value)) {
    try {
      return { $gb: 'date', iso: dateToISO.call(value) };
    } catch (_) {
      return { $gb: 'date', iso: 'Invalid Date' };
    }
  }
  if (types.isPromise(value)) return { $gb: 'promise' };
  if (types.isMap(value) || types.isSet(value)) return { $gb: types.isMap(value) ? 'map' : 'set' };
  if (types.isRegExp(value)) return { $gb: 'regexp' };
  if (types.isBoxedPrimitive(value)) return { $gb: 'boxed' };
  if (types.isTypedArray(value) || types.isAnyArrayBuffer(value)) return { $gb: 'binary' };
  return null;
}

// Serializer for values of one realm: `plainProtos` are the prototypes that
// count as plain objects there (that realm's Object.prototype) and arrays.
function makeSerializer(realm, limits = DEFAULT_LIMITS) {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  return function serialize(root) {
    let nodes = 0;
    const seen = new Set();
    const walk = (value, depth) => {
      if (value === null) return null;
      if (typeof value !== 'object' && typeof value !== 'function') return primitive(value, lim);
      if (++nodes > lim.maxNodes) return { $gb: 'truncated' };
      if (types.isProxy(value)) return { $gb: 'proxy' };
      if (typeof value === 'function') return { $gb: 'function', name: functionName(value) };
      if (seen.has(value)) return { $gb: 'circular' };
      if (depth >= lim.maxDepth) return { $gb: 'depth' };
      seen.add(value);
      try {
        return container(value, depth, (v) => walk(v, depth + 1));
      } catch (_) {
        return { $gb: 'unreadable' };  // e.g. a module namespace still in its TDZ
      } finally {
        seen.delete(value);
      }
    };
    const container = (value, depth, next) => {
      if (types.isNativeError(value)) return describeError(value, next);
      const special = specialObject(value);
      if (special) return special;
      const proto = getProto(value);
      if (Array.isArray(value) && proto === realm.arrayProto) return arrayOf(value, next);
      if (proto === realm.objectProto || proto === null) return objectOf(value, next);
      return { $gb: 'instance', class: className(value), props: objectOf(value, next) };
    };
    return walk(root, 0);
  };

  function arrayOf(array, next) {
    const length = dataProperty(array, 'length', 0);
    const out = [];
    for (let i = 0; i < Math.min(length, lim.maxKeys); i++) {
      const desc = ownDescriptor(array, String(i));
      out.push(!desc ? { $gb: 'undefined' } : 'value' in desc ? next(desc.value) : { $gb: 'getter' });
    }
    if (length > lim.maxKeys) out.push({ $gb: 'more', count: length - lim.maxKeys });
    return out;
  }

  function objectOf(object, next) {
    const out = Object.create(null);  // an own "__proto__" key stays a key
    let count = 0;
    for (const key of ownNames(object)) {
      const desc = ownDescriptor(object, key);
      if (!desc || !desc.enumerable) continue;
      if (++count > lim.maxKeys) {
        out['$gb:more'] = true;
        break;
      }
      out[key] = 'value' in desc ? next(desc.value) : { $gb: 'getter' };
    }
    return Object.prototype.hasOwnProperty.call(out, '$gb') ? { $gb: 'object', entries: out } : out;
  }
}

module.exports = { makeSerializer, describeError, dataProperty };
