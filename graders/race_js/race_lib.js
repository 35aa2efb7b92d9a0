'use strict';
// Locates shared files (the box flattens harness files into /box; the
// source tree keeps them under graders/_node/lib) and compiles the context
// preludes once per runner process: a vm.Script is not bound to a context,
// so every scenario reuses the compiled code.

const fs = require('fs');
const path = require('path');
const vm = require('vm');

function requireShared(name) {
  const inBox = path.join(__dirname, name);
  return require(fs.existsSync(inBox) ? inBox : path.join(__dirname, '..', '_node', 'lib', name));
}

const PRELUDES = ['race_prelude_core.js', 'race_prelude_fetch.js', 'race_prelude_modules.js'];
let compiled = null;

function loadPreludes() {
  if (!compiled) {
    compiled = PRELUDES.map((name) => {
      const file = path.join(__dirname, name);
      return new vm.Script(fs.readFileSync(file, 'utf8'), { filename: `gradebox:${name}` });
    });
  }
  return compiled;
}

module.exports = { requireShared, loadPreludes };
