'use strict';
// Observer side: the layout writes these as files; the code in them runs in
// the runner, with the answer (untrusted, like everything there).
// Stand-ins for packages that answers use for logging, security headers,
// config or ids, which the grader does not install. None of them touches
// pagination or filtering, so a no-op middleware keeps the answer's own
// behaviour; a real rate limiter would only throttle the prober.
// Each entry is a tiny package: file name -> CommonJS source. Named exports
// are written as `exports.x =` so ESM `import { x }` finds them.

const PASS = 'function pass(req, res, next) { if (typeof next === "function") next(); }\n';
const FACTORY = PASS + 'function factory() { return pass; }\n';

function middlewareFactory(names) {
  const named = names.map((n) => `exports.${n} = factory;\n`).join('');
  return { 'index.js': FACTORY + 'module.exports = exports = factory;\nexports.default = factory;\n' + named };
}

const STUBS = {
  morgan: middlewareFactory(['token', 'format', 'compile']),
  helmet: middlewareFactory([
    'contentSecurityPolicy', 'crossOriginEmbedderPolicy', 'hidePoweredBy', 'hsts', 'noSniff',
    'frameguard', 'xssFilter', 'referrerPolicy',
  ]),
  compression: middlewareFactory(['filter']),
  'cookie-parser': middlewareFactory([]),
  'response-time': middlewareFactory([]),
  'express-rate-limit': middlewareFactory(['rateLimit', 'slowDown']),
  'express-slow-down': middlewareFactory(['slowDown']),
  dotenv: {
    'index.js': 'function config() { return { parsed: {} }; }\n' +
      'exports.config = config;\nexports.parse = function parse() { return {}; };\nexports.default = exports;\n',
    'config.js': '/* dotenv/config: nothing to load */\n',
  },
  uuid: {
    'index.js': 'const { randomUUID } = require("crypto");\n' +
      'exports.v4 = () => randomUUID();\nexports.v1 = () => randomUUID();\nexports.v7 = () => randomUUID();\n' +
      'exports.validate = (s) => /^[0-9a-f-]{36}$/i.test(String(s));\n',
  },
  'express-async-handler': {
    'index.js': 'module.exports = exports = function asyncHandler(fn) {\n' +
      '  return function wrapped(req, res, next) { return Promise.resolve(fn(req, res, next)).catch(next); };\n' +
      '};\nexports.default = exports;\n',
  },
  'swagger-ui-express': {
    'index.js': PASS + 'exports.serve = [pass];\nexports.setup = () => pass;\nexports.serveFiles = () => [pass];\n',
  },
  'swagger-jsdoc': { 'index.js': 'module.exports = exports = function swaggerJsdoc() { return {}; };\n' },
};

module.exports = { STUBS };
