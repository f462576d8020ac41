// Where the slowest edits of a run went, from the server's CPU profile cut at each edit's start and end
// on the monotonic clock both sides use (V8's profile timestamps and process.hrtime):
//
//   node bench/ab.mjs --rounds 1 --options "--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval=200" --times /tmp/times
//   node bench/edit-windows.mjs /tmp/prof/CPU.*.cpuprofile /tmp/times/round1-1.json [N]
//
// For each of the N slowest edits (default 10): its wall time, the server's busy and idle time in it,
// the time under each phase (the first of PHASES on the sample's stack) and the functions with the
// most self time. A development build (`npm run build`) keeps the function names.
import { readFileSync } from 'node:fs';

const PHASES = ['(garbage collector)', 'runRules', 'reparse', 'FileModel', 'collectFacts', 'applyEdit', 'update', 'isDeepStrictEqual', 'stringify', 'writeMessage', 'handleMessage'];

const [profilePath, timesPath, n = '10'] = process.argv.slice(2);
if (!profilePath || !timesPath) throw new Error('usage: node bench/edit-windows.mjs <server .cpuprofile> <times .json from bench/ab.mjs --times> [N]');
const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
const { times } = JSON.parse(readFileSync(timesPath, 'utf8'));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
// Sample k was taken at `at[k]` and stands for the time until the next sample.
const at = [];
let clock = profile.startTime;
for (const delta of profile.timeDeltas) at.push((clock += delta));

const top = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' | ');
const slowest = times.map(([start, end], i) => ({ i, start, end })).sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, Number(n));
for (const { i, start, end } of slowest) {
  let busy = 0;
  let idle = 0;
  const phases = new Map();
  const self = new Map();
  for (let k = 0; k < at.length; k++) {
    if (at[k] < start || at[k] > end) continue;
    const ms = ((at[k + 1] ?? at[k]) - at[k]) / 1000;
    const leaf = nodes.get(profile.samples[k]).callFrame.functionName || '(anonymous)';
    if (leaf === '(idle)') {
      idle += ms;
      continue;
    }
    busy += ms;
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const stack = [];
    for (let id = profile.samples[k]; id !== undefined; id = parents.get(id)) stack.push(nodes.get(id).callFrame.functionName);
    const phase = PHASES.find((p) => stack.includes(p)) ?? 'other';
    phases.set(phase, (phases.get(phase) ?? 0) + ms);
  }
  console.log(`edit ${i}: ${((end - start) / 1000).toFixed(1)} ms, server busy ${busy.toFixed(1)} ms, idle ${idle.toFixed(1)} ms`);
  console.log(`  phases: ${top(phases, 8)}`);
  console.log(`  self:   ${top(self, 8)}`);
}
