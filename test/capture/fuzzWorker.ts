// Runs a share of the fuzz cases (worker thread). Reports progress through shared memory so the parent
// can name the case that hangs, and posts a summary or the first failure with its seed and case number.

import assert from 'node:assert/strict';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeCapture, CaptureReader, captureSummary, conversationLadder, EVENT_LESSONS, formatCaptureText, packetDetails, type CaptureAnalysis } from '../../server/src/capture/index';
import { fuzzCorpus } from './fuzzCorpus';
import { prng } from '../reliability/fuzz/random';

interface Job {
  seed: number;
  first: number;
  count: number;
  progress: SharedArrayBuffer;
  slot: number;
}

const job = workerData as Job;
const progress = new Int32Array(job.progress);

const corpus = fuzzCorpus();

/** Packet data ranges of the classic pcap files in the corpus: mutations there keep the framing intact. */
function pcapDataRanges(file: Uint8Array): Array<[number, number]> {
  const le = file[0] === 0xd4 || file[0] === 0x4d;
  const isPcap = le ? file[1] === 0xc3 || file[1] === 0x3c : file[0] === 0xa1 && file[1] === 0xb2;
  if (!isPcap) return [];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const ranges: Array<[number, number]> = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const length = view.getUint32(at + 8, le);
    ranges.push([at + 16, Math.min(file.length, at + 16 + length)]);
    at += 16 + length;
  }
  return ranges;
}
const pcapFiles = corpus.map((file) => ({ file, ranges: pcapDataRanges(file) })).filter((f) => f.ranges.length > 0);
const HUGE = [0, 1, 3, 11, 12, 13, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, 0x01000000, 0x00ffffff, 65535, 65536, 16 * 1024 * 1024 + 4];

function mutate(random: () => number, caseNumber: number): { input: Uint8Array; strategy: string } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const base = pick(corpus);
  const strategy = caseNumber % 10;
  if (strategy >= 8) {
    // inside one packet's bytes only: the file stays readable and the decoders get the hostile bytes
    const target = pick(pcapFiles);
    const copy = target.file.slice();
    const [start, end] = pick(target.ranges);
    const n = 1 + Math.floor(random() * 6);
    for (let i = 0; i < n && end > start; i++) {
      const offset = start + Math.floor(random() * (end - start));
      copy[offset] = strategy === 8 ? Math.floor(random() * 256) : pick([0, 0xff, 0x80, 0x7f, 0x0f, 0x05, 0x45, 0x60]);
    }
    return { input: copy, strategy: 'packet bytes' };
  }
  const copy = base.slice();
  const at = (): number => Math.floor(random() * copy.length);
  switch (strategy) {
    case 0: // truncation anywhere
      return { input: copy.subarray(0, at()), strategy: 'truncate' };
    case 1: {
      // a few random bytes flipped
      const n = 1 + Math.floor(random() * 8);
      for (let i = 0; i < n; i++) copy[at()] = Math.floor(random() * 256);
      return { input: copy, strategy: 'flip bytes' };
    }
    case 2: {
      // a 32-bit field (aligned, so block and record lengths get hit) set to a huge or edge value, either byte order
      const offset = Math.floor(at() / 4) * 4;
      const value = pick(HUGE);
      const little = random() < 0.5;
      for (let i = 0; i < 4 && offset + i < copy.length; i++) copy[offset + i] = (value >>> (little ? 8 * i : 24 - 8 * i)) & 0xff;
      return { input: copy, strategy: 'huge length' };
    }
    case 3: {
      // 16-bit field (IP lengths, option lengths, ports) set to an edge value
      const offset = at();
      const value = pick([0, 1, 4, 5, 0xff, 0x7fff, 0xffff, 0x8000, 0x0fff]);
      if (offset + 1 < copy.length) {
        copy[offset] = value >> 8;
        copy[offset + 1] = value & 0xff;
      }
      return { input: copy, strategy: 'edge 16-bit' };
    }
    case 4: {
      // random bytes behind a valid magic (or the start of a real file)
      const keep = Math.min(base.length, 24 + Math.floor(random() * 40));
      const out = new Uint8Array(keep + Math.floor(random() * 2048));
      out.set(base.subarray(0, keep));
      for (let i = keep; i < out.length; i++) out[i] = Math.floor(random() * 256);
      return { input: out, strategy: 'random tail' };
    }
    case 5: {
      // splice: head of one file, tail of another
      const other = pick(corpus);
      const cut = at();
      const from = Math.floor(random() * other.length);
      const out = new Uint8Array(cut + other.length - from);
      out.set(copy.subarray(0, cut));
      out.set(other.subarray(from), cut);
      return { input: out, strategy: 'splice' };
    }
    case 6: {
      // bytes inserted or deleted (shifts every later field)
      const offset = at();
      if (random() < 0.5) {
        const n = 1 + Math.floor(random() * 7);
        const out = new Uint8Array(copy.length + n);
        out.set(copy.subarray(0, offset));
        for (let i = 0; i < n; i++) out[offset + i] = Math.floor(random() * 256);
        out.set(copy.subarray(offset), offset + n);
        return { input: out, strategy: 'insert' };
      }
      const n = 1 + Math.floor(random() * 7);
      const out = new Uint8Array(Math.max(0, copy.length - n));
      const cut = Math.min(offset, out.length);
      out.set(copy.subarray(0, cut));
      out.set(copy.subarray(cut + n), cut);
      return { input: out, strategy: 'delete' };
    }
    default: {
      // pure noise, sometimes behind a capture magic
      const out = new Uint8Array(Math.floor(random() * 512));
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 256);
      const magic = pick([[], [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d], [0x0a, 0x0d, 0x0d, 0x0a]]);
      out.set(magic.slice(0, out.length));
      return { input: out, strategy: 'noise' };
    }
  }
}

