'use strict';
// Unit tests of the observer (harness side): ScenarioObserver on hand-made
// runner messages, and observeScenario against fake runners that behave as
// a fully compromised runner could (forge, spam, huge or deep lines, exit,
// hang). Run: node graders/race_js/dev/test_observer.js (test_check.py runs it).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');

const PACK = path.dirname(__dirname);
const { ScenarioObserver, LIMITS } = require(path.join(PACK, 'race_observer.js'));
const { startRunner, observeScenario } = require(path.join(PACK, 'harness.js'));

const SPEC = { scenario: 'ok-120ms', response: { delay_ms: 120, status: 200, body: '{"id": 7}' } };
const kinds = (obs) => obs.trace().events.map((e) => e.kind);

function fetchAndDeliver(obs) {
  const reply = obs.handle({ op: 'fetch', url: '/api/data', method: 'GET', aborted: false });
  const step = obs.handle({ op: 'idle', tla_pending: false });
  return { reply, step };
}

test('the observer stamps calls with its own time and hands the data over only when due', () => {
  const obs = new ScenarioObserver(SPEC, 'cjs');
  const { reply, step } = fetchAndDeliver(obs);
  assert.deepEqual(reply, { op: 'fetch-reply', id: 1 });  // no response yet: it is queued
  assert.equal(step.op, 'step');
  assert.equal(step.now, 120);
  assert.equal(step.response.body, '{"id": 7}');
  obs.handle({ op: 'body', index: 1, how: 'json' });
  obs.handle({ op: 'console', method: 'log', args: [{ id: 7 }], t: 0 });  // a runner's "t" is ignored
  const events = obs.trace().events;
  assert.deepEqual(kinds(obs), ['fetch', 'response', 'body', 'console']);
  assert.deepEqual(events.map((e) => e.t), [0, 120, 120, 120]);
});

test('a forged body read counts only for a delivered response, and the observer decides if it parses', () => {
  const obs = new ScenarioObserver({ response: { delay_ms: 10, body: '<html>' } }, 'cjs');
  obs.handle({ op: 'fetch', url: '/api/data', method: 'GET' });
  obs.handle({ op: 'body', index: 1, how: 'json' });  // before delivery: ignored
  obs.handle({ op: 'body', index: 9, how: 'json' });  // no such fetch: ignored
  obs.handle({ op: 'idle' });
  obs.handle({ op: 'body', index: 1, how: 'json', ok: true });
  const bodies = obs.trace().events.filter((e) => e.kind === 'body');
  assert.deepEqual(bodies.map((e) => [e.t, e.ok]), [[10, false]]);
});

test('same-tick responses come back with the fetch reply; aborts clear the delivery', () => {
  const same = new ScenarioObserver({ response: { timing: 'resolved', body: '1' } }, 'cjs');
  const reply = same.handle({ op: 'fetch', url: '/api/data', method: 'GET' });
  assert.equal(reply.id, 0);
  assert.equal(reply.response.body, '1');
  const aborted = new ScenarioObserver(SPEC, 'cjs');
  const queued = aborted.handle({ op: 'fetch', url: '/api/data', method: 'GET' });
  aborted.handle({ op: 'abort', id: queued.id });
  assert.deepEqual(aborted.handle({ op: 'idle' }), { op: 'finish' });
  assert.deepEqual(kinds(aborted), ['fetch', 'response']);
  assert.equal(aborted.trace().events[1].outcome, 'aborted');
});

test('timers run in virtual-time order, whoever says idle', () => {
  const obs = new ScenarioObserver(SPEC, 'cjs');
  obs.handle({ op: 'schedule', kind: 'timeout', delay: 500 });  // id 1
  obs.handle({ op: 'fetch', url: '/api/data', method: 'GET' });  // id 2, due 120
  obs.handle({ op: 'schedule', kind: 'immediate' });  // id 3, due 0
  const order = [];
  for (let command = obs.handle({ op: 'idle' }); command.op === 'step'; command = obs.handle({ op: 'idle' })) {
    order.push([command.id, command.now]);
  }
  assert.deepEqual(order, [[3, 0], [2, 120], [1, 500]]);
});

test('how a scenario ends is decided from the calls the observer saw', () => {
  const crash = new ScenarioObserver(SPEC, 'cjs');
  crash.handle({ op: 'rejection', reason: 'x', handled_by_listener: false });
  assert.equal(crash.trace().end.reason, 'crash');
  assert.deepEqual(crash.handle({ op: 'idle' }), { op: 'end' });
  const idle = new ScenarioObserver(SPEC, 'esm');
  idle.handle({ op: 'exit-code', code: 3 });
  assert.deepEqual(idle.handle({ op: 'idle' }), { op: 'probe' });
  assert.deepEqual(idle.handle({ op: 'idle' }), { op: 'finish' });
  assert.deepEqual(idle.handle({ op: 'idle', tla_pending: false }), { op: 'end' });
  assert.deepEqual(idle.trace().end, { reason: 'idle', t: 0, exit_code: 3 });
  const capped = new ScenarioObserver(SPEC, 'cjs');
  capped.handle({ op: 'schedule', kind: 'timeout', delay: LIMITS.virtualCapMs + 1 });
  capped.handle({ op: 'idle' });
  assert.equal(capped.trace().end.reason, 'virtual-cap');
});

