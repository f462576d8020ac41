// `npm run package` as users get it: the package script's own vsce command line, run through
// package-vsix.mjs into a scratch output. The .vsix must hold minified production bundles (built in
// the script's private staging folder, whatever dist/ holds: test/run.mjs has just filled dist/ with
// development bundles), everything the client loads at run time, no source maps, and stay ≤ 3 MB
// (issue 5).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = process.env.WIRELENS_ROOT ?? path.resolve(import.meta.dirname, '..', '..');
const MAX_VSIX_BYTES = 3_000_000;

/** The `vsce package …` part of the package script, with our own output path. */
function packageArgs(out: string): string[] {
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.package;
  const m = /^node package-vsix\.mjs (vsce package .*)$/.exec(script ?? '');
  assert.ok(m, `the package script runs package-vsix.mjs: ${script}`);
  const args = m[1]!.split(/\s+/);
  const o = args.findIndex((a) => a === '-o' || a === '--out');
  if (o >= 0) args.splice(o, 2);
  return [...args, '-o', out];
}

/** esbuild's minified output: few, very long lines (a development bundle averages ~40 characters). */
function averageLineLength(text: string): number {
  return text.length / text.split('\n').length;
}

describe('npm run package', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'wirelens-package-test-'));
  const vsix = path.join(scratch, 'wirelens.vsix');
  const unpacked = path.join(scratch, 'unpacked');
  const read = (name: string) => readFileSync(path.join(unpacked, 'extension', name), 'utf8');

  before(() => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'package-vsix.mjs'), ...packageArgs(vsix)], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, `package-vsix.mjs failed:\n${r.stdout}\n${r.stderr}`);
    execFileSync('unzip', ['-q', vsix, '-d', unpacked]);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes a .vsix of at most 3 MB', () => {
    const bytes = statSync(vsix).size;
    assert.ok(bytes <= MAX_VSIX_BYTES, `wirelens.vsix is ${bytes} bytes (> ${MAX_VSIX_BYTES})`);
  });

  it('ships minified bundles without kept names, whatever dist/ holds', () => {
    for (const name of ['client', 'languageClient', 'capture', 'lessons', 'server']) {
      const text = read(`dist/${name}.js`);
      assert.ok(averageLineLength(text) > 1000, `dist/${name}.js in the .vsix is not minified (${Math.round(averageLineLength(text))} characters per line)`);
      // keepNames wraps every function in a __name(...) call: bigger and slower to load.
      assert.doesNotMatch(text, /\b__name\(/, `dist/${name}.js was built with keepNames`);
    }
    // The repository's dist/ is a development build (test/run.mjs): the .vsix did not take it.
    const devClient = path.join(ROOT, 'dist', 'client.js');
    if (existsSync(devClient) && averageLineLength(readFileSync(devClient, 'utf8')) < 1000) assert.notEqual(read('dist/client.js'), readFileSync(devClient, 'utf8'));
  });

  it('holds what the client loads at run time, and no source maps or sources', () => {
    const manifest = JSON.parse(read('package.json')) as { main: string };
    for (const file of [manifest.main, 'dist/server.js', 'dist/languageClient.js', 'dist/capture.js', 'dist/lessons.js', 'dist/webview/lesson.js', 'dist/webview/lesson.css', 'dist/webview/capture.js', 'dist/webview/capture.css', 'syntaxes/tcpdump.tmLanguage.json', 'media/icons/wirelens.svg']) {
      assert.ok(existsSync(path.join(unpacked, 'extension', file)), `${file} missing from the .vsix`);
    }
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n');
    assert.deepEqual(listing.filter((f) => /\.map$|\.ts$|(^|\/)node_modules\//.test(f)), []);
  });
});
