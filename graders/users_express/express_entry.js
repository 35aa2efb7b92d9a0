'use strict';
// Observer side (trusted; reads the answer's sources as text, runs none).
// Which laid-out file to run. The extractor's primary is the first block
// with a GET route, which in a layered answer is often routes/users.js,
// while the app (mount paths, listen) lives in app.js or server.js. The
// root of the app is the file that listens, else the file that creates the
// app, among files no other file requires; test files never.

const fs = require('fs');
const path = require('path');

const SCRIPT = /\.(c|m)?js$/;
const TEST_FILE = /(^|[/\\])(tests?|__tests__|spec)[/\\]|\.(test|spec)\.(c|m)?js$/;
const NAME_ORDER = ['server', 'index', 'app', 'main'];

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (_) {
    return '';
  }
}

// True when some other file's require/import names `file`.
function requiredByOthers(file, sources) {
  const stem = path.basename(file).replace(SCRIPT, '');
  const pattern = new RegExp(`(require\\s*\\(|from|import)\\s*\\(?\\s*['"][^'"]*\\b${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.(c|m)?js)?['"]`);
  return [...sources].some(([other, code]) => other !== file && pattern.test(code));
}

function rank(file) {
  const stem = path.basename(file).replace(SCRIPT, '');
  const at = NAME_ORDER.indexOf(stem);
  return at < 0 ? NAME_ORDER.length : at;
}

// The layout's own texts when it has them: the files on disk are writable by
// the answer's processes (a runner of an earlier attempt may still be alive).
function chooseEntry(layout) {
  const texts = layout.texts;
  const exists = (f) => (texts ? texts.has(f) : fs.existsSync(f));
  const scripts = layout.files.filter((f) => SCRIPT.test(f) && exists(f));
  const runnable = scripts.filter((f) => !TEST_FILE.test(path.relative(layout.appDir, f)));
  const sources = new Map(runnable.map((f) => [f, texts ? texts.get(f) : read(f)]));
  const roots = runnable.filter((f) => !requiredByOthers(f, sources));
  const byRank = (a, b) => rank(a) - rank(b);
  for (const signal of [/\.listen\s*\(/, /\bexpress\s*\(\s*\)/]) {
    const hits = roots.filter((f) => signal.test(sources.get(f))).sort(byRank);
    if (hits.length) return hits[0];
  }
  return layout.primary;
}

module.exports = { chooseEntry };
