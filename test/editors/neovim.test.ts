// An independent LSP client: Neovim drives the bundled server over stdio, headless.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const hasNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;

// A line with astral characters before the call checks UTF-16 columns end to end.
const SAMPLE = [
  "import axios from 'axios';",
  '',
  'export async function load(id: string) {',
  "  const label = '😀😀'; const r = await fetch(`https://api.example.com/items/${id}`);",
  "  const more = await axios.get('https://api.example.com/more');",
  '  return [label, r, more];',
  '}',
  '',
].join('\n');

it('Neovim 0.7 gets diagnostics, the hover and a working quick fix', { skip: !hasNvim && !process.env.CI ? 'nvim not installed (apt-get install neovim); runs in CI' : false }, () => {
  assert.ok(hasNvim, 'nvim is required in CI (apt-get install neovim)');
  const dir = mkdtempSync(path.join(tmpdir(), 'wirelens-nvim-'));
  const file = path.join(dir, 'sample.ts');
  const out = path.join(dir, 'out.json');
  writeFileSync(file, SAMPLE);
  const env = {
    ...process.env,
    WL_SERVER: path.join(ROOT, 'dist', 'server.js'),
    WL_NODE: process.execPath,
    WL_OUT: out,
    XDG_CONFIG_HOME: path.join(dir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(dir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg', 'cache'),
    XDG_STATE_HOME: path.join(dir, 'xdg', 'state'),
  };
  const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(__dirname, 'nvim', 'init.lua'), file, '-c', `luafile ${path.join(__dirname, 'nvim', 'drive.lua')}`], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 90_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = JSON.parse(readFileSync(out, 'utf8')) as { steps: string[]; error?: string; diagnostics: Array<{ code: string; lnum: number; col: number }>; hover: string; actions: string[]; fixedLine: string };
  assert.equal(result.error, undefined, `${result.error}\n${run.stderr}`);
  assert.equal(run.status, 0);
  assert.deepEqual(result.steps, ['diagnostics', 'hover', 'codeAction', 'fixed']);
  // fetch sits after two astral characters: UTF-16 column 36 is byte column 40 in Neovim.
  const fetchDiag = result.diagnostics.find((d) => d.lnum === 3)!;
  assert.equal(fetchDiag.code, 'outbound-request-without-timeout');
  assert.equal(fetchDiag.col, Buffer.byteLength(SAMPLE.split('\n')[3].slice(0, SAMPLE.split('\n')[3].indexOf('fetch'))));
  assert.match(result.hover, /SYN/);
  assert.match(result.hover, /New connection/);
  assert.ok(result.actions.includes('Add `timeout: 10_000`'), result.actions.join(' | '));
  assert.ok(result.actions.some((t) => t.startsWith('Open lesson')));
  assert.equal(result.fixedLine, "  const more = await axios.get('https://api.example.com/more', { timeout: 10_000 });");
});
