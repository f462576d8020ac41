// Runs the built CLI (bin/wirelens.js → dist/cli.js) as users do, against folders made per test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'wirelens.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // Plain output, and no git repository above the temp folders leaks into the file listing.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GIT_CEILING_DIRECTORIES: path.dirname(cwd), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder with the given files (paths `/`-separated, relative to it). */
export function makeProject(files: Record<string, string | Buffer>): { dir: string; cleanup(): void } {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'wirelens-cli-')));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, ...name.split('/'));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=Test', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
}

/** Code with one finding per rule this test relies on. */
export const FETCH_WITHOUT_TIMEOUT = "export const load = () => fetch('https://api.example.com/items');\n";
export const FETCH_WITH_TIMEOUT = "export const load = () => fetch('https://api.example.com/items', { signal: AbortSignal.timeout(2000) });\n";
export const AXIOS_WITHOUT_TIMEOUT = "import axios from 'axios';\nexport const get = () => axios.get('https://api.example.com/users');\n";
export const TLS_DISABLED = "import https from 'node:https';\nexport const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });\n";
export const EXPRESS_LISTEN = "import express from 'express';\nconst app = express();\napp.listen(3000);\n";
