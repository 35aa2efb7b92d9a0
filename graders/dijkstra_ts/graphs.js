'use strict';
// Graphs as tests describe them — {n, edges: [[u, v, w]], source}, nodes
// 0..n-1 — and the representations answers take them in. Builders here are
// harness code only; nothing in this file runs the answer.

/** 32-bit LCG; check.py has the same one (generated graphs must match). */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 8;
  };
}

/**
 * Graphs inside the harness: {n, source, m, U, V, W} with edge i going
 * U[i] -> V[i] at weight W[i] (typed arrays: the large test has 200,000).
 */
function fromEdges(n, edges, source) {
  const m = edges.length;
  const g = { n, source, m, U: new Int32Array(m), V: new Int32Array(m), W: new Float64Array(m) };
  for (let i = 0; i < m; i++) { g.U[i] = edges[i][0]; g.V[i] = edges[i][1]; g.W[i] = edges[i][2]; }
  return g;
}

/**
 * A random graph every node of which is reachable from the source: a random
 * recursive tree plus random extra edges, labels shuffled; the source is the
 * tree's root. check.py's generate() makes the same graph.
 */
function generate({ n, m, seed, max_weight: maxWeight = 100 }) {
  const r = lcg(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = r() % (i + 1);
    const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  const g = { n, source: perm[0], m, U: new Int32Array(m), V: new Int32Array(m), W: new Float64Array(m) };
  for (let i = 1; i < n; i++) {
    g.U[i - 1] = perm[r() % i]; g.V[i - 1] = perm[i]; g.W[i - 1] = 1 + (r() % maxWeight);
  }
  for (let k = n - 1; k < m; k++) {
    g.U[k] = r() % n; g.V[k] = r() % n; g.W[k] = 1 + (r() % maxWeight);
  }
  return g;
}

/** The test's graph: explicit, or generated from a seed. */
function graphOf(input) {
  if (input.generate) {
    const g = generate(input.generate);
    if (input.source !== undefined) g.source = input.source;
    return g;
  }
  return fromEdges(input.n, input.edges, input.source);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
let lastKeys = { n: -1, style: '', keys: [] };
/** Node names for string-keyed representations (the last list is reused: 50,000 names per large test). */
function nodeKeys(n, style) {
  if (lastKeys.n === n && lastKeys.style === style) return lastKeys.keys;
  const keys = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = style === 'num' ? i : n <= 26 ? LETTERS[i] : 'v' + i;
  lastKeys = { n, style, keys };
  return keys;
}

/**
 * The reverse of nodeKeys: a node name as a string ('C', 'v123', '123') ->
 * its index, or undefined. Read off the name and checked against `keys`, so
 * 50,000 names need no lookup table.
 */
function keyIndexOf(keys) {
  const n = keys.length;
  return (name) => {
    let i = +(name[0] === 'v' ? sliceOf(name, 1) : name);
    if (!(i >= 0 && i < n) && name.length === 1) i = LETTER_INDEX[name];
    return i >= 0 && i < n && (i | 0) === i && StringOf(keys[i]) === name ? i : undefined;
  };
}
// Captured before the answer loads (it may replace String.prototype.slice).
const sliceOf = Function.prototype.call.bind(String.prototype.slice);
const StringOf = String;
const LETTER_INDEX = Object.create(null);
for (let i = 0; i < LETTERS.length; i++) LETTER_INDEX[LETTERS[i]] = i;

// Field names answers use for a neighbour object and for an edge object.
const NODE_ALIASES = ['node', 'to', 'target', 'id', 'neighbor', 'neighbour', 'vertex', 'dest', 'destination',
  'v', 'name', 'key', 'end', 'adj', 'n', 'at', 'next', 'nodeId'];
const WEIGHT_ALIASES = ['weight', 'cost', 'distance', 'w', 'dist', 'length', 'len', 'value', 'd', 'time', 'wt',
  'price', 'weigh'];
const FROM_ALIASES = ['from', 'source', 'src', 'u', 'start', 'a', 'origin'];

/** Representations an answer's entry point may take, and what each can hold. */
const REPS = {
  'map-objs': { styles: ['str', 'num'], parallel: true, objects: 'neighbor' },
  'map-tuples': { styles: ['str', 'num'], parallel: true },
  'map-map': { styles: ['str', 'num'], parallel: false },
  'rec-rec': { styles: ['str', 'num'], parallel: false },
  'rec-tuples': { styles: ['str', 'num'], parallel: true },
  'rec-objs': { styles: ['str', 'num'], parallel: true, objects: 'neighbor' },
  'list-tuples': { styles: ['num'], parallel: true },
  'list-objs': { styles: ['num'], parallel: true, objects: 'neighbor' },
  'matrix-0': { styles: ['num'], parallel: false, zeroWeight: false, noEdge: 0 },
  'matrix-inf': { styles: ['num'], parallel: false, noEdge: Infinity },
  'matrix-neg1': { styles: ['num'], parallel: false, noEdge: -1 },
  'edges-tuples': { styles: ['num', 'str'], parallel: true, edgeList: true },
  'edges-objs': { styles: ['num', 'str'], parallel: true, edgeList: true, objects: 'edge' },
};

/**
 * A function (a, b, c) -> {f1: a, f2: a, ..., g1: b, ...} for the listed
 * field groups: one object literal shape, so 200,000 of them build fast.
 * Names come from the alias lists above (identifiers, never answer text).
 */
const factories = new Map();
function objectFactory(groups) {
  const key = JSON.stringify(groups);
  if (!factories.has(key)) {
    const parts = [];
    groups.forEach((names, i) => names.forEach((k) => parts.push(JSON.stringify(k) + ': a' + i)));
    factories.set(key, new FunctionCtor('a0', 'a1', 'a2', 'return {' + parts.join(', ') + '};'));
  }
  return factories.get(key);
}
const FunctionCtor = Function;  // captured before the answer loads

/**
 * Builds representation `rep` of graph `g`. `fields` chooses the property
 * names of neighbour/edge objects: {node: [...], weight: [...], from: [...]}
 * (every listed alias gets the value). `wrap` (probe only) may wrap each
 * object, e.g. in a Proxy that records which fields the answer reads.
 */
function buildRep(rep, g, style, fields = {}, wrap = null) {
  const keys = nodeKeys(g.n, style);
  const info = REPS[rep];
  if (info.edgeList) return buildEdgeList(rep, g, keys, fields, wrap);
  if (rep.startsWith('matrix')) return buildMatrix(g, info.noEdge);
  const kind = rep.slice(rep.indexOf('-') + 1);
  const adj = buildNeighbours(kind, g, keys, edgesBySource(g, !info.parallel), fields, wrap);
  if (rep.startsWith('list')) return adj;
  if (rep.startsWith('map')) {
    const m = new Map();
    for (let i = 0; i < g.n; i++) m.set(keys[i], adj[i]);
    return m;
  }
  const rec = dictionaryObject();
  for (let i = 0; i < g.n; i++) rec[keys[i]] = adj[i];
  return rec;
}

function buildEdgeList(rep, g, keys, fields, wrap) {
  const make = objectFactory([fields.from || ['from'], fields.node || ['to'], fields.weight || ['weight']]);
  const out = new Array(g.m);
  for (let i = 0; i < g.m; i++) {
    const u = g.U[i], v = g.V[i], w = g.W[i];
    const o = rep === 'edges-tuples' ? [keys[u], keys[v], w] : make(keys[u], keys[v], w);
    out[i] = wrap && rep !== 'edges-tuples' ? wrap(o) : o;
  }
  return out;
}

/** Per node, its out-edges as `kind` (tuples, objs, map, rec), in input order. */
function buildNeighbours(kind, g, keys, bySource, fields, wrap) {
  const { start, order } = bySource;
  const make = objectFactory([fields.node || ['node'], fields.weight || ['weight']]);
  const adj = new Array(g.n);
  for (let u = 0; u < g.n; u++) {
    const from = start[u], to = start[u + 1];
    let out;
    if (kind === 'map') {
      out = new Map();
      for (let p = from; p < to; p++) out.set(keys[g.V[order[p]]], g.W[order[p]]);
    } else if (kind === 'rec') {
      out = dictionaryObject();
      for (let p = from; p < to; p++) out[keys[g.V[order[p]]]] = g.W[order[p]];
    } else {
      out = [];
      for (let p = from; p < to; p++) {
        const v = keys[g.V[order[p]]], w = g.W[order[p]];
        out.push(kind === 'tuples' ? [v, w] : wrap ? wrap(make(v, w)) : make(v, w));
      }
    }
    adj[u] = out;
  }
  return adj;
}

/**
 * A plain {} in V8's dictionary mode. Filled with node names, a fast-mode
 * object makes a new hidden class per name (50,000 inner records cost ~0.4 s
 * to build); the answer sees the same object either way.
 */
function dictionaryObject() {
  const o = { a: 0, b: 0 };
  delete o.a;
  delete o.b;
  return o;
}

/**
 * Edge indices grouped by source node: u's edges are order[start[u]] ..
 * order[start[u + 1] - 1], in input order. With `cheapest`, one edge per
 * (u, v), the cheapest, at the place of the pair's first edge (for
 * representations that hold one edge per pair).
 */
function edgesBySource(g, cheapest) {
  const start = new Int32Array(g.n + 1);
  for (let i = 0; i < g.m; i++) start[g.U[i] + 1]++;
  for (let u = 0; u < g.n; u++) start[u + 1] += start[u];
  const next = new Int32Array(g.n);  // (no typed-array methods: the answer may have replaced them)
  for (let u = 0; u < g.n; u++) next[u] = start[u];
  const order = new Int32Array(g.m);
  for (let i = 0; i < g.m; i++) order[next[g.U[i]]++] = i;
  return cheapest ? keepCheapest(g, start, order) : { start, order };
}

function keepCheapest(g, start, order) {
  const kept = new Int32Array(g.m);
  const keptStart = new Int32Array(g.n + 1);
  const seenFrom = new Int32Array(g.n);  // u + 1 once u -> v is kept
  const slot = new Int32Array(g.n);      // where u -> v is kept
  let k = 0;
  for (let u = 0; u < g.n; u++) {
    keptStart[u] = k;
    for (let p = start[u]; p < start[u + 1]; p++) {
      const i = order[p], v = g.V[i];
      if (seenFrom[v] !== u + 1) {
        seenFrom[v] = u + 1;
        slot[v] = k;
        kept[k++] = i;
      } else if (g.W[i] < g.W[kept[slot[v]]]) {
        kept[slot[v]] = i;
      }
    }
  }
  keptStart[g.n] = k;
  return { start: keptStart, order: kept };  // kept[k..] unused
}

/** Thrown when a representation cannot hold a test's graph (a 50,000² matrix). */
class RepresentationTooLarge extends Error {}
const MAX_MATRIX_CELLS = 4e6;

function buildMatrix(g, noEdge) {
  if (g.n * g.n > MAX_MATRIX_CELLS) {
    throw new RepresentationTooLarge('an adjacency matrix for ' + g.n + ' nodes needs ' + g.n * g.n + ' cells');
  }
  const m = Array.from({ length: g.n }, () => new Array(g.n).fill(noEdge));
  const { start, order } = edgesBySource(g, true);
  for (let p = 0; p < start[g.n]; p++) m[g.U[order[p]]][g.V[order[p]]] = g.W[order[p]];
  return m;
}

/**
 * The probe graph. Each node's first-found distance is final (so answers
 * with decrease-key bugs still read consistently), and the undirected
 * reading differs from the directed one at C, D and E.
 */
const PROBE_EDGES = [[0, 1, 1], [1, 2, 2], [0, 3, 5], [2, 4, 1], [3, 4, 1], [4, 0, 1]];
const PROBE = Object.assign(fromEdges(6, PROBE_EDGES, 0), {
  edges: PROBE_EDGES,
  expect: { directed: [0, 1, 3, 5, 4, null], undirected: [0, 1, 2, 2, 1, null] },
});

module.exports = {
  lcg, generate, graphOf, fromEdges, RepresentationTooLarge, nodeKeys, keyIndexOf, buildRep, edgesBySource, REPS, PROBE,
  NODE_ALIASES, WEIGHT_ALIASES, FROM_ALIASES,
};
