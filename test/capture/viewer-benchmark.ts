// Memory and latency of the capture viewer's host side on a large capture: the streaming pass with the
// packet index and the viewer's row limits (more than the CLI keeps), then what the page asks for while
// someone scrolls: packet-list windows at the start, middle and end (analysis rows and packets decoded
// again from the file), one packet's details and a ladder page. Not a test (timings depend on the
// machine): run it by hand after test/capture/benchmark.ts has generated its capture.
//
//   node --import tsx test/capture/viewer-benchmark.ts [file=$TMPDIR/wirelens-bench-100mb.pcap]
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';

const file = process.argv[2] ?? path.join(tmpdir(), 'wirelens-bench-100mb.pcap');

async function main(): Promise<void> {
  if (!existsSync(file)) throw new Error(`${file} not found: run \`node --import tsx test/capture/benchmark.ts 100\` first (it writes that file)`);
  const bytes = statSync(file).size;
  // Bundled as the extension ships it, run in a fresh process so the peak RSS is the viewer's own.
  const bundle = path.join(tmpdir(), 'wirelens-viewer-bench.cjs');
  await build({
    stdin: {
      contents: `export { openCaptureSession } from './client/src/capture/session'; export { FileSource } from './client/src/capture/fileSource';`,
      resolveDir: path.resolve(__dirname, '..', '..'),
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning',
  });
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', `
    const { openCaptureSession, FileSource } = require(${JSON.stringify(bundle)});
    const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
    (async () => {
      let t = process.hrtime.bigint();
      const session = await openCaptureSession(await FileSource.open(${JSON.stringify(file)}), { fileName: 'bench.pcap' });
      const openMs = ms(t);
      global.gc();
      const heapMb = process.memoryUsage().heapUsed / 1e6;
      const s = session.summary;
      const timings = {};
      let id = 0;
      for (const [name, from] of [['rows at start', 0], ['rows in the middle', Math.floor(s.listedPackets / 2)], ['rows at the end', s.listedPackets - 100]]) {
        t = process.hrtime.bigint();
        const answer = await session.handle({ type: 'packets', id: ++id, from, count: 100 });
        timings[name] = ms(t);
        timings[name + ' (decoded again)'] = answer.rows.filter((r) => r.conversation < 0).length;
      }
      t = process.hrtime.bigint();
      await session.handle({ type: 'details', id: ++id, packet: Math.floor(s.listedPackets / 2) });
      timings['details (middle)'] = ms(t);
      const big = s.conversations.reduce((a, c) => (c.rows > a.rows ? c : a), s.conversations[0]);
      t = process.hrtime.bigint();
      await session.handle({ type: 'conversation', id: ++id, index: big.index, fromRow: 0 });
      timings['ladder page (largest conversation)'] = ms(t);
      const summaryJsonMb = JSON.stringify(s).length / 1e6;
      console.log(JSON.stringify({ openMs, maxRssMb: process.resourceUsage().maxRSS / 1024, heapAfterGcMb: heapMb, packets: s.packets, listed: s.listedPackets, conversations: s.conversations.length, events: s.eventTotal, summaryJsonMb, timings }));
      await session.dispose();
    })();`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(child.stderr);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    openMs: number; maxRssMb: number; heapAfterGcMb: number; packets: number; listed: number; conversations: number; events: number; summaryJsonMb: number; timings: Record<string, number>;
  };
  console.log(`${file}: ${(bytes / 1e6).toFixed(1)} MB, ${r.packets} packets (${r.listed} listed), ${r.conversations} conversations, ${r.events} events`);
  console.log(`  streaming pass + index: ${(r.openMs / 1000).toFixed(2)} s, ${(bytes / 1e6 / (r.openMs / 1000)).toFixed(1)} MB/s, peak RSS ${r.maxRssMb.toFixed(0)} MB, heap after GC ${r.heapAfterGcMb.toFixed(0)} MB`);
  console.log(`  summary posted to the page: ${r.summaryJsonMb.toFixed(1)} MB of JSON`);
  for (const [name, value] of Object.entries(r.timings)) console.log(`  ${name}: ${name.includes('decoded') ? value : `${value.toFixed(1)} ms`}`);
}

void main();
