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
 * A random graph every node of which is reachable from the source: a random
 * recursive tree plus random extra edges, labels shuffled. Returns edges and
 * the source (the tree's root).
 */
function generate({ n, m, seed, max_weight: maxWeight = 100 }) {
  const r = lcg(seed);
  const perm = new Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = r() % (i + 1);
    const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  const edges = new Array(m);
  for (let i = 1; i < n; i++) edges[i - 1] = [perm[r() % i], perm[i], 1 + (r() % maxWeight)];
  for (let k = n - 1; k < m; k++) edges[k] = [r() % n, r() % n, 1 + (r() % maxWeight)];
  return { n, edges, source: perm[0] };
}

/** The test's graph: explicit, or generated from a seed. */
function graphOf(input) {
  if (input.generate) {
    const g = generate(input.generate);
    return { n: g.n, edges: g.edges, source: input.source !== undefined ? input.source : g.source };
  }
  return { n: input.n, edges: input.edges, source: input.source };
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Node names for string-keyed representations. */
function nodeKeys(n, style) {
  const keys = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = style === 'num' ? i : n <= 26 ? LETTERS[i] : 'v' + i;
  return keys;
}

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
 * Builds representation `rep` of graph `g`. `fields` chooses the property
 * names of neighbour/edge objects: {node: [...], weight: [...], from: [...]}
 * (every listed alias gets the value). `wrap` (probe only) may wrap each
 * object, e.g. in a Proxy that records which fields the answer reads.
 */
function buildRep(rep, g, style, fields = {}, wrap = (o) => o) {
  const keys = nodeKeys(g.n, style);
  const info = REPS[rep];
  const neighbor = (v, w) => {
    const o = {};
    for (const k of fields.node || ['node']) o[k] = keys[v];
    for (const k of fields.weight || ['weight']) o[k] = w;
    return wrap(o);
  };
  if (info.edgeList) {
    return g.edges.map(([u, v, w]) => {
      if (rep === 'edges-tuples') return [keys[u], keys[v], w];
      const o = {};
      for (const k of fields.from || ['from']) o[k] = keys[u];
      for (const k of fields.node || ['to']) o[k] = keys[v];
      for (const k of fields.weight || ['weight']) o[k] = w;
      return wrap(o);
    });
  }
  if (rep.startsWith('matrix')) return buildMatrix(g, info.noEdge);
  const best = info.parallel ? null : cheapestEdges(g);
  const adj = Array.from({ length: g.n }, () => (rep.endsWith('-map') ? new Map() : rep.endsWith('-rec') ? {} : []));
  const edges = best || g.edges;
  for (const [u, v, w] of edges) {
    const a = adj[u];
    if (rep.endsWith('-tuples')) a.push([keys[v], w]);
    else if (rep.endsWith('-objs')) a.push(neighbor(v, w));
    else if (rep.endsWith('-map')) a.set(keys[v], w);
    else a[keys[v]] = w;
  }
  if (rep.startsWith('list')) return adj;
  if (rep.startsWith('map')) return new Map(adj.map((a, i) => [keys[i], a]));
  const rec = {};
  for (let i = 0; i < g.n; i++) rec[keys[i]] = adj[i];
  return rec;
}

/** One edge per (u, v): the cheapest, for representations that hold one. */
function cheapestEdges(g) {
  const best = new Map();
  for (const [u, v, w] of g.edges) {
    const k = u * g.n + v;
    if (!best.has(k) || w < best.get(k)[2]) best.set(k, [u, v, w]);
  }
  return [...best.values()];
}

function buildMatrix(g, noEdge) {
  const m = Array.from({ length: g.n }, () => new Array(g.n).fill(noEdge));
  for (const [u, v, w] of cheapestEdges(g)) m[u][v] = w;
  return m;
}

/**
 * The probe graph. Each node's first-found distance is final (so answers
 * with decrease-key bugs still read consistently), and the undirected
 * reading differs from the directed one at C, D and E.
 */
const PROBE = {
  n: 6,
  edges: [[0, 1, 1], [1, 2, 2], [0, 3, 5], [2, 4, 1], [3, 4, 1], [4, 0, 1]],
  source: 0,
  expect: { directed: [0, 1, 3, 5, 4, null], undirected: [0, 1, 2, 2, 1, null] },
};

module.exports = {
  lcg, generate, graphOf, nodeKeys, buildRep, cheapestEdges, REPS, PROBE,
  NODE_ALIASES, WEIGHT_ALIASES, FROM_ALIASES,
};
