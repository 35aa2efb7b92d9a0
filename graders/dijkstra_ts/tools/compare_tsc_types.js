'use strict';
// Development: tsc's diagnostics with the lite-first typecheck (what the
// harness reports) against the full --types node pass alone (what it
// reported before), on every answer given; exits 1 on any difference.
//
//   node tools/compare_tsc_types.js FILE.ts|FILE.md ...
//
// .md files: every ```ts / ```typescript block becomes one answer.ts.

const fs = require('fs');
const os = require('os');
const path = require('path');

const NM = path.join(__dirname, '..', '..', '_node', 'node_modules');
process.env.NODE_PATH = NM;
const { typecheck, findNodeModules, tscPassForCompare } = require('../tools');

/** answer.ts files for `file`: itself, or its TypeScript blocks. */
function answers(file, tmp) {
  if (!file.endsWith('.md')) return [path.resolve(file)];
  const text = fs.readFileSync(file, 'utf8');
  const blocks = [...text.matchAll(/^(```|~~~)[ \t]*(ts|typescript|tsx)?[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm)]
    .filter((m) => m[2] || /function|=>|class/.test(m[3]));
  return blocks.map((m, i) => {
    const dir = path.join(tmp, path.basename(file, '.md') + '-' + i + '-' + path.basename(path.dirname(file)));
    fs.mkdirSync(dir, { recursive: true });
    const out = path.join(dir, 'answer.ts');
    fs.writeFileSync(out, m[3]);
    return out;
  });
}

async function main() {
  const nodeModules = findNodeModules() || NM;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-tsc-compare-'));
  let differ = 0;
  let total = 0;
  const byPass = { lite: 0, node: 0 };
  for (const file of process.argv.slice(2)) {
    for (const ts of answers(file, tmp)) {
      const now = await typecheck([ts], nodeModules);
      // When the lite pass did not decide, typecheck ran the full pass itself
      // (tscPassForCompare's very call): running it again would compare it with itself.
      const before = now.types === 'node' ? now : await tscPassForCompare([ts], nodeModules);
      const a = JSON.stringify(now.diagnostics);
      const b = JSON.stringify(before.diagnostics);
      total++;
      byPass[now.types]++;
      const same = a === b && now.timed_out === before.timed_out && now.failed === before.failed;
      if (!same) differ++;
      const codes = [...new Set(before.diagnostics.map((d) => d.code))].join(',');
      console.log((same ? 'same ' : 'DIFF ') + now.types.padEnd(5) + ' ' + String(before.diagnostics.length).padStart(2) +
        ' diag ' + (codes || '-').padEnd(22) + ' ' + path.relative(process.cwd(), file) +
        (ts === path.resolve(file) ? '' : ' [' + path.basename(path.dirname(ts)) + ']'));
      if (!same) console.log('  now:    ' + a.slice(0, 600) + '\n  before: ' + b.slice(0, 600));
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${total} answers, ${differ} differ; reported from the lite pass: ${byPass.lite}, from the node pass: ${byPass.node}`);
  process.exitCode = differ ? 1 : 0;
}

main();
