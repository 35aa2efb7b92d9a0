'use strict';
// Reads the answer once and decides how it runs, as Node 20 would for a
// script: CommonJS, unless it only parses as an ES module (import/export,
// top-level await), then ESM. Sorts what cannot run into the protocol's
// load verdicts: compile_error (parses as neither) and unsupported (needs
// an HTTP client other than fetch: the grader fakes fetch only).
// Runs in the runner, before any answer code: the runner's load report is
// the one message it sends that the answer cannot have shaped (see
// race_harness.py).

const fs = require('fs');
const vm = require('vm');

const HTTP_CLIENTS = new Set(['axios', 'got', 'superagent', 'request', 'request-promise', 'request-promise-native',
  'needle', 'ky', 'ky-universal', 'phin', 'bent', 'http', 'https', 'http2', 'xmlhttprequest', 'wretch', 'ofetch',
  'redaxios', 'node-libcurl', 'jquery']);
const SPECIFIER_PATTERNS = [
  /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
  /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  /\bimport\s*(['"])([^'"\n]+)\1/g,
];
const ESM_ONLY_SYNTAX = /import statement|Unexpected token 'export'|import\.meta|await is only valid|Cannot use import/;

// The code with comments blanked out (strings kept), so "// or use axios"
// in a comment does not count as using axios.
function withoutComments(source) {
  let out = '';
  let quote = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') { out += c + (source[i + 1] || ''); i++; continue; }
      if (c === quote) quote = null;
      out += c;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 1;
      out += ' ';
    } else {
      if (c === "'" || c === '"' || c === '`') quote = c;
      out += c;
    }
  }
  return out;
}

// Every module name the code mentions in require/import form.
function specifiersIn(source) {
  const code = withoutComments(source);
  const names = new Set();
  for (const pattern of SPECIFIER_PATTERNS) {
    for (const match of code.matchAll(pattern)) names.add(match[2].trim());
  }
  return [...names];
}

function packageName(specifier) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function unsupportedReason(source, specifiers) {
  const client = specifiers.map(packageName).find((name) => HTTP_CLIENTS.has(name));
  if (client) return `uses the HTTP client '${client}'; the grader provides only fetch and node-fetch`;
  if (/\bnew\s+XMLHttpRequest\b/.test(withoutComments(source))) return 'uses XMLHttpRequest; the grader provides only fetch and node-fetch';
  return null;
}

// "SyntaxError: <message> (line N)" from a compile error's stack.
function describeCompileError(error) {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const line = /^[^\n]*:(\d+)\n/.exec(stack);
  const text = `${error.name || 'SyntaxError'}: ${error.message}`;
  return (line ? `${text} (line ${line[1]})` : text).slice(0, 2000);
}

// The CommonJS form: the wrapper shares the first line so line numbers match.
function compileScript(source, filename, importModuleDynamically) {
  const wrapped = '__gradebox_enter(function (exports, require, module, __filename, __dirname) {' + source + '\n});';
  return new vm.Script(wrapped, { filename, importModuleDynamically });
}

function compileModule(source, filename) {
  const scratch = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
  return new vm.SourceTextModule(source, { context: scratch, identifier: `file://${filename}` });
}

// -> {ok: true, answer: {kind, script, source, filename}, specifiers}
//  | {ok: false, compile_error} | {ok: false, unsupported}
function loadAnswer(filename, importModuleDynamically) {
  let source = fs.readFileSync(filename, 'utf8');
  if (source.startsWith('#!')) source = '//' + source.slice(2);  // shebang: keep line numbers
  let specifiers = specifiersIn(source);
  const answer = { kind: 'cjs', script: null, source, filename };
  try {
    if (filename.endsWith('.mjs')) throw new SyntaxError('an .mjs file is an ES module');
    answer.script = compileScript(source, filename, importModuleDynamically);
  } catch (scriptError) {
    if (filename.endsWith('.cjs')) return { ok: false, compile_error: describeCompileError(scriptError) };
    try {
      const module = compileModule(source, filename);
      answer.kind = 'esm';
      specifiers = [...new Set([...specifiers, ...module.dependencySpecifiers])];
    } catch (moduleError) {
      const esmish = ESM_ONLY_SYNTAX.test(String(scriptError.message));
      return { ok: false, compile_error: describeCompileError(esmish ? moduleError : scriptError) };
    }
  }
  const unsupported = unsupportedReason(source, specifiers);
  if (unsupported) return { ok: false, unsupported };
  return { ok: true, answer, specifiers };
}

module.exports = { loadAnswer, specifiersIn, unsupportedReason };
