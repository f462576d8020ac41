// The capture viewer's host side (client/src/capture/session.ts + packetStore.ts): after one streaming
// pass it re-reads any packet from the file on demand. Every packet re-read must be the very record the
// streaming pass saw (bytes, timestamps, interface, comments) and decode to the same details, for every
// file of the pcapng conformance suite (both byte orders, several sections, SPBs, obsolete PBs), for
// pcap (µs/ns, both byte orders), through small re-read batches, and from a file on disk. Bad requests
// get a clear answer, never an exception.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileSource } from '../../client/src/capture/fileSource';
import { MemorySource } from '../../client/src/capture/packetStore';
import type { HostMessage, PacketListRow } from '../../client/src/capture/protocol';
import { openCaptureSession, type CaptureSession, type SessionOptions } from '../../client/src/capture/session';
import { CaptureReader, packetDetails, type CaptureRecord, type DetailLayer } from '../../server/src/capture/index';
import { TcpFlow } from './packets';
import { CLIENT, dnsExchange, httpExchange, SERVER, START_US, tlsExchange } from './scenarios';
import { writePcap, writePcapng } from './writer';

const SUITE = path.join(__dirname, 'fixtures', 'pcapng-test-suite');

interface Seen {
  record: Omit<CaptureRecord, 'data' | 'number'>;
  hex: string;
  layers: DetailLayer[];
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** What a plain streaming pass sees, packet by packet. */
function streamingPass(bytes: Uint8Array): Seen[] {
  const seen: Seen[] = [];
  const reader = new CaptureReader({
    onRecord: (record) => {
      const { data, number: _n, ...rest } = record;
      seen.push({ record: rest, hex: toHex(data.subarray(0, 4096)), layers: packetDetails(record) });
    },
  });
  reader.push(bytes);
  reader.end();
  return seen;
}

async function session(bytes: Uint8Array, options: Partial<SessionOptions> = {}): Promise<CaptureSession> {
  return openCaptureSession(new MemorySource(bytes), { fileName: 'test.pcapng', ...options });
}

async function ask(s: CaptureSession, message: object): Promise<HostMessage> {
  const answer = await s.handle({ id: 1, ...message });
  assert.ok(answer, `no answer to ${JSON.stringify(message)}`);
  return answer;
}

/** Re-reads every packet through the session and compares it with the streaming pass. */
async function checkRereads(bytes: Uint8Array, label: string, options: Partial<SessionOptions> = {}): Promise<void> {
  const expected = streamingPass(bytes);
  const s = await session(bytes, options);
  assert.equal(s.summary.listedPackets, expected.length, `${label}: packets indexed`);
  for (let n = 1; n <= expected.length; n++) {
    const answer = await ask(s, { type: 'details', packet: n });
    assert.equal(answer.type, 'details', label);
    if (answer.type !== 'details') continue;
    assert.equal(answer.details.error, undefined, `${label} packet ${n}: ${answer.details.error}`);
    assert.equal(answer.details.hex, expected[n - 1]!.hex, `${label} packet ${n}: bytes`);
    const layers = expected[n - 1]!.layers.map((l, i) => (i === 0 ? { ...l, fields: l.fields.map((f) => (f.name === 'Number' ? { ...f, value: String(n) } : f)) } : l));
    assert.deepEqual(answer.details.layers, layers, `${label} packet ${n}: layers`);
  }
}

describe('capture viewer session: re-reading packets', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const order of ['le', 'be'] as const) {
    it(`re-reads every packet of the pcapng conformance suite (${order}) exactly as the streaming pass saw it`, async () => {
      let files = 0;
      let packets = 0;
      for (const group of readdirSync(path.join(SUITE, `output_${order}`))) {
        for (const name of readdirSync(path.join(SUITE, `output_${order}`, group)).filter((f) => f.endsWith('.pcapng'))) {
          const bytes = new Uint8Array(readFileSync(path.join(SUITE, `output_${order}`, group, name)));
          await checkRereads(bytes, `${order}/${group}/${name}`);
          // The same through re-read batches of one packet each.
          await checkRereads(bytes, `${order}/${group}/${name} (small batches)`, { store: { maxBatchBytes: 1 } });
          files++;
          packets += streamingPass(bytes).length;
        }
      }
      assert.ok(files >= 20, `only ${files} files`);
      assert.ok(packets >= 50, `only ${packets} packets`);
    });
  }

