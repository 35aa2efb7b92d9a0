'use strict';
// Runner side, second line only: freezes this (host) realm's intrinsics
// before any answer code runs, so a host object the answer reaches from its
// vm context (an error raised in host code, say) cannot be used to re-program
// the runner: no toJSON on Object.prototype to rewrite its messages, no
// patched JSON, Buffer, typed-array `length` or Promise `then`. What node's
// --frozen-intrinsics does, for the objects the runner's own path uses, at
// a fraction of its ~45 ms start-up cost. The observer believes nothing the
// runner says beyond "the answer made this call"; see README.md.

const CONSTRUCTORS = [Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Date, RegExp, Error,
  EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError, Map, Set, WeakMap,
  WeakSet, WeakRef, FinalizationRegistry, Promise, ArrayBuffer, SharedArrayBuffer, DataView, Int8Array, Uint8Array,
  Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array,
  BigUint64Array, Buffer];
const NAMESPACES = [JSON, Math, Reflect, Atomics];
// Properties host code assigns on instances (node sets a warning's `name`,
// libraries a `constructor` or `toString`): on a frozen prototype a plain
// assignment would throw (the "override mistake"), so these become
// accessors whose setter defines the property on the instance instead.
const OVERRIDABLE = ['constructor', 'name', 'message', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty',
  'isPrototypeOf', 'propertyIsEnumerable', 'then', 'catch', 'finally', 'stack', 'code'];

function overridable(proto) {
  for (const key of OVERRIDABLE) {
    const desc = Object.getOwnPropertyDescriptor(proto, key);
    if (!desc || !('value' in desc) || !desc.writable || !desc.configurable) continue;
    const { value } = desc;
    Object.defineProperty(proto, key, {
      get() { return value; },
      set(newValue) {
        if (this === proto) throw new TypeError(`Cannot assign to read only property '${key}' of a frozen prototype`);
        Object.defineProperty(this, key, { value: newValue, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable,
      configurable: false,
    });
  }
}

function freeze(object) {
  if (typeof object === 'function' || (object !== null && typeof object === 'object')) {
    overridable(object);
    Object.freeze(object);
  }
}

function lockdown() {
  const typedArray = Object.getPrototypeOf(Uint8Array);
  const iterators = [
    Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map()[Symbol.iterator]()),
    Object.getPrototypeOf(new Set()[Symbol.iterator]()), Object.getPrototypeOf(''[Symbol.iterator]()),
    Object.getPrototypeOf(/x/[Symbol.matchAll]('')),
  ];
  const generators = [function* () {}, async function () {}, async function* () {}].map(Object.getPrototypeOf);
  const objects = [...CONSTRUCTORS, typedArray, ...generators];
  for (const object of objects) {
    if (object.prototype) freeze(object.prototype);
    freeze(object);
  }
  for (const object of [...NAMESPACES, ...iterators, Object.getPrototypeOf(iterators[0])]) freeze(object);
}

module.exports = { lockdown };
