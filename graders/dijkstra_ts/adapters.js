'use strict';
// Finds the answer's entry points and lists the ways to call them: every
// (input representation x key style x call form x result mode) an answer
// might mean. Each way is an adapter:
//   setup(g, keys, fields) -> ctx    build the input (and, for classes, the
//                                     instance: that part is answer code)
//   query(ctx, s, t?)      -> raw    call the answer
//   mutable(ctx)           -> value  what no-mutation compares before/after
// The probe (probe.js) tries them on a small graph and keeps the one that
// answers consistently.

const { P, ownValue } = require('./plain');
const { REPS, buildRep } = require('./graphs');

const ENTRY_RE = /dijkstra|shortest/i;
const BUILDER_RE = /^(add_?(directed_?|undirected_?|weighted_?)?edge|connect|add_?connection|add_?route|add_?link)$/i;
const VERTEX_RE = /^add_?(vertex|node)$/i;
const RUN_RE = /run|compute|solve|find|get|calc|exec|search|path|dist|query/i;

const isClass = (v) => typeof v === 'function' && /^class\b/.test(P.fnToString(v));

/** Method names of a class (own and inherited from the answer's classes). */
function methodNames(cls) {
  const names = [];
  for (let proto = cls.prototype; proto && proto !== P.ObjectProto; proto = P.getProto(proto)) {
    for (const k of P.ownNames(proto)) {
      const d = P.ownDesc(proto, k);
      if (k !== 'constructor' && d && typeof d.value === 'function' && !names.includes(k)) names.push(k);
    }
  }
  return names;
}

function staticNames(cls) {
  return P.ownNames(cls).filter((k) => {
    const d = P.ownDesc(cls, k);
    return d && typeof d.value === 'function' && !isClass(d.value);
  });
}

/** Entry points: matching functions, class methods, builder classes. */
function findEntries(loaded) {
  const values = new Map();
  for (const [k, v] of Object.entries(loaded.scope)) values.set(k, v);
  for (const k of P.keys(loaded.exports || {})) {
    try { if (!values.has(k)) values.set(k, loaded.exports[k]); } catch (_) { /* a throwing export */ }
  }
  const functions = [];
  const classes = [];
  for (const [name, v] of values) {
    if (typeof v !== 'function') continue;
    if (!isClass(v)) {
      if (ENTRY_RE.test(name)) functions.push({ name, fn: v, thisArg: undefined });
      continue;
    }
    const methods = methodNames(v);
    const builder = methods.find((m) => BUILDER_RE.test(m));
    const vertex = methods.find((m) => VERTEX_RE.test(m));
    let entryMethods = methods.filter((m) => ENTRY_RE.test(m));
    if (!entryMethods.length && ENTRY_RE.test(name)) entryMethods = methods.filter((m) => RUN_RE.test(m));
    for (const s of staticNames(v)) {
      if (ENTRY_RE.test(s)) functions.push({ name: name + '.' + s, fn: v[s], thisArg: v });
    }
    classes.push({ name, cls: v, methods: entryMethods, builder, vertex });
  }
  return { functions, classes: classes.filter((c) => c.methods.length || c.builder) };
}

const ALL_FORMS = { g: ['g,s', 'g,n,s', 'n,g,s', 'g,s,n'], edges: ['n,g,s', 'g,n,s', 'g,s', 'g,s,n'] };
const END_FORMS = { g: ['g,s,t', 'g,n,s,t', 'n,g,s,t', 'g,s,t,n'], edges: ['n,g,s,t', 'g,n,s,t', 'g,s,t'] };

function argsOf(form, vals) {
  return form.split(',').map((k) => vals[k]);
}

/** Call forms for a function-like entry, preferring its declared arity. */
function formsFor(rep, mode, arity) {
  const list = (mode === 'all' ? ALL_FORMS : END_FORMS)[REPS[rep].edgeList ? 'edges' : 'g'];
  return list.slice().sort((a, b) => (a.split(',').length === arity ? 0 : 1) - (b.split(',').length === arity ? 0 : 1));
}

/** (graph rep, ...) -> result: free functions and static methods. */
function functionAdapters(entry, rep, style, mode) {
  return formsFor(rep, mode, entry.fn.length).map((form) => ({
    label: entry.name + '(' + form + ') rep=' + rep + ' keys=' + style + ' mode=' + mode,
    entry: entry.name, kind: 'function', rep, style, mode, form,
    arity: entry.fn.length, argCount: form.split(',').length,
    detectDirection: !!REPS[rep].edgeList,
    setup: (g, keys, fields, wrap) => ({ rep: buildRep(rep, g, style, fields, wrap), n: g.n }),
    setupIsAnswer: false,
    query: (ctx, s, t) => entry.fn.apply(entry.thisArg, argsOf(form, { g: ctx.rep, n: ctx.n, s, t })),
    mutable: (ctx) => ctx.rep,
  }));
}

