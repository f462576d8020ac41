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

const BASE_ENV = { NO_COLOR: '1', FORCE_COLOR: undefined } as const;

/**
 * Runs the built CLI in a child process, exactly as users do (`node bin/wirelens.js …`).
 * GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folders.
 */
export function spawnCli(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...BASE_ENV, GIT_CEILING_DIRECTORIES: path.dirname(cwd), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type CliModule = { main(argv: string[], io: { cwd: string; out(t: string): void; err(t: string): void; stdoutColor: boolean }): Promise<number> };
let bundle: CliModule | undefined;

/**
 * Runs the same built bundle (dist/cli.js) in this process: `main(argv, io)` with the output
 * captured. Loading the 10 MB bundle (it carries the TypeScript parser) costs most of a CLI run,
 * so the many cases share one load; the bin itself is covered by the spawnCli tests.
 */
export async function runCli(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  bundle ??= require(path.join(ROOT, 'dist', 'cli.js')) as CliModule;
  const overrides: Record<string, string | undefined> = { ...BASE_ENV, GIT_CEILING_DIRECTORIES: path.dirname(cwd), ...env };
  const saved = Object.fromEntries(Object.keys(overrides).map((k) => [k, process.env[k]]));
  const setEnv = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  let stdout = '';
  let stderr = '';
  setEnv(overrides);
  try {
    const status = await bundle.main([...args], { cwd, out: (t) => (stdout += t), err: (t) => (stderr += t), stdoutColor: false });
    return { status, stdout, stderr };
  } finally {
    setEnv(saved);
  }
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
export const TLS_DISABLED = "import https from 'node:https';\nexport const agent = new https.Agent({ keepAlive: true, timeout: 4000, rejectUnauthorized: false });\n";
export const EXPRESS_LISTEN = "import express from 'express';\nconst app = express();\napp.listen(3000);\n";