function checkWellFormed(analysis: CaptureAnalysis): void {
  assert.equal(typeof analysis.packets, 'number');
  assert.ok(analysis.error === null || (typeof analysis.error === 'string' && analysis.error.length > 0));
  assert.equal(analysis.packets, analysis.file.packets);
  assert.ok(analysis.warnings.length <= 210, `warnings are capped (${analysis.warnings.length})`);
  let counted = analysis.otherPackets;
  for (const c of analysis.conversations) {
    assert.ok(c.packets >= 1 && c.packets === c.packetsFromClient + c.packetsFromServer);
    assert.ok(Number.isFinite(c.bytes) && c.bytes >= 0);
    assert.ok(c.handshakeRttMs === null || Number.isFinite(c.handshakeRttMs));
    for (const e of c.events) assert.equal(e.lesson, EVENT_LESSONS[e.kind]);
    counted += c.packets;
  }
  assert.ok(counted <= analysis.packets, `conversations count ${counted} packets of ${analysis.packets}`);
  const summary = JSON.parse(JSON.stringify(captureSummary(analysis)));
  assert.equal(summary.packets, analysis.packets);
  assert.equal(typeof formatCaptureText(analysis), 'string');
}

const random = prng(job.seed ^ Math.imul(job.slot + 1, 0x9e3779b1));
let slowest = 0;
let errors = 0;
for (let i = job.first; i < job.first + job.count; i++) {
  Atomics.store(progress, job.slot, i);
  const chunkBytes = [1 << 20, 7, 64, 1500][i % 4]!;
  let input: Uint8Array = new Uint8Array(0);
  let strategy = 'mutation';
  const started = performance.now();
  try {
    ({ input, strategy } = mutate(random, i));
    const analysis = analyzeCapture(input, { chunkBytes });
    checkWellFormed(analysis);
    if (analysis.error) errors++;
    if (strategy === 'packet bytes') {
      // the viewer's paths on the same hostile bytes: per-packet details and the ladder
      const reader = new CaptureReader({
        onRecord: (record) => {
          for (const layer of packetDetails(record)) assert.ok(!layer.fields.some((f) => f.name === 'decoder error'), JSON.stringify(layer));
        },
      });
      reader.push(input);
      reader.end();
      for (const c of analysis.conversations) conversationLadder(c);
    }
  } catch (error) {
    parentPort!.postMessage({ failed: true, caseNumber: i, strategy, message: error instanceof Error ? error.stack : String(error), input: Buffer.from(input).toString('base64') });
    process.exit(0);
  }
  slowest = Math.max(slowest, performance.now() - started);
}
parentPort!.postMessage({ failed: false, slowest, errors });
