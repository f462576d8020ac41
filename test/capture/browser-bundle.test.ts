// The capture engine must run in the webview: it bundles for the browser without Node built-ins (only
// nodeFile.ts touches fs, and the bundle leaves it out) and gives the same analysis in a bare realm.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as vm from 'node:vm';
import { build } from 'esbuild';
import { analyzeCapture, captureSummary, conversationLadder, formatCaptureText } from '../../server/src/capture/index';
import { dnsExchange, httpExchange, tlsExchange } from './scenarios';
import { writePcapng } from './writer';

const SOURCE = path.resolve(__dirname, '..', '..', 'server', 'src', 'capture');

describe('capture engine in a browser realm', () => {
  it('imports nothing from Node, VS Code or the DOM outside nodeFile.ts', () => {
    for (const file of readdirSync(SOURCE).filter((f) => f.endsWith('.ts') && f !== 'nodeFile.ts')) {
      const source = readFileSync(path.join(SOURCE, file), 'utf8');
      for (const m of source.matchAll(/\bfrom\s+'([^']+)'/g)) assert.match(m[1]!, /^\.\/|^\.\.\/diagrams\/types$/, `${file} imports ${m[1]}`);
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\brequire\(|\bprocess\.|\bBuffer\b|\bdocument\.|\bwindow\.|\bTextDecoder\b/, file);
    }
  });

  it('bundles for the browser and gives the same analysis in a bare realm', async () => {
    const out = await build({
      entryPoints: [path.join(SOURCE, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'WirelensCapture',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const realm = vm.createContext({});
    vm.runInContext(`${code}\nglobalThis.WirelensCapture = WirelensCapture;`, realm);
    assert.equal(vm.runInContext('typeof require + typeof process + typeof window + typeof document', realm), 'undefinedundefinedundefinedundefined');
    const frames = [...httpExchange().frames, ...tlsExchange(), ...dnsExchange()].sort((a, b) => (a.tsNs < b.tsNs ? -1 : 1));
    const file = writePcapng([{ order: 'big', interfaces: [{ linkType: 1, tsresol: 9, name: 'eth0' }], blocks: frames.map((frame) => ({ kind: 'epb' as const, frame })) }]);
    realm.input = Array.from(file);
    const result = JSON.parse(
      vm.runInContext(
        `(() => {
          const api = globalThis.WirelensCapture;
          const analysis = api.analyzeCapture(Uint8Array.from(input), { chunkBytes: 100 });
          return JSON.stringify({ summary: api.captureSummary(analysis), text: api.formatCaptureText(analysis), ladder: api.conversationLadder(analysis.conversations[0]) });
        })()`,
        realm,
      ) as string,
    );
    const analysis = analyzeCapture(file);
    assert.deepEqual(result.summary, captureSummary(analysis));
    assert.equal(result.text, formatCaptureText(analysis));
    assert.deepEqual(result.ladder, conversationLadder(analysis.conversations[0]!));
    assert.equal(result.summary.conversations.length, 4);
  });
});
