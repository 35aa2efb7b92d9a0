'use strict';
// Runner side (the untrusted process: the answer can undo all of this; what
// it gains by that is only a wrong report, which the observer checks).
// What the answer does with Express and with sockets, seen from inside:
// - every listen() (app.listen, http.createServer(app).listen, net) is
//   redirected: the first server gets the grader's fixed loopback port,
//   later ones an ephemeral port, so nothing ever binds outside loopback;
// - every Express app and router the answer creates, the routes it
//   registers and where routers are mounted, so the harness can report the
//   GET routes (a hint for the prober, never trusted) and pick an app to
//   serve when the answer exports one instead of listening.

const net = require('net');

const originalListen = net.Server.prototype.listen;

function createListenCapture(port, host) {
  const capture = { servers: [], onFirst: null };
  net.Server.prototype.listen = function capturedListen(...args) {
    const callback = args.length && typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    const first = capture.servers.length === 0;
    capture.servers.push(this);
    const server = this;
    if (first && capture.onFirst) {
      server.once('listening', () => capture.onFirst(server, args));
    }
    const options = { port: first ? port : 0, host };
    return callback ? originalListen.call(this, options, callback) : originalListen.call(this, options);
  };
  // The harness's own servers: the app it serves itself, the hint server.
  capture.listenDirect = (server, cb, onPort = port) => {
    if (onPort === port) capture.servers.push(server);
    return originalListen.call(server, { port: onPort, host }, cb);
  };
  capture.closeAll = () => {
    for (const server of capture.servers) {
      try {
        server.close();
      } catch (_) {
        /* already closed */
      }
    }
    capture.servers.length = 0;
  };
  return capture;
}

// Records apps, routers, routes and mounts of one Express module.
function trackExpress(express) {
  const tracker = { apps: [], routers: new Map() };
  const proto = express.Router && express.Router.prototype && typeof express.Router.prototype.route === 'function'
    ? express.Router.prototype
    : express.Router;
  const entryOf = (router) => {
    if (!tracker.routers.has(router)) tracker.routers.set(router, []);
    return tracker.routers.get(router);
  };
  const originalRoute = proto.route;
  proto.route = function trackedRoute(routePath) {
    const route = originalRoute.apply(this, arguments);
    entryOf(this).push({ kind: 'route', path: routePath, route });
    return route;
  };
  const originalUse = proto.use;
  proto.use = function trackedUse(first) {
    const mountPath = typeof first === 'string' || Array.isArray(first) ? first : '/';
    for (const fn of [].concat(...arguments).flat(Infinity)) {
      if (typeof fn === 'function' && Array.isArray(fn.stack)) entryOf(this).push({ kind: 'mount', path: mountPath, router: fn });
    }
    return originalUse.apply(this, arguments);
  };
  const originalInit = express.application.init;
  express.application.init = function trackedInit() {
    tracker.apps.push(this);
    return originalInit.apply(this, arguments);
  };
  return tracker;
}

function rootRouter(app) {
  try {
    return app._router || (Object.getOwnPropertyDescriptor(app, 'router') ? app.router : null);
  } catch (_) {
    return null;  // Express 4 throws on app.router
  }
}

function joinPath(prefix, part) {
  const text = typeof part === 'string' ? part : Array.isArray(part) ? String(part[0]) : String(part);
  return ('/' + [prefix, text].join('/')).replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

// GET paths reachable from `app`: its router's routes and, recursively, the
// routes of routers and sub-apps mounted on it.
function getRoutes(tracker, app) {
  const found = [];
  const seen = new Set();
  const walk = (router, prefix) => {
    if (!router || seen.has(router) || found.length > 200) return;
    seen.add(router);
    for (const item of tracker.routers.get(router) || []) {
      if (item.kind === 'route' && item.route && item.route.methods && (item.route.methods.get || item.route.methods._all)) {
        found.push(joinPath(prefix, item.path));
      } else if (item.kind === 'mount') {
        walk(item.router, joinPath(prefix, item.path));
      }
    }
    for (const sub of tracker.apps) {
      if (sub.parent === appOf(tracker, router)) walk(rootRouter(sub), joinPath(prefix, sub.mountpath || '/'));
    }
  };
  walk(rootRouter(app), '/');
  return [...new Set(found)];
}

function appOf(tracker, router) {
  return tracker.apps.find((app) => rootRouter(app) === router);
}

function isExpressApp(value) {
  return typeof value === 'function' && typeof value.handle === 'function' && typeof value.set === 'function';
}

function isRouter(value) {
  return typeof value === 'function' && Array.isArray(value.stack) && typeof value.route === 'function';
}

module.exports = { createListenCapture, trackExpress, getRoutes, rootRouter, isExpressApp, isRouter };
