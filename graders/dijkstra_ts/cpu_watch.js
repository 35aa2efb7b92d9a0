'use strict';
// Observer side (trusted; runs in harness.js, never in the answer's
// process): a test's CPU time as the kernel counts it, and the stop at its
// limit. The runner (untrusted: it shares its process with the answer) is
// told nothing and asked nothing about time; this module reads its CPU in
// /proc/<pid>/stat (utime + stime of all its threads, plus cutime + cstime
// of the children it has reaped) when the observer sends a test and when it
// reads the reply, and meanwhile sends SIGINT once the test's budget is
// spent (the runner's call is interruptible by SIGINT: vm breakOnSigint).
//
// /proc's counters are in clock ticks (USER_HZ, 100 on Linux: proc(5)),
// truncated, so a measurement is within 10 ms below the truth and the stop
// comes at most ~20 ms after the budget. An answer can take SIGINT for
// itself (a process.on('SIGINT') inside the call hands the signal to libuv's
// queue): when the test has not been answered KILL_AFTER_MS after the
// SIGINT, the runner's process group is killed instead.

const fs = require('fs');

const TICK_US = 10000;  // 1 / USER_HZ
const MIN_POLL_MS = 4;
const KILL_AFTER_MS = 200;  // a stopped call returns in well under a ms

/** The process's CPU time in us (its own and its reaped children's), or null when it is gone. */
function processCpuUs(pid) {
  let text;
  try {
    text = fs.readFileSync('/proc/' + pid + '/stat', 'latin1');
  } catch (_) {
    return null;
  }
  // Fields after the command name, which may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  let ticks = 0;
  for (let i = 11; i <= 14; i++) ticks += Number(fields[i]);  // fields 14-17 of proc(5)
  return Number.isFinite(ticks) ? ticks * TICK_US : null;
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

module.exports = { cpuWatch, processCpuUs, TICK_US };
