// Bundles the VS Code client, the language server, the CLI and the webview scripts.
// Node targets are CommonJS with sourcemaps; `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  // The TypeScript compiler is bundled into the server: one file, no node_modules in the .vsix.
  external: ['vscode'],
};

/** Entry points that exist (later issues add webview entries as they land). */
const targets = [
  { entryPoints: { client: 'client/src/extension.ts' }, ...nodeCommon },
  { entryPoints: { server: 'server/src/lsp/main.ts', cli: 'server/src/cli/main.ts' }, ...nodeCommon },
  {
    entryPoints: { 'webview/lesson': 'client/src/webview/lesson.ts', 'webview/capture': 'client/src/webview/capture.ts' },
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: true, minify: production, logLevel: 'warning',
  },
].map((t) => ({
  ...t,
  entryPoints: Object.fromEntries(Object.entries(t.entryPoints).filter(([, file]) => existsSync(file))),
  outdir: 'dist',
})).filter((t) => Object.keys(t.entryPoints).length > 0);

if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