test('messages of the wrong shape end the scenario as a protocol violation', () => {
  for (const bad of [null, [], 'x', { op: 1 }, { op: 'nope' }, { op: 'console', method: 'log', args: 'x' },
    { op: 'console', method: 'constructor', args: [] }, { op: 'stop', reason: 'idle' }, { op: 'schedule', kind: 'fetch' },
    { event: 'test', id: 'logs-data-1', status: 'ok' }]) {
    const obs = new ScenarioObserver(SPEC, 'cjs');
    assert.deepEqual(obs.handle(bad), { op: 'end' }, JSON.stringify(bad));
    assert.equal(obs.trace().end.reason, 'protocol');
    assert.equal(obs.handle({ op: 'console', method: 'log', args: [1] }), null);  // over: ignored
  }
});

test('the trace stays bounded however much the runner says', () => {
  const obs = new ScenarioObserver(SPEC, 'cjs');
  for (let i = 0; i < LIMITS.maxEvents + 50; i++) obs.handle({ op: 'console', method: 'log', args: ['x'] });
  assert.equal(obs.trace().events.length, LIMITS.maxEvents);
  assert.equal(obs.trace().dropped, 50);
  const flood = new ScenarioObserver(SPEC, 'cjs');
  let reply = null;
  for (let i = 0; i <= LIMITS.maxMessages && !reply; i++) reply = flood.handle({ op: 'exit-code', code: 0 });
  assert.deepEqual(reply, { op: 'end' });
  assert.equal(flood.trace().end.reason, 'protocol');
});

// ---- fake runners: what a runner fully under the answer's control could do ----
const READY = "const fs = require('fs'); const say = (m) => fs.writeSync(1, JSON.stringify(m) + '\\n');\n" +
  "say({ op: 'ready' }); const buf = Buffer.alloc(65536); fs.readSync(0, buf);\n";
const LIMITS_1M = { maxLineBytes: 1 << 20, maxDepth: 2000 };

async function withFakeRunner(body, timeLimitMs = 100) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'race-obs-'));
  const file = path.join(dir, 'runner.js');
  fs.writeFileSync(file, READY + body);
  try {
    const runner = await startRunner('/dev/null', LIMITS_1M, file);
    assert.ok(runner, 'the fake runner started');
    const started = Date.now();
    const result = await observeScenario(runner, SPEC, 'cjs', timeLimitMs);
    runner.kill();
    return { ...result, wallMs: Date.now() - started };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a runner that forges channel events is a protocol violation', async () => {
  const r = await withFakeRunner("say({ event: 'test', id: 'logs-data-1', status: 'ok', value: {} }); setInterval(() => {}, 1000);");
  assert.equal(r.trace.end.reason, 'protocol');
  assert.equal(r.usable, false);
});

test('a runner that logs data it was never handed gets nothing for it', async () => {
  const r = await withFakeRunner("say({ op: 'console', method: 'log', args: [{ id: 7 }] }); say({ op: 'idle' }); fs.readSync(0, buf);");
  assert.deepEqual(r.trace.events.map((e) => [e.kind, e.t]), [['console', 0]]);
  assert.equal(r.trace.events.some((e) => e.kind === 'response'), false);
});

test('an over-cap line is an output-limit, a deep line a protocol violation', async () => {
  const huge = await withFakeRunner("fs.writeSync(1, 'x'.repeat(2 << 20) + '\\n'); setInterval(() => {}, 1000);");
  assert.equal(huge.status, 'output-limit');
  assert.equal(huge.trace.end.reason, 'protocol');
  const deep = await withFakeRunner("fs.writeSync(1, '['.repeat(5000) + ']'.repeat(5000) + '\\n'); setInterval(() => {}, 1000);");
  assert.equal(deep.status, 'ok');
  assert.equal(deep.trace.end.reason, 'protocol');
  assert.match(deep.trace.end.detail, /nested deeper/);
});

test('a runner that spams ends at the message cap, not by exhausting the observer', async () => {
  const r = await withFakeRunner("const line = JSON.stringify({ op: 'exit-code', code: 0 }) + '\\n'; const chunk = line.repeat(1000);" +
    "try { for (let i = 0; i < 1000; i++) fs.writeSync(1, chunk); } catch (_) {} setInterval(() => {}, 1000);", 2000);
  assert.equal(r.trace.end.reason, 'protocol');
  assert.match(r.trace.end.detail, /messages/);
});

test('a runner that exits early or hangs never completes', async () => {
  const gone = await withFakeRunner("process.exit(0);");
  assert.equal(gone.trace.end.reason, 'runner-exit');
  const spin = await withFakeRunner('for (;;) {}', 50);
  assert.equal(spin.trace.end.reason, 'timeout');
  assert.ok(spin.cpuMs >= 200, `CPU ${spin.cpuMs} ms, counted by the observer`);
  const sleeper = await withFakeRunner('setInterval(() => {}, 1000);', 50);
  assert.equal(sleeper.trace.end.reason, 'timeout');
});
