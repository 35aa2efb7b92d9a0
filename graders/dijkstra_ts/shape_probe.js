'use strict';
// Shape inference: tries the adapters on a small probe graph (graphs.PROBE)
// and keeps the one whose answer is consistent with it, so that every test
// then talks to the answer the way it expects. Object fields are learned by
// handing in Proxies that record which names the answer reads. Builders
// (addEdge) and edge lists are scored as directed and as undirected; the
// better reading says what the answer's edges mean.

const { PROBE, NODE_ALIASES, WEIGHT_ALIASES, FROM_ALIASES, REPS, fromEdges, nodeKeys } = require('./graphs');
const { execute } = require('./execute');
const { snapshot } = require('./plain');
const { guarded } = require('./loader');

const UNREACHABLE = new Set(['Infinity', 'null', 'undefined', 'absent', 'throw']);
const PROBE_LIMIT_MS = 100;
const MAX_PROBE_TIMEOUTS = 5;  // an answer that hangs on every reading: stop early
const LOG_LIMIT = 40;

/** Distance of a reported path on the probe graph, or null if not a path. */
function pathLength(path, directed) {
  if (!path || !path.length || path[0] !== PROBE.source) return null;
  let total = 0;
  for (let i = 1; i < path.length; i++) {
    const e = PROBE.edges.find(([u, v]) => (u === path[i - 1] && v === path[i]) || (!directed && v === path[i - 1] && u === path[i]));
    if (!e) return null;
    total += e[2];
  }
  return total;
}

/** Nodes of the probe graph the answer got right: all, and the reachable ones. */
function scores(value, directed) {
  const want = PROBE.expect[directed ? 'directed' : 'undirected'];
  let all = 0;
  let reachable = 0;
  for (let i = 0; i < PROBE.n; i++) {
    let got = value.dist[i];
    if (got === 'absent' && value.paths && value.paths[i]) got = pathLength(value.paths[i], directed);
    if (want[i] === null ? UNREACHABLE.has(got) || got === null : got === want[i]) {
      all++;
      if (want[i] !== null) reachable++;
    }
  }
  return { all, reachable, reachableRight: reachable === want.filter((w) => w !== null).length };
}

const score = (value, directed) => scores(value, directed).all;

