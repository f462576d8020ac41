// Which files `wirelens check` analyses. Folders are listed with git when they are inside a git
// work tree (`git ls-files --cached --others --exclude-standard`: tracked files plus untracked ones
// that are not ignored, so .gitignore, .git/info/exclude and the global excludes file all apply);
// otherwise by walking the folder, skipping dot-folders. node_modules is skipped either way, and
// symbolic links to folders are not followed (no loops, no escaping the folder).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAnalysableFile } from '../analysis/index';
import { runGit } from './git';

export interface SourceFile {
  /** Absolute path. */
  absolute: string;
  /** How to show it: as given on the command line, or the folder as given joined with the path inside it. */
  display: string;
  /** The name the analysis sees: the path inside the folder given (or the file as given). */
  analysisName: string;
  /** True when the user named this file directly (not found by listing a folder). */
  explicit: boolean;
}

export interface Collected {
  files: SourceFile[];
  /** Paths that do not exist: a usage error. */
  missing: string[];
  /** Notes for stderr (a named file that is not JavaScript/TypeScript, an empty folder …). */
  notes: string[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** The argument as the user typed it, tidied: `./src/` → `src`, `.` → `` (absolute paths stay absolute). */
export function tidyArgument(arg: string): string {
  const normal = path.posix.normalize(toPosix(arg));
  const trimmed = normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
  return trimmed === '.' ? '' : trimmed;
}

/** Joins the argument as the user typed it with a path inside it. */
function joinDisplay(arg: string, inner: string): string {
  const base = tidyArgument(arg);
  if (base === '') return inner;
  return base.endsWith('/') ? `${base}${inner}` : `${base}/${inner}`;
}

function hasNodeModulesSegment(relative: string): boolean {
  return relative === 'node_modules' || relative.startsWith('node_modules/') || relative.includes('/node_modules/');
}

/**
 * Lists the files under `dir` with git, relative to `dir` and `/`-separated. Undefined when git is
 * missing or `dir` is not inside a work tree (or is inside `.git` itself).
 */
export function listWithGit(dir: string): string[] | undefined {
  // Paths come back relative to `dir` and unquoted (-z), whatever core.quotePath says.
  const result = runGit(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], { cwd: dir, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status !== 0) return undefined;
  const names = result.stdout.toString('utf8').split('\0').filter((n) => n !== '');
  // --cached and --others can both list a path during a merge; deleted tracked files are listed too.
  return [...new Set(names)];
}

/** Lists the files under `dir` without git: skips dot-folders, node_modules and folder symlinks. */
export function listByWalking(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to list (the run goes on)
    }
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        walk(childAbs, childRel);
      } else if (entry.isFile()) {
        out.push(childRel);
      } else if (entry.isSymbolicLink()) {
        // A link to a file is analysed like the file; a link to a folder is not followed.
        try {
          if (fs.statSync(childAbs).isFile()) out.push(childRel);
        } catch {
          // dangling link
        }
      }
    }
  };
  walk(dir, '');
  return out;
}

/** True when git ignores the folder itself (`git check-ignore`), e.g. `dist/` or `node_modules/x`. */
function isIgnoredFolder(dir: string): boolean {
  const r = runGit(['check-ignore', '-q', '--', '.'], { cwd: dir, encoding: 'buffer' });
  return r.status === 0;
}

/**
 * The files of a folder named on the command line: git's view inside a work tree, else a walk.
 * A folder that git ignores as a whole is walked: naming it is asking for it (as with a file).
 */
function listFolder(dir: string): string[] {
  const listed = listWithGit(dir);
  if (listed === undefined) return listByWalking(dir);
  if (listed.length === 0 && isIgnoredFolder(dir)) return listByWalking(dir);
  return listed;
}

function compareDisplay(a: SourceFile, b: SourceFile): number {
  return a.display < b.display ? -1 : a.display > b.display ? 1 : 0;
}

/** Expands the command line's paths into the files to analyse, in a stable order. */
export function collectFiles(args: readonly string[], cwd: string): Collected {
  const files: SourceFile[] = [];
  const missing: string[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const add = (f: SourceFile) => {
    if (seen.has(f.absolute)) return;
    seen.add(f.absolute);
    files.push(f);
  };
  for (const arg of args) {
    const absolute = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      missing.push(arg);
      continue;
    }
    if (stat.isFile()) {
      if (!isAnalysableFile(absolute)) {
        notes.push(`${arg}: not a JavaScript or TypeScript file (.ts .tsx .mts .cts .js .jsx .mjs .cjs); skipped.`);
        continue;
      }
      add({ absolute, display: tidyArgument(arg), analysisName: tidyArgument(arg), explicit: true });
      continue;
    }
    if (!stat.isDirectory()) {
      notes.push(`${arg}: not a file or folder; skipped.`);
      continue;
    }
    const listed = listFolder(absolute);
    const found: SourceFile[] = [];
    for (const rel of listed) {
      if (!isAnalysableFile(rel) || hasNodeModulesSegment(rel)) continue;
      const fileAbs = path.join(absolute, rel);
      // git lists tracked files that were deleted from the work tree; submodules are folders.
      try {
        if (!fs.statSync(fileAbs).isFile()) continue;
      } catch {
        continue;
      }
      found.push({ absolute: fileAbs, display: joinDisplay(arg, rel), analysisName: rel, explicit: false });
    }
    found.sort(compareDisplay);
    if (found.length === 0) notes.push(`${arg}: no JavaScript or TypeScript files to analyse (node_modules and git-ignored files are skipped).`);
    for (const f of found) add(f);
  }
  return { files, missing, notes };
}
