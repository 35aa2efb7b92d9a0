'use strict';
// ES-module answers (top-level await, import) and dynamic import() from
// either kind: every importable module is a vm.SyntheticModule built in the
// scenario's own context from the modules prelude's objects, whose export
// values are read from own data properties only. A specifier the grader does
// not provide fails with an error of the context's realm (a host error object
// would carry the host's Function constructor into the answer).
// Runner side (untrusted process); the vm realm is a second line only.

const vm = require('vm');
const { dataProperty } = require('./race_serialize.js');

const PROVIDED = ['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'undici', 'util', 'events', 'timers',
  'timers/promises', 'perf_hooks'];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

// Called once per scenario, before any answer code: the module objects.
function captureModules(lookup) {
  const modules = new Map();
  for (const name of PROVIDED) modules.set(name, lookup(name));
  return modules;
}

function moduleObject(run, specifier) {
  const name = typeof specifier === 'string' && specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return typeof name === 'string' ? run.modules.get(name) : undefined;
}

// A SyntheticModule exporting `default` plus the object's own data members.
function syntheticFor(run, specifier) {
  const cache = run.syntheticCache || (run.syntheticCache = new Map());
  if (cache.has(specifier)) return cache.get(specifier);
  const object = moduleObject(run, specifier);
  run.bridge('require', specifier, object !== undefined);
  if (object === undefined) {
    throw run.makeError(`Cannot find package '${String(specifier).slice(0, 200)}' imported from ${run.answer.filename}`,
      'ERR_MODULE_NOT_FOUND');
  }
  const values = new Map([['default', object]]);
  for (const key of Object.getOwnPropertyNames(object)) {
    const value = dataProperty(object, key, undefined);
    if (key !== 'default' && IDENTIFIER.test(key) && value !== undefined) values.set(key, value);
  }
  const module = new vm.SyntheticModule([...values.keys()], function setExports() {
    for (const [key, value] of values) this.setExport(key, value);
  }, { context: run.context, identifier: `gradebox:${specifier}` });
  cache.set(specifier, module);
  return module;
}

// importModuleDynamically: resolves to a linked, evaluated module. The
// scenario keeps draining the context while such host work is pending.
async function importDynamic(run, specifier) {
  run.hostPending++;
  try {
    const module = syntheticFor(run, specifier);
    if (module.status === 'unlinked') await module.link(() => undefined);
    if (module.status === 'linked') await module.evaluate();
    return module;
  } finally {
    run.hostPending--;
    run.drainOnce = true;
  }
}

// Links and starts an ESM answer; its evaluation promise settles later
// (top-level await), which run.moduleState tracks.
async function startModule(run) {
  const fileUrl = `file://${run.answer.filename}`;
  let module;
  try {
    module = new vm.SourceTextModule(run.answer.source, {
      context: run.context,
      identifier: fileUrl,
      initializeImportMeta(meta) {
        Object.defineProperty(meta, 'url', { value: fileUrl, enumerable: true, writable: true, configurable: true });
        Object.defineProperty(meta, 'filename', { value: run.answer.filename, enumerable: true });
      },
      importModuleDynamically: (specifier) => importDynamic(run, specifier),
    });
    await module.link((specifier) => syntheticFor(run, specifier));
  } catch (error) {
    run.onUncaught(error, false);  // a missing package fails before any code runs, as in Node
    return;
  }
  run.moduleState = 'pending';
  let evaluation;
  try {
    evaluation = module.evaluate({ timeout: run.timeLimitMs });
  } catch (error) {
    run.moduleFailed(error);
    return;
  }
  // evaluate() drains the context's microtasks itself (afterEvaluate).
  evaluation.then(() => { run.moduleState = 'done'; }, (error) => run.moduleFailed(error));
}

module.exports = { startModule, importDynamic, captureModules, PROVIDED };
