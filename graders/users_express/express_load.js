'use strict';
// Runner side (untrusted process): loads an answer's entry file as the main
// module (so `require.main === module` and `process.argv[1] ===
// fileURLToPath(import.meta.url)` hold), CommonJS or ESM. What a failure
// means (no entry, unsupported, compile error) is the observer's call:
// observer_claims.py.

const fs = require('fs');
const vm = require('vm');
const Module = require('module');
const { pathToFileURL } = require('url');

function looksLikeEsm(file, source) {
  if (/\.mjs$/.test(file)) return true;
  if (/\.cjs$/.test(file)) return false;
  try {
    new vm.Script(Module.wrap(source), { filename: file });
    return false;
  } catch (err) {
    return err instanceof SyntaxError &&
      /import statement|export|import\.meta|await is only valid|Cannot use import/.test(String(err.message));
  }
}

// Runs `file` as the main module; resolves to its exports, rejects with the
// error it threw (ESM: the rejection of import()).
async function loadMain(file) {
  process.argv[1] = file;
  const source = fs.readFileSync(file, 'utf8');
  if (!looksLikeEsm(file, source)) return Module._load(file, null, true);
  const namespace = await import(pathToFileURL(file).href);
  return namespace && namespace.default !== undefined ? namespace.default : namespace;
}

module.exports = { loadMain, looksLikeEsm };
