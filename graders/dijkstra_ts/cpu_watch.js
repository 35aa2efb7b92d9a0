'use strict';
// The CPU-exact stop of a test, from outside the answer's process: the
// runner says when answer code starts ("arm": its CPU time then, from
// getrusage like the cpu_ms it reports, and the test's remaining budget)
// and when it returns ("disarm"). Meanwhile this side reads the runner's
// CPU time in /proc/<pid>/stat (utime + stime of all its threads, the
// same sum getrusage gives) and sends SIGINT once the budget is spent;
// the runner's call is interruptible by SIGINT (vm breakOnSigint), so the
// test ends at its limit instead of at the wall guard past it.
//
// /proc's counters are in clock ticks (USER_HZ, 100 on Linux: proc(5)),
// truncated, so the stop comes at most ~20 ms after the budget. A "disarm"
// still in the pipe may let a SIGINT land after the call: the runner
// ignores it then, or it stops a later call before its budget, which the
// runner sees as starved (CPU below the limit) and runs again. An answer
// can take SIGINT for itself (a process.on('SIGINT') inside the call hands
// the signal to libuv's queue): when the call has not returned soon after
// the SIGINT, the runner is killed instead.

const fs = require('fs');

const TICK_US = 10000;  // 1 / USER_HZ
const MIN_POLL_MS = 4;
const KILL_AFTER_MS = 200;  // a stopped call returns in well under a ms

/** The process's CPU time in us, or null when it cannot be read (exited). */
function processCpuUs(pid) {
  let text;
  try {
    text = fs.readFileSync('/proc/' + pid + '/stat', 'latin1');
  } catch (_) {
    return null;
  }
  // Fields after the command name, which may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);  // field 14 of proc(5)
  const stime = Number(fields[12]);  // field 15
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * TICK_US : null;
}

/**
 * Watches `pid`: arm({id, cpu_us, budget_ms}) starts a watch, disarm()
 * ends it. When the budget is spent onStop(id, 'interrupt') is called, and
 * onStop(id, 'kill') if the watch is still armed KILL_AFTER_MS later.
 */
function cpuWatch(pid, onStop) {
  let timer = null;
  const disarm = () => {
    clearTimeout(timer);
    timer = null;
  };
  const arm = ({ id, cpu_us: cpuUs, budget_ms: budgetMs }) => {
    disarm();
    const deadlineUs = Number(cpuUs) + Number(budgetMs) * 1000;
    if (!Number.isFinite(deadlineUs)) return;
    const check = () => {
      const now = processCpuUs(pid);
      if (now === null) return void (timer = null);
      const leftMs = (deadlineUs - now) / 1000;
      if (leftMs <= 0) {
        timer = setTimeout(() => { timer = null; onStop(id, 'kill'); }, KILL_AFTER_MS);
        return void onStop(id, 'interrupt');
      }
      // CPU can outrun the wall clock (GC threads on the second core).
      timer = setTimeout(check, Math.max(MIN_POLL_MS, leftMs / 2));
    };
    // Most calls return in well under a ms: no read until half the budget.
    timer = setTimeout(check, Math.max(MIN_POLL_MS, Number(budgetMs) / 2));
  };
  return { arm, disarm };
}

module.exports = { cpuWatch, processCpuUs };
