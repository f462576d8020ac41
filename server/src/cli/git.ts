// Running git over a checkout we did not write. The CLI asks git which files a folder holds (and where
// the work tree starts); the checkout must not be able to turn that into running its own programs:
// - `core.fsmonitor` in a repository's .git/config names a command that `git ls-files` and
//   `git check-ignore` run (a downloaded archive or a shared folder carries its .git/config along);
//   it is switched off on the command line, which overrides every config file;
// - git is found on PATH by us, over absolute entries only: an empty or relative PATH entry would
//   make the folder being checked (git's working directory) a place to look for `git`.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Config that would let a repository run a program during a read-only command. */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null'];

let cachedExecutable: { path: string | undefined; forPath: string | undefined } | undefined;

/** `git` on PATH, looking only in absolute folders; undefined when there is none. */
export function gitExecutable(envPath = process.env.PATH): string | undefined {
  if (cachedExecutable && cachedExecutable.forPath === envPath) return cachedExecutable.path;
  const names = process.platform === 'win32' ? ['git.exe', 'git.cmd'] : ['git'];
  let found: string | undefined;
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        const stat = fs.statSync(candidate);
        if (!stat.isFile()) continue;
        if (process.platform !== 'win32') fs.accessSync(candidate, fs.constants.X_OK);
        found = candidate;
        break;
      } catch {
        // not here
      }
    }
    if (found) break;
  }
  cachedExecutable = { path: found, forPath: envPath };
  return found;
}

export interface GitOptions {
  cwd: string;
  encoding: 'buffer' | 'utf8';
  maxBuffer?: number;
  /** Keep stderr (default: ignored). */
  stderr?: boolean;
}

/** Runs a read-only git command in `cwd` with repository-run programs switched off. */
export function runGit(args: readonly string[], options: GitOptions & { encoding: 'utf8' }): SpawnSyncReturns<string>;
export function runGit(args: readonly string[], options: GitOptions & { encoding: 'buffer' }): SpawnSyncReturns<Buffer>;
export function runGit(args: readonly string[], options: GitOptions): SpawnSyncReturns<string | Buffer> {
  const executable = gitExecutable();
  if (!executable) {
    const empty = options.encoding === 'utf8' ? '' : Buffer.alloc(0);
    return { pid: 0, output: [], stdout: empty, stderr: empty, status: null, signal: null, error: Object.assign(new Error('git not found on PATH'), { code: 'ENOENT' }) };
  }
  return spawnSync(executable, [...SAFE_CONFIG, ...args], {
    cwd: options.cwd,
    encoding: options.encoding,
    maxBuffer: options.maxBuffer,
    stdio: ['ignore', 'pipe', options.stderr ? 'pipe' : 'ignore'],
    // No lock files written for a read (GIT_OPTIONAL_LOCKS), never a credentials prompt.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
    windowsHide: true,
  });
}
