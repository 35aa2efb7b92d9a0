'use strict';
// Lays an answer out in a writable directory so it can run like a project:
//   <root>/app/...          a copy of /box/answer (answers may write data
//                           files next to themselves; /box is read-only)
//   <root>/node_modules/*   symlinks to the grader's packages, so ESM
//                           imports resolve too (ESM ignores NODE_PATH);
//                           `express` points at express5 for the Express 5 run
//   <root>/node_modules/<stub>  no-op stand-ins (express_stubs.js)
// TypeScript files get a transpiled .js sibling (esbuild, CommonJS output).

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

function linkPackages(modulesDir, sourceDir, expressMajor) {
  fs.mkdirSync(modulesDir, { recursive: true });
  if (!sourceDir) return;
  for (const name of fs.readdirSync(sourceDir)) {
    if (name.startsWith('.')) continue;
    let target = path.join(sourceDir, name);
    if (name === 'express' && expressMajor === 5) target = path.join(sourceDir, 'express5');
    fs.symlinkSync(target, path.join(modulesDir, name));
  }
}

function writeStubs(modulesDir) {
  for (const [name, files] of Object.entries(STUBS)) {
    const dir = path.join(modulesDir, name);
    if (fs.existsSync(dir)) continue;  // a real package wins
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
    for (const [file, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), source);
  }
}

// .ts -> .js with esbuild (CommonJS, so extensionless imports resolve);
// returns the problems, if any, as load errors.
function transpileTypeScript(appDir, sourceDir) {
  const tsFiles = listFiles(appDir).filter((f) => /\.(ts|mts|cts)$/.test(f) && !f.endsWith('.d.ts'));
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
    if (fs.existsSync(out)) continue;
    try {
      const code = fs.readFileSync(file, 'utf8');
      const result = esbuild.transformSync(code, { loader: 'ts', format: 'cjs', sourcefile: file, target: 'node20' });
      fs.writeFileSync(out, result.code);
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

// Returns {root, appDir, files (absolute, in the copy), entry mapping fn, errors}.
function layOut(inputs, root, expressMajor) {
  const source = answerRoot(inputs.answer);
  const appDir = path.join(root, 'app');
  const modulesDir = path.join(root, 'node_modules');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(appDir, { recursive: true });
  fs.cpSync(source, appDir, { recursive: true, dereference: true });
  const sourceDir = packagesDir();
  linkPackages(modulesDir, sourceDir, expressMajor);
  writeStubs(modulesDir);
  const errors = transpileTypeScript(appDir, sourceDir);
  const inCopy = (p) => path.join(appDir, path.relative(source, p)).replace(/\.(ts|mts|cts)$/, '.js');
  const files = [inputs.answer, ...(inputs.files || [])].map(inCopy);
  return { root, appDir, files, primary: files[0], errors };
}

module.exports = { layOut, listFiles, packagesDir };
