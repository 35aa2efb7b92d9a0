'use strict';
// tsc's type environment. @types/node makes a tsc run cost ~130 ms of CPU
// against ~25 ms without it, and most answers use nothing of Node's but
// console.log. So tsc first checks the answer against dijkstra_node_lite.d.ts
// (console exactly as @types/node declares it, every other global Node adds
// as an opaque type: see dev/gen_node_lite.js) and its diagnostics are
// reported only when there are none. Any diagnostic at all, or a source
// that may meet @types/node in ways the lite pass cannot show (below),
// means the full pass with --types node, whose diagnostics are reported as
// before. Why a clean lite pass implies a clean full pass:
//   - a use of a Node global is an error on the opaque type, and a global
//     declaration clashing with one is a redeclaration error;
//   - what remains are Node's augmentations of lib interfaces (Array, String
//     and typed arrays get an `at` identical to es2022's; ErrorConstructor,
//     SymbolConstructor, ImportMeta, IteratorObject get members) and names
//     the lite file cannot declare (the NodeJS namespace, Disposable, Console
//     beyond console.x): RISKY_WORDS sends any source naming them to the full
//     pass, and @ts- directives too, since a suppressed lite error could
//     hide a type that differs under @types/node.

const path = require('path');

const LITE_DTS = path.join(__dirname, 'dijkstra_node_lite.d.ts');

const RISKY_WORDS = new Set([
  'NodeJS', 'globalThis', 'Console', 'ErrorConstructor', 'SymbolConstructor', 'ImportMeta', 'IteratorObject',
  'AsyncIteratorObject', 'RelativeIndexable', 'Disposable', 'AsyncDisposable', 'captureStackTrace',
  'prepareStackTrace', 'stackTraceLimit', '__GbNodeOnly',
]);
const RISKY_PATTERNS = [
  /@ts-/,                            // ts-ignore / ts-expect-error / ts-nocheck
  /\bdeclare\s+(?:global|module)\b/,  // augmentations of Node's globals or modules
  /<reference\b/,                    // triple-slash types/lib/path references
  /\bconsole\b(?!\s*\.\s*[A-Za-z_$])/,  // console itself (declared, passed, typeof'd), not console.x
];

/** Whether `text` (one answer file) must be checked with @types/node from the start. */
function needsNodeTypes(text) {
  if (RISKY_PATTERNS.some((re) => re.test(text))) return true;
  for (const m of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
    if (RISKY_WORDS.has(m[0])) return true;
  }
  return false;
}

module.exports = { LITE_DTS, needsNodeTypes, RISKY_WORDS };