  it('re-reads pcap files in both byte orders and both timestamp precisions', async () => {
    const frames = [...httpExchange().frames, ...tlsExchange(), ...dnsExchange()].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0));
    for (const order of ['little', 'big'] as const) {
      for (const precision of ['us', 'ns'] as const) await checkRereads(writePcap(frames, { order, precision }), `pcap ${order} ${precision}`);
    }
  });

  it('re-reads packets of a later section, with interfaces declared mid-section', async () => {
    const http = httpExchange().frames;
    const bytes = writePcapng([
      { order: 'little', interfaces: [{ linkType: 1 }], blocks: http.slice(0, 4).map((f) => ({ kind: 'epb' as const, frame: f })) },
      {
        order: 'big',
        interfaces: [{ linkType: 1, tsresol: 9 }],
        blocks: [
          ...http.slice(4, 6).map((f) => ({ kind: 'epb' as const, frame: f })),
          { kind: 'idb' as const, spec: { linkType: 1, tsresol: 0x80 | 20, comments: ['second interface'] } },
          ...http.slice(6).map((f) => ({ kind: 'epb' as const, frame: { ...f, interfaceId: 1, comments: ['on the second interface'] } })),
        ],
      },
    ]);
    await checkRereads(bytes, 'two sections');
  });

  it('re-reads from a file on disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelens-viewer-'));
    dirs.push(dir);
    const file = path.join(dir, 'http.pcap');
    const bytes = writePcap(httpExchange().frames);
    writeFileSync(file, bytes);
    const s = await openCaptureSession(await FileSource.open(file), { fileName: 'http.pcap', chunkBytes: 4096 });
    try {
      const expected = streamingPass(bytes);
      const answer = await ask(s, { type: 'details', packet: 4 });
      assert.equal(answer.type === 'details' && answer.details.hex, expected[3]!.hex);
      assert.equal(s.summary.conversations[0]!.protocol, 'HTTP/1.1');
    } finally {
      await s.dispose();
    }
  });
});

