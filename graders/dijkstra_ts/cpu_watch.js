'use strict';
// Observer side (trusted; runs in harness.js, never in the answer's
// process): a test's CPU time as the kernel counts it, and the stop at its
// limit. The runner (untrusted: it shares its process with the answer) is
// told nothing and asked nothing about time. This module reads, when the
// observer sends a test and when it reads the reply, the CPU of the answer's
// side of the box: every process in /proc but this one, init and the tools
// it started (tsc, esbuild: trustTool), with the children each has reaped (utime,
// stime, cutime, cstime), plus the orphans init has reaped. So a child or a
// grandchild the answer starts, in another process group or session or
// exited, is counted as the runner's threads are. Meanwhile it sends SIGINT
// once the test's budget is spent (the runner's call is interruptible by
// SIGINT: vm breakOnSigint).
//
// /proc's counters are in clock ticks (USER_HZ, 100 on Linux: proc(5)),
// truncated, so a measurement is within 10 ms per process below the truth
// and the stop comes at most ~20 ms after the budget. An answer can take
// SIGINT for itself (a process.on('SIGINT') inside the call hands the signal
// to libuv's queue): when the test has not been answered KILL_AFTER_MS after
// the SIGINT, the runner's process group is killed instead.

const fs = require('fs');

const TICK_US = 10000;  // 1 / USER_HZ
const MIN_POLL_MS = 4;
const KILL_AFTER_MS = 200;  // a stopped call returns in well under a ms

// Open /proc/<pid>/stat files, re-read at offset 0 (cheaper than opening
// each time); a file of an exited process fails to read, even if its pid is
// reused, and is dropped.
const statFds = new Map();
const statBuf = Buffer.alloc(1024);

function statText(pid) {
  let fd = statFds.get(pid);
  try {
    if (fd === undefined) statFds.set(pid, (fd = fs.openSync('/proc/' + pid + '/stat', 'r')));
    const n = fs.readSync(fd, statBuf, 0, statBuf.length, 0);
    if (n > 0) return statBuf.toString('latin1', 0, n);
  } catch (_) { /* gone */ }
  if (fd !== undefined) { statFds.delete(pid); try { fs.closeSync(fd); } catch (_) { /* gone */ } }
  return null;
}

/** {ppid, ticks, reaped, threads} of one process, or null when it is gone. */
function statOf(pid) {
  const text = statText(pid);
  if (text === null) return null;
  // Fields after the command name, which may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const reaped = Number(fields[13]) + Number(fields[14]);  // cutime, cstime: 16-17 of proc(5)
  const ticks = Number(fields[11]) + Number(fields[12]) + reaped;  // + utime, stime: 14-15
  return {
    ppid: Number(fields[1]), ticks: Number.isFinite(ticks) ? ticks : 0, reaped: Number.isFinite(reaped) ? reaped : 0,
    threads: Number(fields[17]),  // num_threads: 20 of proc(5)
  };
}

// Processes the observer started for itself (tsc, esbuild). Not "every
// child of ours": clone(CLONE_PARENT) can make the answer's process one.
const toolPids = new Set();
/** Called by whoever spawns a tool, so its CPU is not the answer's. */
function trustTool(pid) { if (Number.isInteger(pid)) toolPids.add(pid); }

// In the box (a pid namespace whose init is gradebox's), every other
// process is the answer's or ours. Outside it (tests/harness_box.py, trusted
// answers) the host's processes are not: only the runner is counted there.
const IN_BOX = (() => {
  try {
    return /^1 \(gradebox-init\) /.test(fs.readFileSync('/proc/1/stat', 'latin1'));
  } catch (_) {
    return false;
  }
})();

/**
 * CPU time in us of the answer's side of the box (see the top), or null
 * when the runner `pid` is gone. `extras`, when given, gets the pids of the
 * answer's processes other than the runner.
 */
function processCpuUs(pid, extras = null) {
  const runner = statOf(pid);
  if (runner === null) return null;
  if (!IN_BOX) return runner.ticks * TICK_US;
  let ticks = runner.ticks;
  const init = statOf(1);
  if (init !== null) ticks += init.reaped;
  for (const name of fs.readdirSync('/proc')) {
    const other = name.charCodeAt(0) <= 57 ? Number(name) : NaN;  // digits only
    if (!(other > 1) || other === pid || other === process.pid || toolPids.has(other)) continue;
    const st = statOf(other);
    if (st === null) continue;
    ticks += st.ticks;
    if (extras) extras.push(other);
  }
  return ticks * TICK_US;
}

/** How many threads `pid` has (0 when it is gone). */
function threadCount(pid) {
  const st = statOf(pid);
  return st === null ? 0 : st.threads;
}

/** Thread ids of `pid` ([] when it is gone). */
function threadIds(pid) {
  try {
    return fs.readdirSync('/proc/' + pid + '/task').map(Number);
  } catch (_) {
    return [];
  }
}

/** CPU ticks of one thread of `pid` (0 when it is gone). */
function threadTicks(pid, tid) {
  try {
    const text = fs.readFileSync('/proc/' + pid + '/task/' + tid + '/stat', 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]) || 0;
  } catch (_) {
    return 0;
  }
}

/**
 * Watches `pid`: arm({id, startUs, budgetMs}) starts a watch from the CPU
 * time startUs (read by the caller when it sent the test), disarm() ends it.
 * When the budget is spent onStop(id, 'interrupt') is called, and
 * onStop(id, 'kill') if the watch is still armed KILL_AFTER_MS later.
 * stopped() names the last test it stopped.
 */
function cpuWatch(pid, onStop) {
  let timer = null;
  let lastStopped = null;
  const disarm = () => {
    clearTimeout(timer);
    timer = null;
  };
  const arm = ({ id, startUs, budgetMs }) => {
    disarm();
    const deadlineUs = startUs + budgetMs * 1000;
    if (!Number.isFinite(deadlineUs)) return;
    const check = () => {
      const now = processCpuUs(pid);
      if (now === null) return void (timer = null);
      const leftMs = (deadlineUs - now) / 1000;
      if (leftMs <= 0) {
        lastStopped = id;
        timer = setTimeout(() => { timer = null; onStop(id, 'kill'); }, KILL_AFTER_MS);
        return void onStop(id, 'interrupt');
      }
      // CPU can outrun the wall clock (GC threads on the second core).
      timer = setTimeout(check, Math.max(MIN_POLL_MS, leftMs / 2));
    };
    // Most tests end in well under a ms: no read until half the budget.
    timer = setTimeout(check, Math.max(MIN_POLL_MS, budgetMs / 2));
  };
  return { arm, disarm, stopped: () => lastStopped };
}

module.exports = { cpuWatch, processCpuUs, trustTool, threadCount, threadIds, threadTicks, TICK_US, IN_BOX };
