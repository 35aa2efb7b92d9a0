'use strict';
// The result channel (fd 3) for server harnesses: one JSON line per event.
// The answer runs in this process and may patch globals later, so every
// built-in this module needs is captured when it is first required, which the
// harness does before any answer code runs.

const fs = require('fs');

const writeSync = fs.writeSync;
const stringify = JSON.stringify;
const byteLength = Buffer.byteLength;
const MAX_LINE_BYTES = 64 * 1024;
const MAX_STRING = 2000;

// The channel moves off fd 3 before the answer loads, so a plain
// fs.writeSync(3, ...) in an answer cannot forge events. (An answer that
// hunts through /proc/self/fd can still write; the trusted checker rejects
// a channel with duplicate or unknown events.) Append mode: when fd 3 is a
// file (development), reopening must not truncate it.
let channelFd = 3;
function privatizeChannel() {
  try {
    const fd = fs.openSync('/proc/self/fd/3', 'a');
    fs.closeSync(3);
    channelFd = fd;
  } catch (_) {
    /* no /proc: keep fd 3 */
  }
}

// Plain JSON copy of `value`: only own data of plain objects and arrays,
// strings capped, depth and size bounded. Never calls answer getters.
function plain(value, depth = 0) {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '…' : value;
  if (depth > 6 || typeof value !== 'object') return null;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => plain(v, depth + 1));
  const out = {};
  for (const key of Object.keys(value).slice(0, 100)) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (desc && 'value' in desc) out[key] = plain(desc.value, depth + 1);
  }
  return out;
}

// Writes one event; a closed or full channel is not the harness's problem
// to report (the trusted side sees the missing events).
function emit(event) {
  let line = stringify(plain(event));
  if (byteLength(line) > MAX_LINE_BYTES) {
    line = stringify({ event: event.event, truncated: true });
  }
  try {
    writeSync(channelFd, line + '\n');
  } catch (_) {
    /* channel gone: nothing useful left to do */
  }
}

// Error -> the protocol's error object (type, message, first answer line).
function describeError(err) {
  if (err === null || typeof err !== 'object') return { type: typeof err, message: String(err) };
  const stack = typeof err.stack === 'string' ? err.stack : '';
  const where = /\/app\/([^\s:)]+):(\d+)/.exec(stack);
  const out = {
    type: typeof err.name === 'string' ? err.name : 'Error',
    // First line only: Node appends the whole require stack to MODULE_NOT_FOUND.
    message: typeof err.message === 'string' ? err.message.split('\n')[0].slice(0, MAX_STRING) : String(err),
  };
  if (typeof err.code === 'string') out.code = err.code;
  if (where) {
    out.file = where[1];
    out.line = Number(where[2]);
  }
  return out;
}

module.exports = { emit, plain, describeError, privatizeChannel };
