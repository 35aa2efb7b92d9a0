(function gradeboxRaceFetch(bridge, shared) {
  // Runs INSIDE the answer's vm context after race_prelude_core.js: the fake
  // `fetch` whose response the current scenario controls (delay, status,
  // body, failure), a Response-like object (ok, status, json(), text()),
  // Headers and AbortController. When the response arrives is the host's
  // decision (a virtual-time queue entry); every request, arrival and body
  // read is reported to the host, which records it with the virtual time.
  'use strict';
  const G = globalThis;
  const { defineProperty } = Reflect;
  const MapCtor = Map;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const StringCtor = String;
  const JSONparse = JSON.parse;
  const { resolved, rejected, makeError, schedule, append } = shared;

  const config = (key) => bridge('config', key);
  const lower = (name) => StringCtor(name).toLowerCase();

  class Headers {
    #map = new MapCtor();
    constructor(init) {
      if (init && typeof init === 'object') for (const key in init) this.set(key, init[key]);
    }
    get(name) { const v = this.#map.get(lower(name)); return v === undefined ? null : v; }
    has(name) { return this.#map.has(lower(name)); }
    set(name, value) { this.#map.set(lower(name), StringCtor(value)); }
    append(name, value) { this.set(name, this.has(name) ? this.get(name) + ', ' + value : value); }
    delete(name) { this.#map.delete(lower(name)); }
    forEach(fn, self) { this.#map.forEach((value, key) => fn.call(self, value, key, this)); }
    entries() { return this.#map.entries(); }
    keys() { return this.#map.keys(); }
    values() { return this.#map.values(); }
    [Symbol.iterator]() { return this.#map.entries(); }
  }

  // index: which fetch call produced it (0: built by the answer itself).
  class Response {
    #status; #statusText; #body; #used = false; #headers; #url; #index;
    constructor(body = null, init = {}, url = '', index = 0) {
      this.#body = body === null || body === undefined ? '' : StringCtor(body);
      this.#status = init && init.status !== undefined ? init.status : 200;
      this.#statusText = init && init.statusText !== undefined ? StringCtor(init.statusText) : '';
      this.#headers = new Headers(init && init.headers);
      this.#url = url;
      this.#index = index;
    }
    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get headers() { return this.#headers; }
    get url() { return this.#url; }
    get redirected() { return false; }
    get type() { return 'basic'; }
    get bodyUsed() { return this.#used; }
    get body() { return null; }
    json() { return this.#consume('json'); }
    text() { return this.#consume('text'); }
    arrayBuffer() { return rejected(makeError(TypeErrorCtor, 'arrayBuffer() is not supported by the grader')); }
    blob() { return rejected(makeError(TypeErrorCtor, 'blob() is not supported by the grader')); }
    formData() { return rejected(makeError(TypeErrorCtor, 'formData() is not supported by the grader')); }
    clone() {
      if (this.#used) throw makeError(TypeErrorCtor, 'Response.clone: Body has already been consumed.');
      return new Response(this.#body, { status: this.#status, statusText: this.#statusText }, this.#url, this.#index);
    }
    #consume(how) {
      if (this.#used) return rejected(makeError(TypeErrorCtor, 'Body is unusable: Body has already been read'));
      this.#used = true;
      if (how === 'text') {
        bridge('body', this.#index, 'text', true);
        return resolved(this.#body);
      }
      let value;
      try {
        value = JSONparse(this.#body);
      } catch (error) {
        bridge('body', this.#index, 'json', false);
        return rejected(error);
      }
      bridge('body', this.#index, 'json', true);
      return resolved(value);
    }
  }

  // ---- AbortController / AbortSignal (enough for fetch timeouts) ----------
  function abortError(reason) {
    if (reason !== undefined) return reason;
    const error = makeError(ErrorCtor, 'This operation was aborted', 20);
    error.name = 'AbortError';
    return error;
  }
  class AbortSignal {
    #listeners = [];
    aborted = false;
    reason = undefined;
    onabort = null;
    addEventListener(type, fn) { if (type === 'abort' && typeof fn === 'function') append(this.#listeners, fn); }
    removeEventListener(type, fn) { this.#listeners = this.#listeners.filter((f) => f !== fn); }
    throwIfAborted() { if (this.aborted) throw this.reason; }
    _abort(reason) {
      if (this.aborted) return;
      this.aborted = true;
      this.reason = abortError(reason);
      const event = { type: 'abort', target: this };
      if (typeof this.onabort === 'function') this.onabort(event);
      const list = this.#listeners;
      for (let i = 0; i < list.length; i++) list[i].call(this, event);
    }
    static abort(reason) { const s = new AbortSignal(); s._abort(reason); return s; }
    static timeout(ms) {
      const s = new AbortSignal();
      shared.setTimeout(() => {
        const error = makeError(ErrorCtor, 'The operation was aborted due to timeout', 23);
        error.name = 'TimeoutError';
        s._abort(error);
      }, ms).unref();
      return s;
    }
  }
  class AbortController {
    signal = new AbortSignal();
    abort(reason) { this.signal._abort(reason); }
  }

  // ---- fetch ----------------------------------------------------------------
  function urlOf(input) {
    if (typeof input === 'string') return input;
    if (input !== null && typeof input === 'object' && typeof input.url === 'string') return input.url;
    if (input !== null && typeof input === 'object' && typeof input.href === 'string') return input.href;
    return StringCtor(input);
  }

  function networkError() {
    const cause = makeError(ErrorCtor, 'connect ECONNREFUSED 127.0.0.1:80', 'ECONNREFUSED');
    const error = makeError(TypeErrorCtor, 'fetch failed');
    error.cause = cause;
    return error;
  }

  function settle(index, url, resolve, reject) {
    if (config('mode') === 'network') {
      bridge('response', index, 'network-error', 0);
      reject(networkError());
      return;
    }
    const status = config('status');
    const headers = { 'content-type': config('content_type') };
    const response = new Response(config('body'), { status, statusText: config('status_text'), headers }, url, index);
    bridge('response', index, 'ok', status);
    resolve(response);
  }

  function watchAbort(signal, onAbort) {
    try {
      if (signal && typeof signal.addEventListener === 'function') signal.addEventListener('abort', onAbort);
    } catch (_) {
      /* a signal-like object of the answer's own making */
    }
  }

  function fetch(input, init) {
    const url = urlOf(input);
    const method = init && init.method !== undefined ? StringCtor(init.method) : 'GET';
    const signal = init ? init.signal : undefined;
    const index = bridge('fetch', url, method);
    if (signal && signal.aborted) {
      bridge('response', index, 'aborted', 0);
      return rejected(abortError(signal.reason));
    }
    if (config('timing') === 'resolved') {
      let outcome;
      settle(index, url, (v) => { outcome = resolved(v); }, (e) => { outcome = rejected(e); });
      return outcome;
    }
    return new PromiseCtor((resolve, reject) => {
      let done = false;
      const id = schedule('fetch', 0, () => { if (!done) { done = true; settle(index, url, resolve, reject); } }, []);
      watchAbort(signal, () => {
        if (done) return;
        done = true;
        bridge('abort-fetch', id);
        bridge('response', index, 'aborted', 0);
        reject(abortError(signal.reason));
      });
    });
  }

  class FetchError extends ErrorCtor {
    constructor(message, type) { super(message); this.name = 'FetchError'; this.type = type; }
  }
  // node-fetch (v2 shape for require, v3 names for import), cross-fetch, undici.
  const fetchModule = function (input, init) { return fetch(input, init); };
  const members = { default: fetchModule, fetch: fetchModule, Headers, Response, FetchError, AbortError: FetchError, AbortController, AbortSignal };
  for (const name in members) defineProperty(fetchModule, name, { value: members[name], enumerable: true });
  defineProperty(fetchModule, 'isRedirect', { value: (code) => code === 301 || code === 302 || code === 303 || code === 307 || code === 308, enumerable: true });

  const globals = { fetch, Headers, Response, AbortController, AbortSignal };
  for (const name in globals) defineProperty(G, name, { value: globals[name], writable: true, enumerable: false, configurable: true });
  shared.fetchModule = fetchModule;
  return shared;
})
