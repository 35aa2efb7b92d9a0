'use strict';
// The TypeScript toolchain as the harness uses it, inside the sandbox:
// the native tsc 7 (a Go binary, started directly: the npm wrapper would
// cost a node start) for diagnostics, and the esbuild binary for emit. Both
// read only the answer's files and run as child processes of the harness,
// so they share its sandbox and limits.

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { LITE_DTS, needsNodeTypes } = require('./tsc_lite');
const { trustTool } = require('./cpu_watch');

const TSC_REL = '@typescript/typescript-linux-x64';
const ESBUILD_REL = '@esbuild/linux-x64';

/** The node_modules folder holding the toolchain (NODE_PATH first). */
function findNodeModules() {
  const dirs = (process.env.NODE_PATH || '').split(':').filter(Boolean).concat(module.paths);
  for (const dir of dirs) {
    if (fs.existsSync(path.join(dir, TSC_REL, 'lib', 'tsc'))) return dir;
  }
  return null;
}

function packageVersion(nodeModules, rel) {
  try {
    return JSON.parse(fs.readFileSync(path.join(nodeModules, rel, 'package.json'), 'utf8')).version;
  } catch (_) {
    return 'unknown';
  }
}

/** Runs `bin` with `args`, feeding `input`; resolves {code, signal, stdout, stderr, ms, timedOut}. */
function runTool(bin, args, { input = '', timeoutMs = 10000, env } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin, args, { cwd: '/tmp', env: env || process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    trustTool(child.pid);  // its CPU is ours, not the answer's (cpu_watch.js)
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code, signal, timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

// TS1xxx codes that are about module/option settings, not the answer's
// syntax: a transpiler handles them and node runs the code.
const NOT_SYNTAX = new Set([1192, 1202, 1203, 1208, 1259, 1261, 1286, 1287, 1295, 1323, 1324, 1343,
  1371, 1375, 1378, 1470, 1471, 1479, 1484]);

function isSyntaxCode(code) {
  return code >= 1000 && code < 2000 && !NOT_SYNTAX.has(code);
}

/** tsc --pretty false output → [{file, line, col, code, category, message}]. */
function parseDiagnostics(text) {
  const out = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m = /^(.+?)\((\d+),(\d+)\): (error|warning|message) TS(\d+): (.*)$/.exec(line);
    if (m) {
      out.push({ file: path.basename(m[1]), line: +m[2], col: +m[3], category: m[4], code: +m[5], message: m[6] });
      continue;
    }
    m = /^(error|warning|message) TS(\d+): (.*)$/.exec(line);
    if (m) {
      out.push({ file: '', line: 0, col: 0, category: m[1], code: +m[2], message: m[3] });
    } else if (/^\s+\S/.test(line) && out.length) {
      out[out.length - 1].message += ' ' + line.trim();
    }
  }
  return out;
}

/** One tsc run; `types`: 'lite' (tsc_lite.js's declarations) or 'node'. */
async function tscPass(files, nodeModules, types, timeoutMs) {
  const bin = path.join(nodeModules, TSC_REL, 'lib', 'tsc');
  const env = types === 'node' ? ['--types', 'node', '--typeRoots', path.join(nodeModules, '@types')] : ['--types', ''];
  const args = ['--strict', '--noEmit', '--skipLibCheck', '--lib', 'es2022', ...env, '--pretty', 'false', '--singleThreaded'];
  const roots = types === 'node' ? files : [...files, LITE_DTS];
  const r = await runTool(bin, [...args, ...roots], { timeoutMs });
  const diagnostics = parseDiagnostics(r.stdout);
  return {
    types,
    command: 'tsc ' + args.join(' ').replace(nodeModules, '<node_modules>').replace('--types  ', "--types '' ") +
      (types === 'lite' ? ' + ' + path.basename(LITE_DTS) : ''),
    ms: r.ms,
    timed_out: r.timedOut,
    failed: !r.timedOut && r.code !== 0 && r.code !== 1 && r.code !== 2 ? (r.stderr || 'exit ' + r.code).slice(0, 300) : '',
    diagnostics,
  };
}

/** Whether the answer's files can be checked against the lite declarations first. */
function liteFirst(files) {
  try {
    return files.every((f) => !needsNodeTypes(fs.readFileSync(f, 'utf8')));
  } catch (_) {
    return false;  // unreadable: tsc reports it in the full pass
  }
}

/**
 * `tsc --strict --noEmit` on `files`; resolves the diagnostics and timing.
 * A lite pass first when the sources allow it, kept only when it is clean
 * (tsc_lite.js says why the full pass would be clean too).
 */
async function typecheck(files, nodeModules, { timeoutMs = 10000 } = {}) {
  const lite = liteFirst(files) ? await tscPass(files, nodeModules, 'lite', timeoutMs) : null;
  const clean = lite && !lite.timed_out && !lite.failed && !lite.diagnostics.length;
  const pass = clean ? lite : await tscPass(files, nodeModules, 'node', timeoutMs);
  return {
    version: packageVersion(nodeModules, TSC_REL),
    types: pass.types,
    command: pass.command,
    time_ms: Math.round(pass.ms + (lite && !clean ? lite.ms : 0)),
    lite_ms: lite && !clean ? Math.round(lite.ms) : undefined,  // a lite pass that did not decide
    timed_out: pass.timed_out,
    failed: pass.failed,
    diagnostics: pass.diagnostics,
    syntax: pass.diagnostics.filter((d) => isSyntaxCode(d.code)),
  };
}

/** esbuild TS → CommonJS; resolves {ok, js, map, error, ms}. */
async function transpile(file, source, nodeModules) {
  const bin = path.join(nodeModules, ESBUILD_REL, 'bin', 'esbuild');
  const loader = /\.tsx$/.test(file) ? 'tsx' : /\.[cm]?js$/.test(file) ? 'js' : 'ts';
  const args = ['--loader=' + loader, '--format=cjs', '--target=node20', '--platform=node', '--sourcemap=inline',
    '--sources-content=false', '--log-level=error', '--color=false', '--log-limit=5', '--sourcefile=' + file];
  const r = await runTool(bin, args, { input: source, timeoutMs: 10000 });
  if (r.code !== 0) {
    return { ok: false, error: esbuildErrors(r.stderr || (r.timedOut ? 'esbuild timed out' : 'esbuild failed')), ms: r.ms };
  }
  const marker = '//# sourceMappingURL=data:application/json;base64,';
  const at = r.stdout.lastIndexOf(marker);
  const js = at >= 0 ? r.stdout.slice(0, at) : r.stdout;
  const map = at >= 0 ? Buffer.from(r.stdout.slice(at + marker.length).trim(), 'base64').toString('utf8') : null;
  return { ok: true, js, map, ms: r.ms };
}

/** esbuild's stderr → "file:line:col: message" lines. */
function esbuildErrors(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /\[ERROR\] (.*)$/.exec(lines[i]);
    if (!m) continue;
    const loc = lines.slice(i + 1, i + 4).map((l) => /^\s*(\S+:\d+:\d+):\s*$/.exec(l)).find(Boolean);
    out.push((loc ? path.basename(loc[1]) + ': ' : '') + m[1]);
  }
  return out.length ? out.join('\n') : text.trim().slice(0, 500);
}

/** The full pass alone, as the harness ran tsc before the lite pass (tools/compare_tsc_types.js). */
const tscPassForCompare = (files, nodeModules, timeoutMs = 10000) => tscPass(files, nodeModules, 'node', timeoutMs);

module.exports = {
  findNodeModules, packageVersion, typecheck, tscPassForCompare, transpile, parseDiagnostics, isSyntaxCode, esbuildErrors,
  TSC_REL, ESBUILD_REL,
};
