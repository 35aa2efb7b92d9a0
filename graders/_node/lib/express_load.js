'use strict';
// Loads an answer's entry file as the main module (so `require.main ===
// module` and `process.argv[1] === fileURLToPath(import.meta.url)` hold),
// CommonJS or ESM, and sorts load failures into the protocol's verdicts.

const fs = require('fs');
const vm = require('vm');
const Module = require('module');
const { pathToFileURL } = require('url');

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

// "Cannot find module 'x'" / "Cannot find package 'x' imported from" -> x.
function missingPackage(err) {
  if (!err || (err.code !== 'MODULE_NOT_FOUND' && err.code !== 'ERR_MODULE_NOT_FOUND')) return null;
  const match = /Cannot find (?:module|package) '([^']+)'/.exec(String(err.message));
  if (!match || match[1].startsWith('.') || match[1].startsWith('/')) return null;
  const parts = match[1].split('/');
  return parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isCompileError(err) {
  if (!(err instanceof SyntaxError) && !(err && err.name === 'SyntaxError')) return false;
  const stack = String(err.stack || '');
  if (/at JSON\.parse/.test(stack)) return false;
  return /wrapSafe|compileFunction|compileSourceTextModule|ModuleWrap|moduleStrategy|new Script|^\/.*:\d+\n/m.test(stack);
}

// A failed load -> {no_entry | unsupported | compile_error} or null (an
// ordinary error: the answer is graded and fails).
function classifyLoadError(err) {
  const pkg = missingPackage(err);
  if (pkg && FRAMEWORKS.includes(pkg)) return { no_entry: true, framework: pkg };
  if (pkg && DATABASES[pkg]) return { unsupported: `needs ${DATABASES[pkg]} (${pkg})` };
  if (pkg && pkg !== 'express') return { unsupported: `needs the npm package '${pkg}', which the grader does not provide` };
  if (isCompileError(err)) return { compile_error: String(err.stack || err.message).split('\n    at ')[0].slice(0, 2000) };
  return null;
}

module.exports = { loadMain, classifyLoadError, missingPackage, looksLikeEsm, FRAMEWORKS, DATABASES };