/** new C(graph rep) then c.method(s[, t]); or new C() then c.method(rep, s[, t]). */
function classAdapters(c, rep, style, mode) {
  const out = [];
  const ctorForms = REPS[rep].edgeList ? ['n,g', 'g,n', 'g'] : ['g', 'g,n'];
  for (const method of c.methods) {
    for (const ctorForm of ctorForms) {
      out.push({
        label: 'new ' + c.name + '(' + ctorForm + ').' + method + '(s' + (mode === 'end' ? ',t' : '') + ') rep=' + rep +
          ' keys=' + style + ' mode=' + mode,
        entry: c.name + '.' + method, kind: 'class', rep, style, mode, form: ctorForm,
        arity: c.cls.prototype[method].length, argCount: mode === 'end' ? 2 : 1,
        detectDirection: !!REPS[rep].edgeList,
        setupIsAnswer: true,
        setup: (g, keys, fields, wrap) => {
          const r = buildRep(rep, g, style, fields, wrap);
          return { rep: r, inst: new c.cls(...argsOf(ctorForm, { g: r, n: g.n })) };
        },
        query: (ctx, s, t) => ctx.inst[method](...(mode === 'end' ? [s, t] : [s])),
        mutable: (ctx) => ctx.rep,
      });
    }
    for (const form of formsFor(rep, mode, c.cls.prototype[method].length)) {
      out.push({
        label: 'new ' + c.name + '().' + method + '(' + form + ') rep=' + rep + ' keys=' + style + ' mode=' + mode,
        entry: c.name + '.' + method, kind: 'class', rep, style, mode, form,
        arity: c.cls.prototype[method].length, argCount: form.split(',').length,
        detectDirection: !!REPS[rep].edgeList,
        setupIsAnswer: true,
        setup: (g, keys, fields, wrap) => ({ rep: buildRep(rep, g, style, fields, wrap), n: g.n, inst: new c.cls() }),
        query: (ctx, s, t) => ctx.inst[method](...argsOf(form, { g: ctx.rep, n: ctx.n, s, t })),
        mutable: (ctx) => ctx.rep,
      });
    }
  }
  return out;
}

/** Builds a graph through c.addEdge(u, v, w) calls; answer code throughout. */
function buildWithBuilder(c, g, keys, style, ctor) {
  const inst = ctor === 'n' ? new c.cls(g.n) : new c.cls();
  if (c.vertex) for (const k of keys) inst[c.vertex](k);
  for (let i = 0; i < g.m; i++) inst[c.builder](keys[g.U[i]], keys[g.V[i]], g.W[i]);
  return inst;
}

/** Builder classes queried through their own method or a free function. */
function builderAdapters(c, entries, style, mode) {
  const out = [];
  const solvers = entries.classes.filter((k) => !k.builder);
  const queries = c.methods.map((m) => ({ name: c.name + '#' + m, arity: c.cls.prototype[m].length, call: (inst, args) => inst[m](...args) }))
    .concat(entries.functions.map((f) => ({ name: f.name + '(graph,...)', arity: f.fn.length - 1, call: (inst, args) => f.fn.apply(f.thisArg, [inst, ...args]) })))
    .concat(...solvers.map((k) => k.methods.map((m) => ({
      name: 'new ' + k.name + '(graph).' + m, arity: k.cls.prototype[m].length, call: (inst, args) => new k.cls(inst)[m](...args) }))));
  for (const q of queries) {
    for (const ctor of style === 'num' ? ['', 'n'] : ['']) {
      out.push({
        label: 'new ' + c.name + '(' + ctor + ') +' + c.builder + ' ' + q.name + ' keys=' + style + ' mode=' + mode,
        entry: q.name, kind: 'builder', rep: 'builder', style, mode, form: ctor,
        arity: q.arity, argCount: mode === 'end' ? 2 : 1,
        detectDirection: true, builderClass: c.name,
        setupIsAnswer: true,
        setup: (g, keys) => ({ inst: buildWithBuilder(c, g, keys, style, ctor) }),
        query: (ctx, s, t) => q.call(ctx.inst, mode === 'end' ? [s, t] : [s]),
        mutable: (ctx) => ctx.inst,
      });
    }
  }
  return out;
}

/** Every adapter for the entries found, in a default order of likelihood. */
function allAdapters(entries) {
  const out = [];
  const builders = entries.classes.filter((c) => c.builder);
  for (const mode of ['all', 'end']) {
    for (const style of ['str', 'num']) {
      for (const c of builders) out.push(...builderAdapters(c, entries, style, mode));
    }
    for (const rep of Object.keys(REPS)) {
      for (const style of REPS[rep].styles) {
        for (const f of entries.functions) out.push(...functionAdapters(f, rep, style, mode));
        for (const c of entries.classes.filter((k) => !k.builder)) out.push(...classAdapters(c, rep, style, mode));
      }
    }
  }
  return out;
}

module.exports = { findEntries, allAdapters, isClass, ENTRY_RE };
