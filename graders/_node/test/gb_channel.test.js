'use strict';
// The observer's parsing limits: what an answer's process sends can be
// refused, never crash or balloon the observer.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const channel = require('../lib/gb_channel.js');

test('plain JSON within the limits parses, brackets inside strings do not count', () => {
  assert.deepStrictEqual(channel.parseBounded('[1,{"a":"[[[\\"{"}]').value, [1, { a: '[[["{' }]);
});

test('nesting past the depth limit is refused before JSON.parse', () => {
  const deep = '['.repeat(1e6) + ']'.repeat(1e6);
  const result = channel.parseBounded(deep, { maxLineBytes: 4 << 20, maxDepth: 2000 });
  assert.strictEqual(result.ok, false);
  assert.match(result.reason, /2000-level/);
  assert.strictEqual(channel.parseBounded('['.repeat(2000) + ']'.repeat(2000)).ok, true);
});

test('a text over the byte limit and a text that is not JSON are refused', () => {
  assert.match(channel.parseBounded('"' + 'x'.repeat(2 << 20) + '"').reason, /byte line limit/);
  assert.match(channel.parseBounded('{"a":').reason, /not JSON/);
});

test('LineReader drops an over-cap line whole and goes on', () => {
  const reader = new channel.LineReader({ maxLineBytes: 10, maxDepth: 5 });
  assert.deepStrictEqual(reader.push(Buffer.from('abc\n0123456789ABC')), [{ line: 'abc' }]);
  assert.deepStrictEqual(reader.push(Buffer.from('DEF\nok\n')), [{ overflow: true }, { line: 'ok' }]);
});

test('readLimits takes gradebox\'s limits and ignores nonsense', () => {
  assert.deepStrictEqual(channel.readLimits({ channel: { max_line_bytes: 5, max_depth: 'x' } }),
                         { maxLineBytes: 5, maxDepth: 2000 });
  assert.deepStrictEqual(channel.readLimits({}), { maxLineBytes: 1 << 20, maxDepth: 2000 });
});

test('the channel writer replaces an over-cap event by a named limit', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gbc-')), 'channel');
  const fd = fs.openSync(file, 'w');
  const send = channel.openChannel({ maxLineBytes: 100, maxDepth: 10 }, fd);
  send({ event: 'test', id: 'a', status: 'ok', value: 1 });
  send({ event: 'test', id: 'b', status: 'ok', value: 'x'.repeat(500) });
  fs.closeSync(fd);
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepStrictEqual(lines[0], { event: 'test', id: 'a', status: 'ok', value: 1 });
  assert.strictEqual(lines[1].id, 'b');
  assert.strictEqual(lines[1].status, 'output-limit');
  assert.match(lines[1].message, /100-byte channel line cap/);
});

test('the limits hold exactly: depth and size just within and just past', () => {
  const limits = { maxLineBytes: 100, maxDepth: 5 };
  assert.strictEqual(channel.parseBounded('[[[[[1]]]]]', limits).ok, true);
  assert.match(channel.parseBounded('[[[[[[1]]]]]]', limits).reason, /nested deeper than the 5-level limit/);
  assert.strictEqual(channel.parseBounded('"' + 'x'.repeat(98) + '"', limits).ok, true);
  assert.match(channel.parseBounded('"' + 'x'.repeat(99) + '"', limits).reason, /over the 100-byte line limit/);
  assert.match(channel.parseBounded('[[[[[1]]]]', limits).reason, /not JSON/);
});

test('the channel writer replaces an event nested past the limit by a named limit', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gbc-')), 'channel');
  const fd = fs.openSync(file, 'w');
  const send = channel.openChannel({ maxLineBytes: 1000, maxDepth: 5 }, fd);
  send({ event: 'test', id: 'a', status: 'ok', value: [[[[1]]]] }); // 5 levels with the event
  send({ event: 'test', id: 'b', status: 'ok', value: [[[[[1]]]]] }); // 6
  fs.closeSync(fd);
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepStrictEqual(lines.map((l) => l.status), ['ok', 'output-limit']);
  assert.match(lines[1].message, /nested deeper than the 5-level channel limit/);
});
