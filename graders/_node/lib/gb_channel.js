'use strict';
// gb_channel: the observer side of every Node harness, once.
//
// Trust boundary. The harness process is the observer: it alone writes the
// result channel (fd 3) and it never runs answer code. The answer runs in
// child processes that hold no descriptor of the observer's but their pipes
// (the observer guard, LD_PRELOAD'ed by gradebox, makes this process
// non-dumpable and fd 3 close-on-exec). What crosses from a child is bytes;
// this module turns them into plain JSON values under two declared limits,
// the same ones gradebox enforces on the channel: a line is at most
// `maxLineBytes` long and nests at most `maxDepth` deep. Anything over a
// limit is refused with a reason, never parsed, so it cannot crash the
// observer (JSON.parse recurses) or balloon its memory.

const fs = require('fs');

const CHANNEL_FD = 3;
const DEFAULT_LIMITS = Object.freeze({ maxLineBytes: 1 << 20, maxDepth: 2000 });

// The limits gradebox wrote into inputs.json (`channel`), else the defaults.
function readLimits(inputs) {
  const given = (inputs && typeof inputs.channel === 'object' && inputs.channel) || {};
  const positive = (v, fallback) => (Number.isInteger(v) && v > 0 ? v : fallback);
  return {
    maxLineBytes: positive(given.max_line_bytes, DEFAULT_LIMITS.maxLineBytes),
    maxDepth: positive(given.max_depth, DEFAULT_LIMITS.maxDepth),
  };
}

// Deepest nesting of `text` (strings skipped), stopping past `limit`.
function nestingDepth(text, limit) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

// One JSON text from an untrusted child -> {ok, value} or {ok: false, reason}.
function parseBounded(text, limits = DEFAULT_LIMITS) {
  const bytes = Buffer.byteLength(text);
  if (bytes > limits.maxLineBytes) {
    return { ok: false, reason: `over the ${limits.maxLineBytes}-byte line limit` };
  }
  if (nestingDepth(text, limits.maxDepth) > limits.maxDepth) {
    return { ok: false, reason: `nested deeper than the ${limits.maxDepth}-level limit` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: 'not JSON: ' + String(err && err.message).slice(0, 200) };
  }
}

// Splits a child's byte stream into lines; a line over the cap is dropped
// whole and reported once as {overflow: true} instead of being buffered.
class LineReader {
  constructor(limits = DEFAULT_LIMITS) {
    this.limits = limits;
    this.pending = [];
    this.pendingBytes = 0;
    this.overflowing = false;
  }

  // Feeds a Buffer; returns [{line} | {overflow: true}] for each ended line.
  push(chunk) {
    const out = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, nl));
      out.push(this.overflowing ? { overflow: true } : { line: this.joined() });
      this.reset();
      start = nl + 1;
    }
    this.take(chunk.subarray(start));
    return out;
  }

  take(part) {
    if (this.overflowing || part.length === 0) return;
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.limits.maxLineBytes) {
      this.overflowing = true;
      this.pending = [];
    } else {
      this.pending.push(part);
    }
  }

  joined() {
    return Buffer.concat(this.pending).toString('utf8');
  }

  reset() {
    this.pending = [];
    this.pendingBytes = 0;
    this.overflowing = false;
  }
}

// A send(event) that writes one JSON line per event to fd 3, synchronously.
// An event over the line cap or nested past the depth limit becomes an
// output-limit marker for the same test, so the trusted side sees a named
// limit, never half a line or a line it must refuse.
function openChannel(limits = DEFAULT_LIMITS, fd = CHANNEL_FD) {
  fs.fstatSync(fd); // fail at start, not at the first event
  const marker = (event, message) => JSON.stringify({ event: event.event, id: event.id, status: 'output-limit', message });
  return function send(event) {
    let line = JSON.stringify(event);
    if (Buffer.byteLength(line) >= limits.maxLineBytes) {
      line = marker(event, `event over the ${limits.maxLineBytes}-byte channel line cap`);
    } else if (nestingDepth(line, limits.maxDepth) > limits.maxDepth) {
      line = marker(event, `event nested deeper than the ${limits.maxDepth}-level channel limit`);
    }
    const data = Buffer.from(line + '\n');
    for (let off = 0; off < data.length;) {
      try {
        off += fs.writeSync(fd, data, off);
      } catch (err) {
        if (err.code !== 'EAGAIN') return; // channel gone: gradebox sees the gap
      }
    }
  };
}

module.exports = { DEFAULT_LIMITS, readLimits, nestingDepth, parseBounded, LineReader, openChannel };
