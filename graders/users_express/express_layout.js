'use strict';
// Observer side (trusted; reads the answer's files as data, runs none of
// them). Lays an answer out in a writable directory so it can run like a project:
//   <work>/node_modules      one symlink to the grader's packages, so ESM
//                            imports resolve too (ESM ignores NODE_PATH)
//   <work>/<run>/app/...     a copy of the answer's files (answers may write
//                            data files next to themselves; /box is read-only)
//   <work>/<run>/node_modules/express   express 4 or 5 for this run
//   <work>/<run>/node_modules/<stub>    no-op stand-ins (express_stubs.js),
//                            only for the stubs the answer names
// Resolution looks in <run>/node_modules before <work>/node_modules, so the
// run's own `express` wins. TypeScript gets a transpiled .js sibling
// (esbuild, CommonJS output). File system calls are few on purpose: each
// costs a little, and the whole harness is a hot path. The layout keeps the
// text of every file it wrote (`texts`): the runner may rewrite the copies,
// so the observer's checks read its own (express_claims.js).

const fs = require('fs');
const path = require('path');
const { STUBS } = require('./express_stubs.js');

function packagesDir() {
  for (const dir of String(process.env.NODE_PATH || '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'express'))) return dir;
  }
  return null;
}

// The folder that holds the answer's files: everything under ".../answer/".
function answerRoot(answerPath) {
  const marker = `${path.sep}answer${path.sep}`;
  const at = answerPath.lastIndexOf(marker);
  return at >= 0 ? answerPath.slice(0, at + marker.length - 1) : path.dirname(answerPath);
}

function linkPackages(workDir, runModules, sourceDir, expressMajor) {
  fs.mkdirSync(runModules, { recursive: true });
  if (!sourceDir) return;
  const shared = path.join(workDir, 'node_modules');
  if (!fs.existsSync(shared)) fs.symlinkSync(sourceDir, shared);
  fs.symlinkSync(path.join(sourceDir, expressMajor === 5 ? 'express5' : 'express'), path.join(runModules, 'express'));
}

// Stubs for the packages the answer's sources name and the grader lacks.
function writeStubs(runModules, sourceDir, sources) {
  const used = [];
  for (const [name, files] of Object.entries(STUBS)) {
    if (!sources.some((code) => code.includes(`'${name}`) || code.includes(`"${name}`) || code.includes(`\`${name}`))) continue;
    if (sourceDir && fs.existsSync(path.join(sourceDir, name))) continue;  // a real package wins
    const dir = path.join(runModules, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
    for (const [file, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), source);
    used.push(name);
  }
  return used;
}

// .ts -> .js with esbuild (CommonJS, so extensionless imports resolve);
// returns the problems, if any, as load errors.
// With `everything`, .js files too, in place: the retry for TypeScript
// that was laid out under a .js name (answer.js).
function transpileTypeScript(appDir, sourceDir, everything, texts) {
  const pattern = everything ? /\.(ts|mts|cts|js|mjs|cjs)$/ : /\.(ts|mts|cts)$/;
  const tsFiles = listFiles(appDir).filter((f) => pattern.test(f) && !f.endsWith('.d.ts'));
  if (tsFiles.length === 0) return [];
  let esbuild;
  try {
    esbuild = require(path.join(sourceDir, 'esbuild'));
  } catch (err) {
    return [{ type: 'Error', message: `esbuild unavailable: ${err.message}` }];
  }
  const errors = [];
  for (const file of tsFiles) {
    const out = file.replace(/\.(ts|mts|cts)$/, '.js');
    if (out !== file && fs.existsSync(out)) continue;
    try {
      const code = fs.readFileSync(file, 'utf8');
      const result = esbuild.transformSync(code, { loader: 'ts', format: 'cjs', sourcefile: file, target: 'node20' });
      fs.writeFileSync(out, result.code);
      texts.set(out, result.code);
    } catch (err) {
      errors.push({ type: 'SyntaxError', message: String(err.message).slice(0, 2000), file: path.basename(file) });
    }
  }
  return errors;
}

function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

// Copies the answer's files (inputs.answer + inputs.files) keeping their
// paths relative to the answer folder; returns the copies' sources and
// records each copy's text in `texts`.
function copyAnswer(inputs, source, appDir, texts) {
  const sources = [];
  for (const file of [inputs.answer, ...(inputs.files || [])]) {
    const target = path.join(appDir, path.relative(source, file));
    if (!target.startsWith(appDir + path.sep)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const code = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(target, code);
    texts.set(target, code);
    sources.push(code);
  }
  return sources;
}

// Returns {root, appDir, files (the copies), primary, stubs, errors, texts}.
function layOut(inputs, workDir, runName, expressMajor, typescriptEverywhere = false) {
  const source = answerRoot(inputs.answer);
  const root = path.join(workDir, runName);
  const appDir = path.join(root, 'app');
  const sourceDir = packagesDir();
  fs.mkdirSync(appDir, { recursive: true });
  const texts = new Map();
  const sources = copyAnswer(inputs, source, appDir, texts);
  linkPackages(workDir, path.join(root, 'node_modules'), sourceDir, expressMajor);
  const stubs = writeStubs(path.join(root, 'node_modules'), sourceDir, sources);
  const errors = transpileTypeScript(appDir, sourceDir, typescriptEverywhere, texts);
  const inCopy = (p) => path.join(appDir, path.relative(source, p)).replace(/\.(ts|mts|cts)$/, '.js');
  const files = [inputs.answer, ...(inputs.files || [])].map(inCopy);
  return { root, appDir, files, primary: files[0], stubs, errors, texts, packagesDir: sourceDir };
}

module.exports = { layOut, listFiles, packagesDir };
