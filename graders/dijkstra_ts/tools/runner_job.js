'use strict';
// Development: writes the job and requests harness.js would send runner.js, for profiling
// the runner alone (NO sandbox; trusted answers only):
//   gradebox grade --task dijkstra_ts ANSWER.md --keep-box   # prints the kept box: BOX
//   NODE_PATH=$PWD/../_node/node_modules node tools/runner_job.js BOX job.json
//   cd BOX && node --cpu-prof runner.js < job.json 4>out.jsonl
const fs = require('fs');
const path = require('path');

async function main() {
  const [box, out] = process.argv.slice(2);
  const { findNodeModules, transpile } = require(path.join(path.resolve(box), 'tools.js'));
  const inputs = JSON.parse(fs.readFileSync(path.join(box, 'inputs.json'), 'utf8'));
  // The box's paths are the sandbox's (/box/...): here the box is a host folder.
  inputs.answer = path.join(path.resolve(box), path.relative('/box', inputs.answer));
  const text = fs.readFileSync(inputs.answer, 'utf8');
  const t = await transpile(inputs.answer, text, findNodeModules());
  if (!t.ok) throw new Error('transpile: ' + t.error);
  const job = { main: inputs.answer, sources: { [inputs.answer]: { js: t.js, map: t.map } }, ts_source: text, tests: inputs.tests, options: {} };
  // The job line, then the requests the observer would send one at a time.
  const requests = inputs.tests.map((test) => JSON.stringify({ t: 'run', id: test.id }));
  fs.writeFileSync(out, [JSON.stringify(job), ...requests, JSON.stringify({ t: 'end' })].join('\n') + '\n');
}

main().catch((e) => { console.error(e.message); process.exitCode = 1; });
