// The benchmark corpus: real, published backend packages nobody on this project wrote, installed
// at pinned versions into the git-ignored bench/.cache/corpus, and the list of their source files.
//
// Which files count: every .js .mjs .cjs .ts .mts .cts file under the corpus's node_modules
// (the pinned packages and everything they depend on, exactly as npm lays them out), except
//   - declaration files (.d.ts/.d.mts/.d.cts): types only, no calls to analyse, and Wirelens
//     itself skips them (isAnalysableFile), so timing them would flatter nobody;
//   - the files inside node_modules/.bin and package-internal test fixtures are kept if they are
//     published: what ships is what a user's workspace contains.
// The list is sorted by path so every tool sees the same files in the same order.
//
// `node bench/corpus.mjs` installs (if needed) and prints the file count and size.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = dirname(benchDir);
export const cacheDir = join(benchDir, '.cache');
export const corpusDir = join(cacheDir, 'corpus');

/** Exact versions: the corpus must not drift between runs. Change them deliberately, then re-run. */
export const CORPUS_PACKAGES = {
  express: '5.3.0',
  fastify: '5.12.8',
  undici: '8.13.1',
  axios: '1.21.1',
  ws: '8.23.0',
  pg: '8.23.1',
  ioredis: '6.0.0',
  mongodb: '7.9.0',
  'socket.io': '4.8.4',
  got: '16.1.0',
  'node-fetch': '3.3.2',
  koa: '3.3.0',
  '@hapi/hapi': '21.4.10',
  mysql2: '3.24.6',
  amqplib: '2.3.1',
  kafkajs: '2.2.4',
  '@grpc/grpc-js': '1.14.7',
  redis: '6.3.1',
  'http-proxy': '1.18.1',
  superagent: '10.4.2',
  bullmq: '6.7.0',
  nats: '2.29.3',
};

/** The lockfile that pins the transitive dependencies too; committed beside this script. */
const committedLock = join(benchDir, 'corpus.package-lock.json');

const SOURCE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
const DECLARATION = /\.d\.[mc]?ts$/;

/**
 * Installs the pinned packages with npm into `dir` (no lifecycle scripts: nothing from the corpus
 * runs on this machine). Reuses the committed lockfile so dependencies resolve the same way each time.
 */
export function installPinned(dir, packages, lockFile, label) {
  mkdirSync(dir, { recursive: true });
  const manifest = { name: `wirelens-bench-${label}`, private: true, dependencies: packages };
  const manifestPath = join(dir, 'package.json');
  const wanted = JSON.stringify(manifest, null, 2) + '\n';
  const installed = existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') === wanted && existsSync(join(dir, 'node_modules', '.package-lock.json'));
  if (installed) return false;
  writeFileSync(manifestPath, wanted);
  if (lockFile && existsSync(lockFile)) copyFileSync(lockFile, join(dir, 'package-lock.json'));
  process.stderr.write(`bench: installing ${label} into ${relative(repoRoot, dir)} …\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['i', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm i --prefix ${dir} failed (exit ${result.status})`);
  if (lockFile && !existsSync(lockFile)) copyFileSync(join(dir, 'package-lock.json'), lockFile);
  return true;
}

export function ensureCorpus() {
  return installPinned(corpusDir, CORPUS_PACKAGES, committedLock, 'corpus');
}

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '.bin' || entry.name === '.cache') continue;
      walk(full, out);
    } else if (entry.isFile() && SOURCE_EXTENSIONS.some((e) => entry.name.endsWith(e)) && !DECLARATION.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** Absolute paths of every corpus source file, sorted, with their sizes in bytes. */
export function listCorpusFiles() {
  const files = walk(join(corpusDir, 'node_modules'), []).sort();
  return files.map((path) => ({ path, bytes: statSync(path).size }));
}

/** The installed version of every package in the corpus (top level and below). */
export function corpusPackageCount() {
  const lock = JSON.parse(readFileSync(join(corpusDir, 'node_modules', '.package-lock.json'), 'utf8'));
  return Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/')).length;
}

export function corpusSummary(files = listCorpusFiles()) {
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  return { files: files.length, bytes, megabytes: bytes / 1e6, packages: corpusPackageCount() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureCorpus();
  const files = listCorpusFiles();
  const s = corpusSummary(files);
  const byExt = {};
  for (const f of files) {
    const ext = f.path.slice(f.path.lastIndexOf('.'));
    byExt[ext] = (byExt[ext] ?? 0) + 1;
  }
  console.log(`corpus: ${s.files} files, ${s.megabytes.toFixed(1)} MB, ${s.packages} installed packages (${Object.keys(CORPUS_PACKAGES).length} pinned)`);
  console.log(`by extension: ${Object.entries(byExt).map(([e, n]) => `${e} ${n}`).join(', ')}`);
}
