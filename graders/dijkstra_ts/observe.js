'use strict';
// Observer side (trusted; runs in harness.js): what the observer makes of
// the runner's replies. The runner shares its process with the answer, so
// a reply is untrusted data: it is split and parsed with gb_channel's line
// and depth limits, only its result fields are kept, and the times and any
// timeout are the observer's (supervisor.js measures them from the kernel).

const { LineReader, parseBounded, DEFAULT_LIMITS } = require('./gb_channel');

const CAP_OUTPUT = 64 * 1024;
const DEFAULT_LIMIT_MS = 2000;
// Result fields a runner reply may carry; anything else is dropped.
const RESULT_FIELDS = ['status', 'value', 'error_type', 'message', 'line', 'missing_name', 'where', 'mutation',
  'type', 'signal', 'harness_refused'];

const limitOf = (t) => (t.input && t.input.time_limit_ms) || t.time_limit_ms || DEFAULT_LIMIT_MS;
// Where a test's CPU is stopped: past gradebox's near-limit band (within 10 %
// of the limit, src/grade/rerun_policy.h), so a clear timeout measures as
// clear and runs once, not twice. Over the limit is a timeout all the same.
const stopAt = (limit) => limit * 1.15;
// The runner's wall guard: the CPU stop comes first; 3x + 500 ms when a
// starved test (less CPU than its limit when the guard fired) runs again.
const firstSlack = (limit) => limit + 500;
const retrySlack = (limit) => 2 * limit + 500;
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Forwards a child's output stream to ours, up to a cap. */
function forward(stream, sink, state) {
  stream.on('data', (d) => {
    state.tail = (state.tail + d.toString('utf8')).slice(-4096);
    if (state.bytes < CAP_OUTPUT) sink.write(d.subarray(0, CAP_OUTPUT - state.bytes));
    state.bytes += d.length;
  });
}

/** Replies from the runner: onMessage(obj) for a plain JSON object, onRefused(reason, tooBig) otherwise. */
function readReplies(stream, limits, onMessage, onRefused) {
  const reader = new LineReader(limits);
  stream.on('data', (chunk) => {
    for (const item of reader.push(chunk)) {
      if (item.overflow) { onRefused('a runner line over the ' + limits.maxLineBytes + '-byte cap', true); continue; }
      const parsed = parseBounded(item.line, limits);
      if (!parsed.ok) onRefused(parsed.reason + ': ' + item.line.slice(0, 80), /nested/.test(parsed.reason));
      else if (!isRecord(parsed.value) || typeof parsed.value.t !== 'string') onRefused('not a runner message: ' + item.line.slice(0, 80), false);
      else onMessage(parsed.value);
    }
  });
}

/** Status of the test that was running when the runner died. */
function deathStatus(exit, killedForTimeout, stderrTail, stoppedAtCpuLimit = false) {
  if (stoppedAtCpuLimit) return { status: 'timeout', reason: 'cpu', message: 'stopped at its CPU limit' };
  if (killedForTimeout) return { status: 'timeout', message: 'killed after exceeding the time limit' };
  if (/heap out of memory|Allocation failed/i.test(stderrTail)) return { status: 'memory', message: 'JavaScript heap out of memory' };
  if (exit.signal) return { status: 'crash', signal: exit.signal, message: 'runner killed by ' + exit.signal };
  return { status: 'crash', message: 'runner exited with code ' + exit.code + ' during the test' };
}

/** The test event fields the observer vouches for: the runner's result, our times. */
function observed(reply, cpuMs, wallMs, limit) {
  const out = {};
  for (const k of RESULT_FIELDS) if (reply[k] !== undefined) out[k] = reply[k];
  if (typeof out.status !== 'string') Object.assign(out, { status: 'error', error_type: 'BadReply', message: 'the runner sent no status' });
  out.cpu_ms = cpuMs;
  out.time_ms = wallMs;
  if (cpuMs >= limit) {
    // Over its limit whatever it returned: the kernel's count decides.
    for (const k of RESULT_FIELDS) delete out[k];
    Object.assign(out, { status: 'timeout', reason: 'cpu', message: 'used ' + cpuMs + ' ms of CPU; the limit is ' + limit + ' ms' });
  }
  return out;
}

module.exports = { forward, readReplies, deathStatus, observed, limitOf, stopAt, firstSlack, retrySlack, isRecord, DEFAULT_LIMITS };
