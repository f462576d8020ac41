// The fuzz seeds: real networking code (test/fixtures/real, excerpts of published packages, and the
// examples/ backend), binary files (the capture fixtures), and a multi-megabyte minified bundle that
// esbuild builds at test time from packages in node_modules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Seed {
  /** Path relative to the repository, for messages. */
  name: string;
  text: string;
}

function walk(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out;
}

const SOURCE = /\.(c|m)?(j|t)sx?$/;

export function sourceSeeds(): Seed[] {
  const files = [...walk(path.join(ROOT, 'test', 'fixtures', 'real'), (f) => SOURCE.test(f)), ...walk(path.join(ROOT, 'examples', 'src'), (f) => SOURCE.test(f))];
  return files.map((f) => ({ name: path.relative(ROOT, f), text: readFileSync(f, 'utf8') }));
}

/** Binary files that exist in the repository anyway: packet captures. */
export function binarySeeds(): Uint8Array[] {
  const dir = path.join(ROOT, 'test', 'capture', 'fixtures');
  return walk(dir, (f) => /\.(pcap|pcapng|ntar)$/.test(f))
    .slice(0, 40)
    .map((f) => new Uint8Array(readFileSync(f)));
}

/** Packages bundled into the large-file case: the compiler, a highlighter, an HTTPS downloader, an LSP stack (~5.1 MB minified). */
const BUNDLE_ENTRY = [
  "export * as ts from 'typescript';",
  "export * as highlight from 'highlight.js';",
  "export * as testElectron from '@vscode/test-electron';",
  "export * as languageServer from 'vscode-languageserver/node';",
].join('\n');

export const BUNDLE_MIN_BYTES = 5_000_000;

/** A minified bundle of real packages, at least 5 MB (repeated in a new scope if one build is smaller). */
export async function buildMinifiedBundle(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents: BUNDLE_ENTRY, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const once = result.outputFiles[0]!.text;
  let bundle = once;
  while (Buffer.byteLength(bundle) < BUNDLE_MIN_BYTES) bundle += `;(()=>{${once}})();`;
  return bundle;
}
