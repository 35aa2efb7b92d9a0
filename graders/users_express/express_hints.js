'use strict';
// Observer side (trusted): route hints for the prober on port+1 (it cannot
// read fd 3 while it runs). The observer binds the port before any answer
// code runs, so the answer cannot take it; the routes it serves are the
// runner's claims, hints only: the prober still finds the route by probing
// and parses this reply with its own limits. A request that comes before
// the runner reported waits a little for the routes.

const http = require('http');

const WAIT_MS = 200;

function createHintServer(port, host) {
  let body = null;
  const waiting = [];
  const answer = (res, routes) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(routes);
  };
  const server = http.createServer((req, res) => {
    if (body !== null) return answer(res, body);
    const timer = setTimeout(() => answer(res, JSON.stringify({ routes: [] })), WAIT_MS);
    waiting.push({ res, timer });
  });
  // `ready` settles once the port is bound (or could not be: the prober then
  // gets no hints, which costs it a few guesses, nothing more).
  const ready = new Promise((resolve) => {
    server.on('error', resolve);
    server.listen({ port, host }, resolve);
  });
  server.unref();
  return {
    ready,
    setRoutes(routes) {
      body = JSON.stringify({ routes: routes.slice(0, 20) });
      for (const { res, timer } of waiting.splice(0)) {
        clearTimeout(timer);
        answer(res, body);
      }
    },
  };
}

module.exports = { createHintServer };
