// The engine must run unchanged in the webview: it bundles for the browser with no Node built-ins and
// works in a bare JavaScript realm (no require, process, Buffer, window or document), producing exactly
// what it produces in Node.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as vm from 'node:vm';
import { build } from 'esbuild';
import * as engine from '../../server/src/diagrams/index';
import { handshake, tcpHeader } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = path.join(ROOT, 'server/src/diagrams');

describe('diagram engine in a browser realm', () => {
  it('imports nothing from Node, VS Code or the DOM', () => {
    for (const file of readdirSync(SOURCE).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(path.join(SOURCE, file), 'utf8');
      for (const m of source.matchAll(/\bfrom\s+'([^']+)'/g)) assert.match(m[1]!, /^\.\//, `${file} imports ${m[1]}`);
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\brequire\(|\bprocess\.|\bBuffer\b|\bdocument\.|\bwindow\./, file);
    }
  });

  it('bundles for the browser and renders the same SVG in a bare realm', async () => {
    const out = await build({
      entryPoints: [path.join(SOURCE, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'WirelensDiagrams',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const realm = vm.createContext({});
    vm.runInContext(`${code}\nglobalThis.WirelensDiagrams = WirelensDiagrams;`, realm);
    assert.equal(vm.runInContext('typeof require + typeof process + typeof window + typeof document', realm), 'undefinedundefinedundefinedundefined');
    const input = JSON.stringify({ seq: handshake(), header: tcpHeader() });
    const result = vm.runInContext(
      `(() => {
        const api = globalThis.WirelensDiagrams;
        const docs = JSON.parse(${JSON.stringify(input)});
        const checked = api.validateDiagram(docs.seq, 'media/diagrams/handshake.json');
        return JSON.stringify({
          ok: checked.ok,
          svg: api.renderSvg(checked.diagram, { rtt: 70, step: 2 }),
          table: api.renderTable(checked.diagram, 70),
          header: api.renderSvg(docs.header),
        });
      })()`,
      realm,
    ) as string;
    const parsed = JSON.parse(result) as { ok: boolean; svg: string; table: string; header: string };
    assert.equal(parsed.ok, true);
    assert.equal(parsed.svg, engine.renderSvg(handshake(), { rtt: 70, step: 2 }));
    assert.equal(parsed.table, engine.renderTable(handshake(), 70));
    assert.equal(parsed.header, engine.renderSvg(tcpHeader()));
  });
});
