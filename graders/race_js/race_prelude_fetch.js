(function gradeboxRaceFetch(bridge, shared) {
  // Runs INSIDE the answer's vm context after race_prelude_core.js: the fake
  // `fetch` whose response the observer controls (delay, status, body,
  // failure), a Response-like object (ok, status, json(), text()), Headers
  // and AbortController. Each call is announced to the observer (another
  // process), which records it, decides when the response arrives (a
  // virtual-time queue entry it owns) and hands over the response only then;
  // body reads are announced too.
  'use strict';
  const G = globalThis;
  const { defineProperty } = Reflect;
  const MapCtor = Map;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const StringCtor = String;
  const JSONparse = JSON.parse;
  const { resolved, rejected, makeError, bind, append } = shared;

  const delivered = (index, key) => bridge('delivery', index, key);
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
      if (this.#index > 0) bridge('body', this.#index, how);
      if (how === 'text') return resolved(this.#body);
      let value;
      try {
        value = JSONparse(this.#body);
      } catch (error) {
        return rejected(error);
      }
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

  // The observer has delivered fetch `index`: its fields, read one by one
  // as primitives.
  function settle(index, url, resolve, reject) {
    if (delivered(index, 'mode') === 'network') {
      reject(networkError());
      return;
    }
    const status = delivered(index, 'status');
    const headers = { 'content-type': delivered(index, 'content_type') };
    const response = new Response(delivered(index, 'body'), { status, statusText: delivered(index, 'status_text'), headers }, url, index);
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
    const aborted = !!(signal && signal.aborted);
    const index = bridge('fetch', url, method, aborted);
    if (aborted) return rejected(abortError(signal.reason));
    const id = bridge('fetch-entry', index);  // 0: the response is already here (same tick)
    if (id === 0) {
      let outcome;
      settle(index, url, (v) => { outcome = resolved(v); }, (e) => { outcome = rejected(e); });
      return outcome;
    }
    return new PromiseCtor((resolve, reject) => {
      let done = false;
      bind(id, () => { if (!done) { done = true; settle(index, url, resolve, reject); } });
      watchAbort(signal, () => {
        if (done) return;
        done = true;
        bridge('abort-fetch', id);
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
