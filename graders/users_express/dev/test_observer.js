'use strict';
// Unit tests of the observer side (no sandbox, no gradebox):
//   node graders/users_express/dev/test_observer.js
// What the runner says is parsed to plain, capped fields; a non-graded load
// verdict is reported only when the observer can check it; and the runner
// never holds the observer's fd 3.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');

const PACK = path.dirname(__dirname);
const claims = require(path.join(PACK, 'express_claims.js'));
const observe = require(path.join(PACK, 'express_observe.js'));
const gb = require(path.join(PACK, '..', '_node', 'lib', 'gb_channel.js'));

const texts = (code) => new Map([['/w/app/answer.js', code]]);
const notFound = (pkg) => ({ type: 'Error', code: 'MODULE_NOT_FOUND', message: `Cannot find module '${pkg}'` });

test('a load report becomes typed, capped fields; anything else is dropped', () => {
  const r = observe.loadReport({
    kind: 'load', usable: 'yes', routes: ['/users', 7, 'x'.repeat(500)], all_routes: -3,
    reason: 'made up', error: { type: 'E', message: 'm'.repeat(5000), line: 'ten', extra: { deep: 1 } },
  });
  assert.strictEqual(r.usable, false);
  assert.deepStrictEqual(r.routes.map((x) => x.length), [6, 200]);
  assert.strictEqual(r.allRoutes, 0);
  assert.strictEqual(r.reason, null);
  assert.strictEqual(r.error.message.length, 2000);
  assert.deepStrictEqual(Object.keys(r.error).sort(), ['message', 'type']);
  assert.strictEqual(observe.loadReport({ kind: 'test', ok: true }), null);
  assert.strictEqual(observe.loadReport([1, 2]), null);
});

test('missing packages: verdict only for a package the grader lacks and the answer imports', () => {
  const ctx = (code) => ({ texts: texts(code), entry: '/w/app/answer.js', packagesDir: null, stubs: [] });
  const special = claims.classify(notFound('mongoose'));
  assert.ok(special.unsupported);
  assert.ok(claims.verifyLoadClaim(special, notFound('mongoose'), ctx("const m = require('mongoose');")).ok);
  assert.ok(!claims.verifyLoadClaim(special, notFound('mongoose'), ctx("// require('mongoose')\nconst x = 1;")).ok);
  const stubbed = { ...ctx("require('morgan')"), stubs: ['morgan'] };
  assert.ok(!claims.verifyLoadClaim(claims.classify(notFound('morgan')), notFound('morgan'), stubbed).ok);
  const fastify = claims.classify(notFound('fastify'));
  assert.ok(fastify.no_entry);
  assert.ok(claims.verifyLoadClaim(fastify, notFound('fastify'), ctx("import Fastify from 'fastify';")).ok);
});

test('compile errors: verdict only when the observer cannot parse the named file', () => {
  const error = { type: 'SyntaxError', message: 'Unexpected token', stack: '/w/app/answer.js:1\nx\n    at wrapSafe (x)' };
  const special = claims.classify(error);
  assert.ok(special.compile_error);
  const ctx = (code) => ({ texts: texts(code), entry: '/w/app/answer.js', packagesDir: null, stubs: [] });
  assert.ok(claims.verifyLoadClaim(special, error, ctx('const x = ;')).ok);
  assert.ok(!claims.verifyLoadClaim(special, error, ctx('const x = 1;')).ok);
  assert.ok(!claims.verifyLoadClaim(special, error, ctx("import e from 'express'; export default e;")).ok);
  const elsewhere = { ...error, stack: '/etc/passwd:1\nx' };
  assert.ok(!claims.verifyLoadClaim(special, elsewhere, ctx('const x = ;')).ok);
});

test('no GET route: refused when the text registers one or the port accepts', () => {
  const reason = 'no Express app with a GET route';
  assert.ok(!claims.verifyNoRoute(reason, texts("app.get('/users', h);"), false).ok);
  assert.ok(!claims.verifyNoRoute(reason, texts("router.route('/u').get(h);"), false).ok);
  assert.ok(claims.verifyNoRoute(reason, texts("app.post('/u', h); req.get('Authorization');"), false).ok);
  assert.ok(!claims.verifyNoRoute(reason, texts("app.post('/u', h);"), true).ok);
  assert.ok(claims.verifyNoRoute('the Express app registers no GET route', texts("app.post('/u', h);"), true).ok);
  assert.ok(claims.verifyNoRoute(reason, texts("// app.get('/users', h);"), false).ok);
});

test('a runner holds a report pipe on fd 3, not the observer\'s fd 3, and is parsed with limits', async () => {
  const channel = fs.openSync('/dev/null', 'w'); // stands in for the observer's fd 3 when the test has none
  const observerFd3 = fs.readlinkSync('/proc/self/fd/3');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-observe-'));
  const entry = path.join(dir, 'answer.js');
  // The "answer" says what its fd 3 is, floods the pipe, then sends a report.
  fs.writeFileSync(entry, `
    const fs = require('fs');
    fs.writeSync(3, 'x'.repeat(3000) + '\\n' + '['.repeat(50) + '\\n');
    fs.writeSync(3, JSON.stringify({ kind: 'answer_error', origin: 'fd3', error: { type: fs.readlinkSync('/proc/self/fd/3'), message: '' } }) + '\\n');
    throw new Error('boom');
  `);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(PACK, '..', '_node', 'node_modules', 'express'), path.join(dir, 'node_modules', 'express'));
  const seen = [];
  const runner = observe.startRunner(gb, { maxLineBytes: 1024, maxDepth: 20 }, (e) => seen.push(e), true);
  runner.configure({ appDir: dir, entry, port: 0, host: '127.0.0.1', listenGraceMs: 10 });
  const first = await runner.loaded;
  await runner.stop();
  assert.strictEqual(first.report.error.message, 'boom');
  assert.strictEqual(runner.notes.over_cap, 1);
  assert.strictEqual(runner.notes.malformed, 1);
  // Node's 'pipe' is a socketpair; the observer holds the other end.
  assert.match(seen[0].error.type, /^socket:/);
  assert.notStrictEqual(seen[0].error.type, observerFd3);
  fs.closeSync(channel);
  fs.rmSync(dir, { recursive: true, force: true });
});
