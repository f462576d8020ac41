// What activation loads: dist/client.js, bundled from client/src/extension.ts. The language client
// (vscode-languageclient and its protocol modules, 35–45 ms of extension-host CPU to load), the
// capture viewer and engine, and the lesson renderer are bundles of their own, required after
// activate() returns or on first use (client/src/bundles.ts). An import that pulls one of them back
// into client.js would silently make activation slow again; this says which one and through what.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';

const ROOT = process.env.WIRELENS_ROOT ?? path.resolve(import.meta.dirname, '..', '..');

/** Inputs of one entry bundled as esbuild.mjs bundles the Node targets, with who imports each. */
async function bundleInputs(entry: string): Promise<Map<string, string[]>> {
  const result = await esbuild.build({
    absWorkingDir: ROOT, entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'], write: false, metafile: true, logLevel: 'silent', outfile: 'out.js',
  });
  const importers = new Map<string, string[]>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    importers.set(file, importers.get(file) ?? []);
    for (const imported of input.imports) {
      if (!imported.external) importers.set(imported.path, [...(importers.get(imported.path) ?? []), file]);
    }
  }
  return importers;
}

const KEPT_OUT = [
  { what: 'vscode-languageclient (dist/languageClient.js)', pattern: /node_modules\/vscode-(languageclient|jsonrpc|languageserver-protocol)\// },
  { what: 'the capture viewer and engine (dist/capture.js)', pattern: /^(server\/src\/capture\/|client\/src\/capture\/(?!register\.ts))/ },
  { what: 'the lesson renderer (dist/lessons.js)', pattern: /node_modules\/(markdown-it|highlight\.js)\/|^server\/src\/lessons\/(render|page)\.ts$/ },
];

describe('dist/client.js (what activation loads)', () => {
  it('leaves the language client, the capture viewer and the lesson renderer to their own bundles', async () => {
    const inputs = await bundleInputs('client/src/extension.ts');
    assert.ok(inputs.has('client/src/extension.ts') && inputs.has('client/src/status.ts'), `unexpected input names: ${[...inputs.keys()].slice(0, 5).join(', ')}`);
    for (const { what, pattern } of KEPT_OUT) {
      const found = [...inputs.keys()].filter((file) => pattern.test(file));
      assert.deepEqual(found.map((f) => `${f} ← ${inputs.get(f)!.join(', ')}`), [], `${what} is bundled into client.js`);
    }
  });

  it('the bundles it requires later hold what was left out', async () => {
    const languageClient = await bundleInputs('client/src/languageClient.ts');
    assert.ok([...languageClient.keys()].some((f) => KEPT_OUT[0]!.pattern.test(f)), 'languageClient.ts bundles vscode-languageclient');
    const capture = await bundleInputs('client/src/capture/editor.ts');
    assert.ok([...capture.keys()].some((f) => KEPT_OUT[1]!.pattern.test(f) && f.startsWith('server/')), 'capture/editor.ts bundles the capture engine');
  });
});
