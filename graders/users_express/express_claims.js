'use strict';
// Observer side (trusted; runs no answer code). The runner tells the observer
// why the answer did not load; a verdict that is not `graded` (unsupported,
// no-code, compile-error) would let a wrong app escape its zero, so the
// observer sorts the runner's plain error data itself and accepts a claim
// only when it can check it without running the answer:
//   - a missing package: the grader really lacks it (its package folder, its
//     stubs) and the answer's own text imports it (outside comments);
//   - a compile error: the observer's own parse of the named file fails, as
//     a script and as a module (V8's, in a `node --check` child: parsing
//     runs nothing);
//   - no GET route: the answer's text registers no GET route with a literal
//     path, and nothing accepts on the port when the runner says nothing
//     listened.
// A refused claim leaves the answer graded: the prober decides.

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const { spawnSync } = require('child_process');

// Packages that mean "another framework": no Express entry point.
const FRAMEWORKS = ['fastify', 'koa', '@koa/router', 'koa-router', 'koa-body', 'koa-bodyparser', '@hapi/hapi',
  'hapi', 'restify', 'hono', '@nestjs/core', '@nestjs/common', 'sails', 'polka', 'micro'];

// Packages that need a database server the grader cannot provide.
const DATABASES = {
  mongoose: 'a MongoDB server', mongodb: 'a MongoDB server', pg: 'a PostgreSQL server',
  'pg-promise': 'a PostgreSQL server', postgres: 'a PostgreSQL server', mysql: 'a MySQL server',
  mysql2: 'a MySQL server', sequelize: 'a SQL database server', typeorm: 'a SQL database server',
  knex: 'a SQL database server', '@prisma/client': 'a database (Prisma)', redis: 'a Redis server',
  ioredis: 'a Redis server', sqlite3: 'SQLite bindings', 'better-sqlite3': 'SQLite bindings',
  'mssql': 'an SQL Server', 'oracledb': 'an Oracle server', 'cassandra-driver': 'a Cassandra server',
};

// "Cannot find module 'x'" / "Cannot find package 'x' imported from" -> x.
function missingPackage(error) {
  if (!error || (error.code !== 'MODULE_NOT_FOUND' && error.code !== 'ERR_MODULE_NOT_FOUND')) return null;
  const match = /Cannot find (?:module|package) '([^']+)'/.exec(String(error.message));
  if (!match || match[1].startsWith('.') || match[1].startsWith('/')) return null;
  const parts = match[1].split('/');
  return parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isCompileError(error) {
  if (!error || error.type !== 'SyntaxError') return false;
  const stack = String(error.stack || '');
  if (/at JSON\.parse/.test(stack)) return false;
  return /wrapSafe|compileFunction|compileSourceTextModule|ModuleWrap|moduleStrategy|new Script|^(file:\/\/)?\/.*:\d+\n/m.test(stack);
}

// A failed load's plain error -> {no_entry, framework} | {unsupported} |
// {compile_error} | null (an ordinary error: the answer is graded and fails).
function classify(error) {
  const pkg = missingPackage(error);
  if (pkg && FRAMEWORKS.includes(pkg)) return { no_entry: true, framework: pkg };
  if (pkg && DATABASES[pkg]) return { unsupported: `needs ${DATABASES[pkg]} (${pkg})` };
  if (pkg && pkg !== 'express') return { unsupported: `needs the npm package '${pkg}', which the grader does not provide` };
  if (isCompileError(error)) return { compile_error: String(error.stack || error.message).split('\n    at ')[0].slice(0, 2000) };
  return null;
}

// The code without comments (strings kept), for the text checks below.
function stripComments(code) {
  return String(code).replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
    (all, literal) => literal || ' ');
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function importsPackage(texts, pkg) {
  const pattern = new RegExp(`(require\\s*\\(\\s*|from\\s*|import\\s*\\(?\\s*)['"\`]${escapeRegExp(pkg)}(['"\`/])`);
  return [...texts.values()].some((code) => pattern.test(stripComments(code)));
}

const GET_ROUTE = [/\.(get|all)\s*\(\s*['"`]\//, /\.route\s*\(\s*['"`]\/[^)]*\)\s*\.get\s*\(/];

function registersGetRoute(texts) {
  return [...texts.values()].some((code) => {
    const bare = stripComments(code);
    return GET_ROUTE.some((re) => re.test(bare));
  });
}

// True when `code` parses as a CommonJS module or as an ES module.
function parses(code, filename) {
  try {
    new vm.Script(Module.wrap(code), { filename });
    return true;
  } catch (_) {
    /* not a script: maybe a module */
  }
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], { input: code, stdio: ['pipe', 'ignore', 'ignore'], timeout: 10000 });
  return check.status === 0;
}

// The file a compile error names (its first stack line), as a path.
function compileErrorFile(error) {
  const match = /^(?:file:\/\/)?(\/[^\n:]+):\d+/.exec(String(error.stack || ''));
  return match ? match[1] : null;
}

// {ok: true} or {ok: false, why}: may the observer report this verdict?
// ctx: {texts: Map(path -> code the observer wrote), entry, packagesDir, stubs}
function verifyLoadClaim(special, error, ctx) {
  if (special.unsupported || special.framework) {
    const pkg = missingPackage(error);
    if (ctx.stubs.includes(pkg) || (ctx.packagesDir && fs.existsSync(path.join(ctx.packagesDir, pkg)))) {
      return { ok: false, why: `the grader provides '${pkg}', which the runner says is missing` };
    }
    if (!importsPackage(ctx.texts, pkg)) return { ok: false, why: `the answer never imports '${pkg}'` };
    return { ok: true };
  }
  if (special.compile_error) {
    const file = compileErrorFile(error) || ctx.entry;
    const code = ctx.texts.get(file);
    if (code === undefined) return { ok: false, why: 'the compile error names no file of the answer' };
    if (parses(code, file)) return { ok: false, why: `${path.basename(file)} parses` };
    return { ok: true };
  }
  return { ok: true };
}

// May the observer report "no entry point" for a runner that found no GET
// route? `portAccepts`: whether something accepts on the grader's port.
function verifyNoRoute(reason, texts, portAccepts) {
  if (registersGetRoute(texts)) return { ok: false, why: 'the answer registers a GET route with a literal path' };
  if (reason === 'no Express app with a GET route' && portAccepts) {
    return { ok: false, why: 'something accepts on the port though the runner says nothing listened' };
  }
  return { ok: true };
}

module.exports = {
  FRAMEWORKS, DATABASES, missingPackage, isCompileError, classify, stripComments, importsPackage,
  registersGetRoute, parses, compileErrorFile, verifyLoadClaim, verifyNoRoute,
};
