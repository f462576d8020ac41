// `npm run package`: builds the production bundles into a private staging folder and runs the given
// `vsce package …` command line there, so the .vsix holds exactly the bundles this run built.
// Packaging straight from dist/ raced any other build (an `npm test` elsewhere rebuilds dist/ in
// development mode): a 10.8 MB unminified server.js was once shipped that way. The staging folder
// gets the files .vscodeignore lets through (its `!` entries: package.json, README, media, …), copied
// from the repository, and a dist/ of its own; the .vsix is then moved to the requested output
// path in one rename, so readers never see a half-written file.
//
// Usage: node package-vsix.mjs vsce package [vsce options] [-o OUT.vsix]   (OUT relative to the cwd)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const [tool, command, ...vsceOptions] = process.argv.slice(2);
if (tool !== 'vsce' || command !== 'package') {
  console.error('usage: node package-vsix.mjs vsce package [vsce options] [-o OUT.vsix]');
  process.exit(2);
}
const outAt = vsceOptions.findIndex((a) => a === '-o' || a === '--out');
const out = path.resolve(outAt >= 0 ? vsceOptions.splice(outAt, 2)[1] ?? 'wirelens.vsix' : 'wirelens.vsix');

function run(file, args, cwd) {
  const r = spawnSync(process.execPath, [file, ...args], { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Top-level files and folders the .vscodeignore allowlist (`!entry` lines) keeps, dist/ aside. */
function shippedSources() {
  const names = new Set();
  for (const line of readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n')) {
    const m = /^!([^/*\s]+)/.exec(line.trim());
    if (m && m[1] !== 'dist') names.add(m[1]);
  }
  return [...names, '.vscodeignore'].filter((name) => existsSync(path.join(root, name)));
}

const stage = mkdtempSync(path.join(tmpdir(), 'wirelens-vsix-'));
try {
  for (const name of shippedSources()) cpSync(path.join(root, name), path.join(stage, name), { recursive: true });
  run(path.join(root, 'esbuild.mjs'), ['--production', '--outdir', path.join(stage, 'dist')], root);
  const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
  const staged = path.join(stage, 'out.vsix');
  run(vsce, ['package', ...vsceOptions, '-o', staged], stage);
  // Copy next to the output (the staging folder may be on another file system), then rename over it.
  const partial = `${out}.${process.pid}.partial`;
  copyFileSync(staged, partial);
  renameSync(partial, out);
  console.log(`wirelens: packaged ${path.relative(process.cwd(), out) || out} from production bundles built in ${stage}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
