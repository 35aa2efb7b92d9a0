'use strict';
// A runner fully under the answer's control: what a complete escape from
// the vm realm would give the answer. tools/hostile_runner.py puts it in place
// of race_runner.js and grades the reference with it; whatever it does, no
// category may pass. VARIANT is replaced per run.
const fs = require('fs');
const say = (m) => fs.writeSync(1, JSON.stringify(m) + '\n');
const log = (text) => say({ op: 'console', method: 'log', args: [String(text).slice(0, 110)] });
const buf = Buffer.alloc(65536);
const read = () => { const n = fs.readSync(0, buf); return buf.toString('utf8', 0, n); };
const attempt = (what, fn) => { try { return what + ': ' + fn(); } catch (e) { return what + ': ' + (e.code || e.message); } };
say({ op: 'load', ok: true, kind: 'cjs', imports: [] });
read();  // the first scenario command
const ppid = process.ppid;
const VARIANT = 'info';
if (VARIANT === 'info') {
  log(attempt('fds', () => fs.readdirSync('/proc/self/fd').filter((f) => +f >= 3 && +f < 10).map((f) => { try { return f + '=' + fs.readlinkSync('/proc/self/fd/' + f).slice(0, 12); } catch (e) { return f; } }).join(' ')));
  log(attempt('mem', () => { fs.closeSync(fs.openSync(`/proc/${ppid}/mem`, 'r+')); return 'OPENED'; }));
  log(attempt('fd3', () => { fs.closeSync(fs.openSync(`/proc/${ppid}/fd/3`, 'a')); return 'OPENED'; }));
  log(attempt('inputs', () => fs.readFileSync('/box/inputs.json', 'utf8').length + ' bytes'));
  log(attempt('pgrp', () => fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[2] + ' parent ' + fs.readFileSync(`/proc/${ppid}/stat`, 'utf8').split(') ')[1].split(' ')[2] + ' ppid ' + ppid));
  log(attempt('ppid status', () => fs.readFileSync(`/proc/${ppid}/status`, 'utf8').match(/Uid:.*/)[0] + ' me ' + process.getuid()));
}
if (VARIANT === 'kill') log(attempt('kill', () => { process.kill(ppid, 'SIGKILL'); return 'sent'; }));
if (VARIANT === 'stop') log(attempt('stop', () => { process.kill(ppid, 'SIGSTOP'); return 'sent'; }));
if (VARIANT === 'forge') { say({ event: 'test', id: 'logs-data-1', status: 'ok', value: {} }); }
if (VARIANT === 'forge-calls') {  // the right calls, claimed without the data: nothing was delivered
  say({ op: 'body', index: 1, how: 'json' });
  say({ op: 'console', method: 'log', args: [{ id: 7341 }] });
}
if (VARIANT === 'mem') {
  log(attempt('mem write', () => { const fd = fs.openSync(`/proc/${ppid}/mem`, 'r+'); fs.writeSync(fd, Buffer.alloc(8), 0, 8, 4096); return 'WROTE'; }));
}
if (VARIANT === 'exit') process.exit(0);
let pending = '';
function command() {
  for (;;) {
    const nl = pending.indexOf('\n');
    if (nl >= 0) { const line = pending.slice(0, nl); pending = pending.slice(nl + 1); return JSON.parse(line); }
    const chunk = read();
    if (!chunk) process.exit(0);
    pending += chunk;
  }
}
// serve the rest like an answer that never fetches
for (;;) {
  say({ op: 'idle' });
  const next = command();
  if (next.op === 'end') { while (command().op !== 'scenario'); }
}
