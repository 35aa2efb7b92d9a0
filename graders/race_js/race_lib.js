'use strict';
// Runner side: compiles the context preludes once per runner process (a
// vm.Script is not bound to a context, so every scenario reuses the code).

const fs = require('fs');
const path = require('path');
const vm = require('vm');

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

module.exports = { loadPreludes };
