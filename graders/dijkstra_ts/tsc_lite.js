'use strict';
// tsc's type environment. @types/node makes a tsc run cost ~100 ms more CPU
// than without it, and most answers use nothing of Node's but console.log.
// So tsc first checks the answer against node_lite.d.ts (console
// exactly as @types/node declares it, every other global Node adds as an
// opaque type: see tools/gen_node_lite.js), and that pass is reported only
// when it finds nothing. Any diagnostic, or a source that names anything
// Node adds, means the full pass with --types node, reported as before.
//
// Why a clean lite pass means a clean full pass: an answer that never names
// a Node global can neither use nor redeclare one, so @types/node can reach
// it only through its augmentations of lib interfaces (Array, String and
// the typed arrays get an `at` identical to es2022's; ErrorConstructor,
// SymbolConstructor, ImportMeta, IteratorObject get members), whose names
// and members are in RISKY_WORDS; @ts- directives could hide a lite error
// whose type differs under @types/node, and escapes (\u0070rocess) could
// spell a name. The opaque declarations are a second line: a use or a
// clash the word check missed is still a lite error.

const fs = require('fs');
const path = require('path');

const LITE_DTS = path.join(__dirname, 'node_lite.d.ts');

/** Every global name @types/node adds (the lite file declares them), but console. */
function nodeGlobalNames() {
  const text = fs.readFileSync(LITE_DTS, 'utf8');
  return [...text.matchAll(/^(?:declare var|type) ([\w$]+)/gm)].map((m) => m[1]).filter((n) => n !== 'console');
}

const RISKY_WORDS = new Set([
  ...nodeGlobalNames(), 'NodeJS', 'Console', 'RelativeIndexable', 'Disposable', 'AsyncDisposable', 'globalThis',
  'ErrorConstructor', 'captureStackTrace', 'prepareStackTrace', 'stackTraceLimit', 'SymbolConstructor',
  'ImportMeta', 'IteratorObject', 'AsyncIteratorObject', '__GbNodeOnly',
]);
const RISKY_PATTERNS = [
  /@ts-/,                              // ts-ignore / ts-expect-error / ts-nocheck
  /\\u/,                               // an escape may spell an identifier
  /\bdeclare\s+(?:global|module)\b/,   // augmentations
  /<reference\b/,                      // triple-slash types/lib/path references
  /\bconsole\b(?!\s*\.\s*[A-Za-z_$])/, // console itself (declared, passed, typeof'd), not console.x
];

/**
 * `text` without the comments that are surely comments: words in comments
 * ("process each node") must not cost an answer the lite pass, and a word
 * hidden by a wrong guess could matter. A `//` counts when nothing on its
 * line could hold it in a string, template or regex (no quote, backtick,
 * `${` or earlier `/`); a block comment when it opens a line and holds no
 * backtick or `${`. Neither may follow a line ending in `\` (a string's
 * continuation).
 */
function withoutSureComments(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const afterContinuation = i > 0 && /\\\s*$/.test(lines[i - 1]);
    if (!afterContinuation && /^\s*\/\*/.test(line)) {
      const end = lines.findIndex((l, j) => j >= i && l.includes('*/', j === i ? line.indexOf('/*') + 2 : 0));
      const block = end < 0 ? '' : lines.slice(i, end + 1).join('\n');
      const close = block.indexOf('*/', block.indexOf('/*') + 2);
      if (end >= 0 && !/`|\$\{/.test(block.slice(0, close + 2))) {
        out.push(lines[end].slice(lines[end].indexOf('*/') + 2));  // code after the close
        i = end;
        continue;
      }
    }
    const at = line.indexOf('//');
    const sure = at >= 0 && !afterContinuation && !/['"`]|\$\{/.test(line) && !line.slice(0, at).includes('/');
    out.push(sure ? line.slice(0, at) : line);
  }
  return out.join('\n');
}

/** Whether `text` (one answer file) must be checked with @types/node from the start. */
function needsNodeTypes(text) {
  if (RISKY_PATTERNS.some((re) => re.test(text))) return true;
  for (const m of withoutSureComments(text).matchAll(/[A-Za-z_$][\w$]*/g)) {
    if (RISKY_WORDS.has(m[0])) return true;
  }
  return false;
}

module.exports = { LITE_DTS, needsNodeTypes, withoutSureComments, RISKY_WORDS };
