'use strict';
// The observer's end of the runner (trusted; runs in the harness process).
// Starts race_runner.js as a separate node process in its own process group
// (detached: a new session), with stdin/stdout/stderr pipes only: fd 3 is
// close-on-exec (observer guard) and the child's fd 3 slot is not filled.
// Splits what the runner writes into lines under the channel cap and parses
// each with the depth limit (gb_channel.js); reads the runner's CPU time
// from the kernel (/proc/<pid>/schedstat), never from the runner.

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { requireShared } = require('./race_lib.js');
const { LineReader, parseBounded } = requireShared('gb_channel.js');

const RUNNER = path.join(__dirname, 'race_runner.js');
const NODE_FLAGS = ['--experimental-vm-modules', '--disallow-code-generation-from-strings', '--frozen-intrinsics', '--no-warnings'];
const RUNNER_ENV = { PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };
const MESSAGE_DEPTH = 64;  // the serializer nests at most ~30 levels
const STDERR_TAIL = 2000;

class RunnerProcess {
  // limits: {maxLineBytes, maxDepth} of the channel; onMessage(value),
  // onViolation(reason, status), onGone(exit) are set by whoever observes
  // the current scenario. runnerFile: another runner, for tests.
  constructor(answerFile, limits, runnerFile = RUNNER) {
    this.limits = { maxLineBytes: limits.maxLineBytes, maxDepth: Math.min(limits.maxDepth, MESSAGE_DEPTH) };
    this.reader = new LineReader(this.limits);
    this.onMessage = () => {};
    this.onViolation = () => {};
    this.onGone = () => {};
    this.onReady = () => {};
    this.ready = false;
    this.gone = false;
    this.stderr = '';
    this.child = spawn(process.execPath, [...NODE_FLAGS, runnerFile, answerFile], {
      stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: RUNNER_ENV, cwd: '/',
    });
    this.pid = this.child.pid;
    this.child.stdout.on('data', (chunk) => this.receive(chunk));
    this.child.stderr.on('data', (chunk) => { this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL); });
    this.child.stdin.on('error', () => {});  // EPIPE: the exit handler reports it
    this.child.on('error', () => this.exited(null, 'spawn-failed'));
    this.child.on('exit', (code, signal) => this.exited(code, signal));
  }

  receive(chunk) {
    for (const item of this.reader.push(chunk)) {
      if (this.gone) return;
      if (item.overflow) {
        this.onViolation(`a message over the ${this.limits.maxLineBytes}-byte line cap`, 'output-limit');
        continue;
      }
      const parsed = parseBounded(item.line, this.limits);
      if (parsed.ok && !this.ready && parsed.value && parsed.value.op === 'ready') {
        this.ready = true;
        this.onReady();
      } else if (parsed.ok) this.onMessage(parsed.value);
      else this.onViolation(parsed.reason, parsed.reason.startsWith('over') ? 'output-limit' : 'protocol');
    }
  }

  exited(code, signal) {
    if (this.gone) return;
    this.gone = true;
    this.exit = { code, signal };
    this.onGone(this.exit);
  }

  send(command) {
    if (!this.gone) this.child.stdin.write(JSON.stringify(command) + '\n');
  }

  // The runner's CPU time so far, in ms, as the kernel counts it: its main
  // thread's ns on CPU (/proc/<pid>/schedstat; the answer's JS runs there),
  // else utime+stime of /proc/<pid>/stat.
  cpuMs() {
    try {
      const ns = Number(fs.readFileSync(`/proc/${this.pid}/schedstat`, 'utf8').split(' ')[0]);
      if (Number.isFinite(ns)) return ns / 1e6;
    } catch (_) {
      /* gone, or no schedstat: fall back to stat */
    }
    try {
      const fields = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;  // utime + stime, in 10 ms ticks
    } catch (_) {
      return 0;
    }
  }

  // Ends the runner and anything it started in its group.
  kill() {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch (_) {
      /* already gone */
    }
    this.gone = true;
  }

  close() {
    if (!this.gone) this.child.stdin.end();
  }
}

module.exports = { RunnerProcess };