describe('capture viewer session: packet list windows', () => {
  /** 301 packets: a conversation whose rows stop at 100, then ARP-like frames the analysis cannot place. */
  function mixedCapture(): Uint8Array {
    const flow = new TcpFlow(CLIENT, SERVER, { c: 1000, s: 5000 }, START_US);
    flow.handshake(START_US, 2000);
    for (let i = 0; i < 148; i++) {
      flow.send(START_US + 3000 + i * 100, 'c', new Uint8Array(10).fill(0x61));
      flow.ack(START_US + 3050 + i * 100, 's');
    }
    flow.fin(START_US + 20_000, 'c');
    const arp = new Uint8Array(42);
    arp.fill(0xff, 0, 6);
    arp.set([0x08, 0x06], 12);
    arp.set([0, 1, 8, 0, 6, 4, 0, 1], 14);
    const frames = [...flow.frames, { tsNs: BigInt(START_US + 30_000) * 1000n, data: arp }];
    return writePcap(frames);
  }

  it('lists all packets: analysis rows where kept, decoded again where not', async () => {
    const bytes = mixedCapture();
    const s = await session(bytes, { capture: { limits: { maxRowsPerConversation: 100 } } });
    assert.equal(s.summary.packets, 301);
    assert.equal(s.summary.listedPackets, 301);
    const answer = await ask(s, { type: 'packets', from: 95, count: 210 });
    assert.equal(answer.type, 'packets');
    if (answer.type !== 'packets') return;
    assert.equal(answer.total, 301);
    const rows: PacketListRow[] = answer.rows;
    assert.deepEqual(rows.map((r) => r.number), Array.from({ length: 206 }, (_, i) => 96 + i));
    // Kept rows: relative sequence numbers and the conversation.
    const kept = rows.find((r) => r.number === 100)!;
    assert.equal(kept.conversation, 0);
    assert.match(kept.info, /seq \d+ /);
    // Past the row limit: decoded again, absolute sequence numbers, same endpoints.
    const decoded = rows.find((r) => r.number === 150)!;
    assert.equal(decoded.conversation, -1);
    assert.ok([`${CLIENT.ip}:${CLIENT.port}`, `${SERVER.ip}:${SERVER.port}`].includes(decoded.source), decoded.source);
    assert.match(decoded.info, /^\[(P\.|\.)\] seq \d{4,}/);
    assert.ok(decoded.timeMs !== null && decoded.timeMs > 0);
    const arp = rows.find((r) => r.number === 301)!;
    assert.equal(arp.conversation, -1);
    assert.match(arp.protocol + ' ' + arp.info, /ARP|Ethernet|ETHERNET/i);
  });

  it('lists one conversation’s kept rows and pages its ladder', async () => {
    const s = await session(mixedCapture(), { capture: { limits: { maxRowsPerConversation: 100 } } });
    const rows = await ask(s, { type: 'packets', from: 90, count: 50, conversation: 0 });
    assert.equal(rows.type === 'packets' && rows.total, 100);
    assert.equal(rows.type === 'packets' && rows.rows.length, 10);
    const page = await ask(s, { type: 'conversation', index: 0, packet: 75 });
    assert.equal(page.type, 'conversation');
    if (page.type !== 'conversation') return;
    assert.equal(page.view.fromRow, 60);
    assert.equal(page.view.packetRow, 74);
    assert.ok(page.view.ladder!.messages.some((m) => m.frame === 75));
    assert.ok(page.view.facts.some((f) => f.name === 'Not in the ladder'));
  });

  it('caps the packet index and says which packets it cannot show', async () => {
    const s = await session(writePcap(httpExchange().frames), { store: { maxIndexedPackets: 4 } });
    assert.equal(s.summary.packets, 10);
    assert.equal(s.summary.listedPackets, 4);
    const beyond = await ask(s, { type: 'details', packet: 7 });
    assert.match(beyond.type === 'details' ? beyond.details.error ?? '' : '', /past the 4 packets/);
    const rows = await ask(s, { type: 'packets', from: 0, count: 100 });
    assert.equal(rows.type === 'packets' && rows.rows.length, 4);
  });

  it('answers malformed requests without throwing', async () => {
    const s = await session(writePcap(httpExchange().frames));
    assert.equal(await s.handle(null), undefined);
    assert.equal(await s.handle({ type: 'packets' }), undefined, 'no id');
    assert.equal(await s.handle({ type: 'nonsense', id: 3 }), undefined);
    for (const bad of [
      { type: 'packets', id: 1, from: -1, count: 5 },
      { type: 'packets', id: 1, from: 0, count: 1.5 },
      { type: 'packets', id: 1, from: 0, count: 5, conversation: 99 },
      { type: 'conversation', id: 1, index: 99 },
      { type: 'conversation', id: 1, index: '0' },
      { type: 'details', id: 1, packet: 0 },
      { type: 'details', id: 1, packet: 'x' },
    ]) {
      const answer = await s.handle(bad);
      assert.equal(answer?.type, 'failed', JSON.stringify(bad));
    }
    const huge = await ask(s, { type: 'packets', from: 0, count: 1e9 });
    assert.equal(huge.type === 'packets' && huge.rows.length, 10);
  });

  it('summarises a file that is not a capture with its error', async () => {
    const s = await session(new TextEncoder().encode('<script>alert(1)</script> not a capture'));
    assert.match(s.summary.error ?? '', /not a pcap or pcapng file/);
    assert.equal(s.summary.conversations.length, 0);
  });
});