/** The TypeScript text that declares `name`'s parameters, plus their type aliases. */
function hintText(source, entry) {
  const name = entry.split(/[#.(]/).filter((x) => /^\w+$/.test(x)).pop() || entry;
  const re = new RegExp('\\b' + name + '\\s*(?:<[^>(]*>)?\\s*(?:=\\s*(?:async\\s*)?(?:function\\s*)?)?\\(([^)]*(?:\\([^)]*\\)[^)]*)*)\\)');
  const m = re.exec(source);
  let text = m ? m[1] : '';
  for (const t of new Set(text.match(/\b[A-Z]\w*/g) || [])) {
    const d = new RegExp('(?:type|interface)\\s+' + t + '\\b[^;{]*(?:=\\s*[^;]*;|\\{[^}]*\\})').exec(source);
    if (d) text += ' ' + d[0];
  }
  return text;
}

/** How well an adapter fits the declared parameter types (higher first). */
function hintScore(a, h) {
  const arityFits = a.arity === a.argCount ? 1 : 0;  // declared parameters (before defaults)
  if (!h) return arityFits;
  const tuple = /\[\s*(string|number|\w+)\s*,\s*number\s*\]/.test(h);
  const family = /\bMap\s*</.test(h) ? 'map' : /Record\s*<|\{\s*\[\s*\w+\s*:\s*(string|number)\s*\]/.test(h) ? 'rec'
    : /\bedges?\b|Edge\[\]|\[\s*number\s*,\s*number\s*,\s*number\s*\]/i.test(h) ? 'edges'
      : /\]\s*\[\s*\]\s*\[\s*\]|Array\s*<\s*Array|\}\s*\[\s*\]\s*\[\s*\]|[A-Z]\w*\[\]\[\]/.test(h) ? 'list'
        : /number\s*\[\s*\]\s*\[\s*\]|matrix/i.test(h) ? 'matrix' : '';
  let s = arityFits;
  if (family && a.rep.startsWith(family)) s += 2;
  if (/Map\s*<[^<>]*,\s*Map\s*</.test(h) && a.rep === 'map-map') s += 1;
  if (/Record\s*<\s*\w+\s*,\s*Record|\{\s*\[\s*\w+\s*:\s*\w+\s*\]\s*:\s*\{\s*\[/.test(h) && a.rep === 'rec-rec') s += 1;
  if (tuple && a.rep.endsWith('tuples')) s += 1;
  if (!tuple && /\{|Edge|Neighbo|Node/.test(h) && a.rep.endsWith('objs')) s += 1;
  if (/(start|source|src|from)\w*\??\s*:\s*number/i.test(h)) s += a.style === 'num' ? 1 : 0;
  if (/(start|source|src|from)\w*\??\s*:\s*string/i.test(h)) s += a.style === 'str' ? 1 : 0;
  return s;
}

/** Records which property names the answer reads from objects we hand in. */
function fieldRecorder() {
  const read = new Set();
  const wrap = (o) => new Proxy(o, {
    get(t, k, r) { if (typeof k === 'string') read.add(k); return Reflect.get(t, k, r); },
    has(t, k) { if (typeof k === 'string') read.add(k); return k in t; },
  });
  return { read, wrap };
}

function learnedFields(read) {
  const pick = (aliases, fallback) => { const got = aliases.filter((k) => read.has(k)); return got.length ? got : fallback; };
  return { node: pick(NODE_ALIASES, ['node']), weight: pick(WEIGHT_ALIASES, ['weight']), from: pick(FROM_ALIASES, ['from']) };
}

/** Instance fields that hold the graph: those that differ from an empty instance's. */
function storageKeys(adapter, fields, mapLine) {
  try {
    const full = guarded(() => adapter.setup(PROBE, keysFor(adapter), fields), PROBE_LIMIT_MS).inst;
    const empty = guarded(() => adapter.setup(fromEdges(PROBE.n, [], 0), keysFor(adapter), fields), PROBE_LIMIT_MS).inst;
    const keys = Object.getOwnPropertyNames(full).filter((k) => snapshot(full[k]) !== snapshot(empty[k]));
    return keys.length ? keys : null;
  } catch (_) {
    return null;
  }
}
const keysFor = (a) => nodeKeys(PROBE.n, a.style);

async function tryAdapter(a, mapLine) {
  const all = { node: NODE_ALIASES, weight: WEIGHT_ALIASES, from: FROM_ALIASES };
  const rec = REPS[a.rep] && REPS[a.rep].objects ? fieldRecorder() : null;
  const r = await execute(a, PROBE, { fields: rec ? all : undefined, wrap: rec ? rec.wrap : undefined, limitMs: PROBE_LIMIT_MS, mapLine });
  if (r.status !== 'ok') {
    return { ok: false, timeout: r.status === 'timeout', note: r.status + (r.message ? ': ' + r.error_type + ': ' + r.message : '') };
  }
  const directed = scores(r.value, true);
  const undirected = a.detectDirection ? scores(r.value, false) : { all: -1 };
  const reading = undirected.all > directed.all ? undirected : directed;
  return {
    ok: true,
    reachableRight: reading.reachableRight,
    // entries that read as a distance ('throw' does not)
    wellFormed: r.value.dist.some((d) => typeof d === 'number')
      ? r.value.dist.filter((d) => typeof d === 'number' || (UNREACHABLE.has(d) && d !== 'throw')).length : 0,
    score: reading.all,
    directed: reading === directed,
    fields: rec ? learnedFields(rec.read) : undefined,
    paths: !!(r.value.prev || r.value.paths),
    // end mode's result is a path and no distance: its lengths are the distances
    pathOnly: a.mode === 'end' && !!r.value.paths && !r.value.dist.some((d) => typeof d === 'number'),
    shape: r.value.shape,
    dist: r.value.dist,
  };
}

/**
 * Chooses the adapter for `entries`. Resolves {chosen, log, tried} where
 * chosen is null when nothing answered consistently (unsupported).
 */
async function inferShape(adapters, source, mapLine) {
  const hints = new Map();
  const ranked = adapters.map((a, i) => {
    if (!hints.has(a.entry)) hints.set(a.entry, hintText(source, a.entry));
    return { a, i, h: hintScore(a, hints.get(a.entry)) };
  }).sort((x, y) => y.h - x.h || x.i - y.i);
  const log = [];
  let best = null;
  let firstTimeout = null;
  let tried = 0;
  let timeouts = 0;
  for (const { a, i } of ranked) {
    if (timeouts >= MAX_PROBE_TIMEOUTS && !(best && acceptable(best.r))) break;
    tried++;
    const r = await tryAdapter(a, mapLine);
    if (r.timeout) timeouts++;
    if (r.timeout && !firstTimeout) firstTimeout = a;
    if (log.length < LOG_LIMIT) {
      log.push({ adapter: a.label, result: r.ok ? 'score ' + r.score + '/' + PROBE.n + (a.detectDirection ? (r.directed ? ' directed' : ' undirected') : '') + ' ' + r.shape + ' ' + JSON.stringify(r.dist) : r.note });
    }
    if (!r.ok) continue;
    const key = [r.score, r.wellFormed, r.paths ? 1 : 0, a.mode === 'all' ? 1 : 0, -i];
    if (!best || better(key, best.key)) best = { a, r, key };
    // Consistent (or wrong only where a node is unreachable, which no other
    // reading of the same answer would change), and called as declared: stop.
    if ((r.score === PROBE.n || r.reachableRight) && (a.mode === 'all' || a.arity === a.argCount)) break;
  }
  // Consistent (score), or at least a distance per node (a wrong answer is
  // graded, not unsupported); failing both, an adapter that hung is graded
  // (its tests time out). Otherwise the shape is unknown.
  if (!best || !acceptable(best.r)) {
    if (!firstTimeout) return { chosen: null, log, tried };
    return { chosen: Object.assign(firstTimeout, { directed: true, paths: false, probeScore: 0, shape: 'hung on the probe graph' }), log, tried };
  }
  const chosen = Object.assign(best.a, { fields: best.r.fields, directed: best.r.directed, paths: best.r.paths, pathOnly: best.r.pathOnly, probeScore: best.r.score, shape: best.r.shape });
  if (chosen.kind === 'builder') chosen.storageKeys = storageKeys(chosen, chosen.fields, mapLine);
  return { chosen, log, tried };
}

function acceptable(r) {
  return r.score >= 3 || r.wellFormed === PROBE.n;
}

function better(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

module.exports = { inferShape, hintText, hintScore, score };
