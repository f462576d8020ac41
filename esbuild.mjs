// Bundles the VS Code client, the language server, the CLI and the webview scripts.
// Node targets are CommonJS with sourcemaps; `--production` minifies; `--watch` rebuilds on change;
// `--outdir DIR` writes somewhere other than dist/ (package-vsix.mjs builds into its own staging folder).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt >= 0 && process.argv[outdirAt + 1] ? process.argv[outdirAt + 1] : 'dist';

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

/**
 * `import 'wirelens:diagram-css'` in a webview script adds the diagram engine's stylesheet
 * (DIAGRAM_CSS, a TypeScript string) to that script's CSS bundle: the webview CSP allows stylesheets
 * from the extension only, so the styles must ship as a file, not be injected at run time.
 */
const diagramCss = {
  name: 'wirelens-diagram-css',
  setup(build) {
    const styles = path.resolve('server/src/diagrams/styles.ts');
    build.onResolve({ filter: /^wirelens:diagram-css$/ }, () => ({ path: 'diagram.css', namespace: 'wirelens' }));
    build.onLoad({ filter: /.*/, namespace: 'wirelens' }, async () => {
      const out = await esbuild.build({ entryPoints: [styles], bundle: true, format: 'cjs', platform: 'neutral', write: false, logLevel: 'silent' });
      const module = { exports: {} };
      new Function('module', 'exports', out.outputFiles[0].text)(module, module.exports);
      return { contents: module.exports.DIAGRAM_CSS, loader: 'css', watchFiles: [styles] };
    });
  },
};

/** Entry points that exist (later issues add webview entries as they land). */
const targets = [
  // Activation loads only `client`. The client requires `languageClient` (vscode-languageclient) right
  // after activate() returns; `lessons` (the lesson renderer: markdown-it, highlight.js) and `capture`
  // (the capture viewer and engine) on first use.
  {
    entryPoints: { client: 'client/src/extension.ts', languageClient: 'client/src/languageClient.ts', lessons: 'client/src/lessons/content.ts', capture: 'client/src/capture/editor.ts' },
    ...nodeCommon,
  },
  { entryPoints: { server: 'server/src/lsp/main.ts', cli: 'server/src/cli/main.ts' }, ...nodeCommon },
  {
    entryPoints: { 'webview/lesson': 'client/src/webview/lesson.ts', 'webview/capture': 'client/src/webview/capture.ts' },
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: true, minify: production, logLevel: 'warning',
    plugins: [diagramCss],
  },
].map((t) => ({
  ...t,
  entryPoints: Object.fromEntries(Object.entries(t.entryPoints).filter(([, file]) => existsSync(file))),
  outdir,
})).filter((t) => Object.keys(t.entryPoints).length > 0);

if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
