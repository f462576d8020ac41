// Throughput and memory of `summarizeCaptureFile` on a large synthetic capture, beside `tcpdump -r` on the
// same file. Not a test (timings depend on the machine): run it by hand.
//
//   node --import tsx test/capture/benchmark.ts [sizeMB=100] [file]
//
// The capture mixes short HTTP/1.1 connections, TLS handshakes, DNS over UDP and bulk transfers with a
// retransmission and duplicate ACKs each, built from templates whose ports and sequence numbers are
// rewritten per connection (checksums are not recomputed: neither reader verifies them).

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { TcpFlow, type Timed } from './packets';
import { dnsExchange, httpExchange, START_US, tlsExchange } from './scenarios';

const sizeMb = Number(process.argv[2] ?? 100);
const file = process.argv[3] ?? path.join(tmpdir(), `wirelens-bench-${sizeMb}mb.pcap`);

function bulkTemplate(): Timed[] {
  const flow = new TcpFlow({ ip: '192.0.2.20', port: 40000 }, { ip: '198.51.100.30', port: 443 }, { c: 1000, s: 9000 }, START_US);
  flow.handshake(START_US, 2000, { client: { mss: 1460, sackOk: true, wscale: 7, ts: [1, 0] }, server: { mss: 1460, sackOk: true, wscale: 7, ts: [2, 1] } });
  flow.send(START_US + 2100, 'c', new Uint8Array(300).fill(0x16));
  let t = START_US + 3000;
  const segment = new Uint8Array(1448).fill(0x17);
  for (let i = 0; i < 400; i++) {
    if (i === 200) {
      const lost = flow.seq.s;
      flow.seq.s += 1448; // lost before the capture point
      for (let d = 0; d < 3; d++) {
        flow.send((t += 20), 's', segment);
        flow.ackWith((t += 5), 'c', lost, 512);
      }
      flow.sendAt((t += 30), 's', lost, segment);
      continue;
    }
    flow.send((t += 20), 's', segment);
    if (i % 2) flow.ack((t += 5), 'c', 512);
  }
  flow.fin((t += 100), 'c');
  flow.fin((t += 100), 's');
  flow.ack((t += 100), 'c');
  return flow.frames;
}

/** Rewrites ports and sequence numbers of an Ethernet/IPv4/TCP-or-UDP frame for connection `n`. */
function rewrite(frame: Uint8Array, clientIp: number[], n: number): Buffer {
  const out = Buffer.from(frame);
  const fromClient = out[26] === clientIp[0] && out[27] === clientIp[1] && out[28] === clientIp[2] && out[29] === clientIp[3];
  const port = 1024 + (n % 60000);
  out.writeUInt16BE(port, fromClient ? 34 : 36);
  // vary the client address too, so 4-tuples stay unique across port reuse
  out[fromClient ? 29 : 33] = (n >> 16) & 0xff || 1;
  if (out[23] === 6) {
    const delta = (n * 2654435761) >>> 0;
    const flags = out[47]!;
    out.writeUInt32BE((out.readUInt32BE(38) + delta) >>> 0, 38);
    if (flags & 0x10) out.writeUInt32BE((out.readUInt32BE(42) + delta) >>> 0, 42);
  }
  return out;
}

function generate(): void {
  const templates: Array<{ frames: Timed[]; client: number[] }> = [
    { frames: bulkTemplate(), client: [192, 0, 2, 20] },
    { frames: httpExchange().frames, client: [192, 0, 2, 10] },
    { frames: tlsExchange(), client: [192, 0, 2, 10] },
    { frames: dnsExchange(), client: [192, 0, 2, 10] },
  ];
  const fd = openSync(file, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  writeSync(fd, header);
  let written = 24;
  let clockUs = START_US;
  let n = 0;
  const target = sizeMb * 1e6;
  const batch: Buffer[] = [];
  let batchBytes = 0;
  while (written < target) {
    // one bulk transfer for every 40 short exchanges: about half the bytes are bulk data
    const template = n % 41 === 0 ? templates[0]! : templates[1 + (n % 3)]!;
    const t0 = template.frames[0]!.tsNs;
    for (const f of template.frames) {
      const data = rewrite(f.data, template.client, n);
      const us = clockUs + Number((f.tsNs - t0) / 1000n);
      const record = Buffer.alloc(16);
      record.writeUInt32LE(Math.floor(us / 1e6), 0);
      record.writeUInt32LE(us % 1e6, 4);
      record.writeUInt32LE(data.length, 8);
      record.writeUInt32LE(data.length, 12);
      batch.push(record, data);
      batchBytes += 16 + data.length;
    }
    clockUs += 500;
    n++;
    if (batchBytes > 4 << 20) {
      writeSync(fd, Buffer.concat(batch));
      written += batchBytes;
      batch.length = 0;
      batchBytes = 0;
    }
  }
  if (batch.length) writeSync(fd, Buffer.concat(batch));
  closeSync(fd);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  generate();
  const bytes = statSync(file).size;
  console.log(`generated ${file}: ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // The engine is bundled the way the CLI ships (esbuild, one CommonJS file) and runs in a fresh process,
  // so the timing has no TypeScript loader in it and the peak RSS is its own.
  const bundle = path.join(tmpdir(), 'wirelens-capture-bench.cjs');
  await build({ entryPoints: [path.resolve(__dirname, '../../server/src/capture/nodeFile.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning' });
  const child = spawnSync(process.execPath, ['-e', `
    const { summarizeCaptureFile } = require(${JSON.stringify(bundle)});
    const started = process.hrtime.bigint();
    summarizeCaptureFile(${JSON.stringify(file)}).then((r) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const events = r.summary.conversations.reduce((n, c) => n + c.events.length, 0);
      console.log(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, packets: r.summary.packets, conversations: r.summary.conversations.length, events, error: r.error }));
    });`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(child.stderr);
  const engine = JSON.parse(child.stdout.trim().split('\n').pop()!) as { seconds: number; maxRssMb: number; packets: number; conversations: number; events: number; error: string | null };
  console.log(`wirelens summarizeCaptureFile: ${engine.packets} packets, ${engine.conversations} conversations, ${engine.events} events, error ${engine.error}`);
  console.log(`  ${engine.seconds.toFixed(2)} s, ${(bytes / 1e6 / engine.seconds).toFixed(1)} MB/s, peak RSS ${engine.maxRssMb.toFixed(0)} MB`);

  const tcpdump = spawnSync('/usr/bin/time', ['-f', '%e %M', 'tcpdump', '-nn', '-r', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (tcpdump.error || tcpdump.status !== 0) {
    console.log(`tcpdump -r: not measured (${tcpdump.error?.message ?? tcpdump.stderr.trim().split('\n').pop()})`);
  } else {
    const [seconds, kb] = tcpdump.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    console.log(`tcpdump -nn -r (output piped to this process): ${tcpdump.stdout.split('\n').length - 1} lines`);
    console.log(`  ${seconds!.toFixed(2)} s, ${(bytes / 1e6 / seconds!).toFixed(1)} MB/s, peak RSS ${(kb! / 1024).toFixed(0)} MB`);
  }
}

void main();
