// Hostile inputs with a known answer: each malformed structure gives a clear error or warning, keeps what
// was read before it, and never makes the reader wait for (or buffer) bytes a lying length asks for.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeCapture, analyzeCaptureChunks, CaptureReader, parseDns, PacketDecoder, readCaptureInfo } from '../../server/src/capture/index';
import { bytes, ethernet, frame, ipv4, ipv6, tcp, udp } from './packets';
import { dnsExchange, httpExchange, tlsExchange } from './scenarios';
import { writePcap, writePcapng } from './writer';

const good = (): Uint8Array => writePcap(httpExchange().frames);
const setU32 = (file: Uint8Array, offset: number, value: number, little = true): Uint8Array => {
  const copy = file.slice();
  new DataView(copy.buffer).setUint32(offset, value, little);
  return copy;
};

describe('files that are not captures', () => {
  it('names the problem', () => {
    assert.equal(analyzeCapture(new Uint8Array(0)).error, 'empty file: not a capture');
    assert.equal(analyzeCapture(Uint8Array.of(0xd4, 0xc3, 0xb2)).error, 'file too short to be a capture (3 bytes)');
    assert.match(analyzeCapture(new TextEncoder().encode('hello world')).error!, /^not a pcap or pcapng file: it starts with 68 65 6c 6c/);
    const v3 = setU32(good(), 4, 0x00040003);
    assert.equal(analyzeCapture(v3).error, 'unsupported pcap version 3.4 (only 2.x exists)');
  });
});

describe('classic pcap with lying lengths', () => {
  it('stops at a record that claims 4 GB, keeping the packets before it', () => {
    const file = good();
    const secondRecord = 24 + 16 + httpExchange().frames[0]!.data.length;
    const bad = setU32(file, secondRecord + 8, 0xfffffff0);
    const analysis = analyzeCapture(bad);
    assert.equal(analysis.packets, 1);
    assert.equal(analysis.error, `packet record at offset ${secondRecord} (0x${secondRecord.toString(16)}) claims 4294967280 captured bytes, more than the 16777216-byte limit: the file is corrupt`);
  });

  it('does not buffer what a huge (but allowed) record asks for, and reports the truncation', () => {
    const file = good();
    const bad = setU32(file, 24 + 8, 16 * 1024 * 1024);
    const reader = new CaptureReader();
    reader.push(bad);
    const info = reader.end();
    assert.equal(info.packets, 0);
    assert.match(info.error!, /^truncated file: it ends inside a packet record at offset 24 \(0x18\) \(\d+ of 16777232 bytes present\)$/);
  });

  it('reports a file cut in the middle of a record', () => {
    const file = good();
    const analysis = analyzeCapture(file.subarray(0, file.length - 5));
    assert.equal(analysis.packets, 9);
    assert.match(analysis.error!, /^truncated file: it ends inside a packet record at offset \d+ \(0x[0-9a-f]+\) \(\d+ of \d+ bytes present\)$/);
    assert.equal(analysis.conversations[0]!.packets, 9);
  });

  it('warns (once) about records larger than the snapshot length', () => {
    const f = httpExchange().frames[3]!;
    const file = setU32(writePcap([f, f], { snapLength: 262144 }), 16, 40);
    const info = readCaptureInfo(file);
    assert.equal(info.error, null);
    assert.equal(info.warnings.length, 0, 'within the 262144-byte floor libpcap also accepts');
  });
});

describe('pcapng with lying lengths', () => {
  const ng = (): Uint8Array => writePcapng([{ interfaces: [{ linkType: 1 }], blocks: httpExchange().frames.slice(0, 3).map((frame) => ({ kind: 'epb' as const, frame })) }]);
  const idbOffset = 28; // SHB without options

  it('rejects block lengths that are not a multiple of 4, too small, or above the limit', () => {
    assert.match(analyzeCapture(setU32(ng(), idbOffset + 4, 22)).error!, /block at offset 28 \(0x1c\) has an invalid length 22 \(must be a multiple of 4, at least 12\)/);
    assert.match(analyzeCapture(setU32(ng(), idbOffset + 4, 8)).error!, /invalid length 8/);
    assert.match(analyzeCapture(setU32(ng(), idbOffset + 4, 0x7ffffffc)).error!, /claims 2147483644 bytes, more than the 16777216-byte limit: the file is corrupt/);
  });

  it('rejects a block whose trailing length differs', () => {
    const file = ng();
    const idbLength = new DataView(file.buffer).getUint32(idbOffset + 4, true);
    assert.match(analyzeCapture(setU32(file, idbOffset + idbLength - 4, 999)).error!, /trailing length 999 differs from leading length 20/);
  });

  it('rejects a section header with a bad byte-order magic or an unknown major version', () => {
    assert.match(analyzeCapture(setU32(ng(), 8, 0x12345678)).error!, /no valid byte-order magic/);
    const v2 = ng().slice();
    v2[12] = 2;
    assert.match(analyzeCapture(v2).error!, /pcapng version 2\.0; only 1\.x can be read/);
  });

  it('clamps a packet block whose captured length exceeds the block, with a warning', () => {
    const file = ng();
    const epbOffset = idbOffset + 20;
    const analysis = analyzeCapture(setU32(file, epbOffset + 20, 5000));
    assert.equal(analysis.error, null);
    assert.equal(analysis.packets, 3);
    assert.match(analysis.warnings[0]!, /EPB at offset 48 \(0x30\) claims 5000 captured bytes but holds at most \d+; reading \d+/);
  });

  it('stops reading options that run past the block', () => {
    const file = writePcapng([{ interfaces: [{ linkType: 1, name: 'eth0' }], blocks: [] }]);
    const bad = file.slice();
    new DataView(bad.buffer).setUint16(idbOffset + 16 + 2, 400, true); // if_name length
    const info = readCaptureInfo(bad);
    assert.equal(info.error, null);
    assert.equal(info.interfaces[0]!.name, undefined);
    assert.match(info.warnings[0]!, /IDB at offset 28 \(0x1c\): option 2 claims 400 bytes but only \d+ remain in the block/);
  });

  it('survives absurd timestamp resolutions', () => {
    for (const tsresol of [127, 0x80 | 127, 0, 0x80]) {
      const file = writePcapng([{ interfaces: [{ linkType: 1, tsresol }], blocks: [{ kind: 'epb', frame: httpExchange().frames[0]! }] }]);
      const analysis = analyzeCapture(file);
      assert.equal(analysis.error, null);
      assert.equal(analysis.packets, 1);
      assert.ok(Number.isFinite(analysis.durationMs));
    }
  });

  it('honours a smaller block limit', () => {
    const analysis = analyzeCapture(ng(), { reader: { maxBlockBytes: 64 } });
    assert.match(analysis.error!, /more than the 64-byte limit/);
  });
});

describe('hostile packets', () => {
  const decode = (data: Uint8Array) => new PacketDecoder().decode({ number: 1, fileOffset: 0, interfaceId: 0, linkType: 1, tsSec: 0, tsNsec: 0, hasTimestamp: true, capturedLength: data.length, originalLength: data.length, data });
  const c = '192.0.2.1';
  const s = '192.0.2.2';

  it('reports an IPv4 header length below 20 and a total length shorter than the header', () => {
    const packet = ipv4(c, s, 6, new Uint8Array(20));
    const low = packet.slice();
    low[0] = 0x44;
    assert.deepEqual(decode(ethernet(low, 0x0800)).problems, ['IPv4 header length 16 is below 20']);
    const short = packet.slice();
    short[2] = 0;
    short[3] = 10;
    // the header is read as 20 bytes, so nothing is left for TCP
    assert.deepEqual(decode(ethernet(short, 0x0800)).problems, ['IPv4 total length 10 is shorter than its header (20)', 'truncated TCP header']);
  });

  it('reports a TCP data offset below 5 and option lists with bad lengths', () => {
    const segment = tcp(c, s, { srcPort: 1, dstPort: 2, seq: 1, ack: 0, flags: 'S', options: { mss: 1460 } });
    const bad = segment.slice();
    bad[12] = 0x40;
    assert.deepEqual(decode(frame(c, s, 6, bad)).problems, ['TCP data offset 16 is below 20']);
    const zeroLength = segment.slice();
    zeroLength[21] = 0; // MSS option length 0: would loop forever if trusted
    const packet = decode(frame(c, s, 6, zeroLength));
    assert.equal(packet.transport?.protocol, 'TCP');
    assert.equal(packet.transport?.protocol === 'TCP' && packet.transport.options.malformed, true);
  });

  it('stops walking a chain of IPv6 extension headers after 16', () => {
    const hop = { type: 60, body: Uint8Array.of(0, 1, 4, 0, 0, 0, 0) };
    const packet = ipv6('2001:db8::1', '2001:db8::2', 17, udp('2001:db8::1', '2001:db8::2', 1, 2, new Uint8Array(4)), Array(20).fill(hop));
    const decoded = decode(ethernet(packet, 0x86dd));
    assert.deepEqual(decoded.problems, ['more than 16 IPv6 extension headers']);
  });

  it('does not loop on DNS compression pointers that point at themselves', () => {
    const loop = Uint8Array.of(0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1);
    assert.equal(parseDns(loop), undefined);
    // a CNAME answer whose target name is a pointer to itself (offset 31)
    const answerLoop = bytes([0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0], [1, 0x61, 0, 0, 1, 0, 1], [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 1, 0, 2, 0xc0, 31]);
    const message = parseDns(answerLoop)!;
    assert.equal(message.answers[0]!.data, '?');
  });

  it('drops fragments that would build a datagram past 65535 bytes', () => {
    const big = ipv4(c, s, 17, new Uint8Array(1000), { id: 9, fragmentOffset: 65000, moreFragments: false });
    const decoded = decode(ethernet(big, 0x0800));
    assert.match(decoded.problems[0]!, /past the 65535-byte datagram limit/);
  });
});

describe('limits that keep memory bounded', () => {
  it('caps conversations and counts the rest', () => {
    const frames = Array.from({ length: 30 }, (_, i) => ({ tsNs: BigInt(i) * 1000n, data: frame(c(i), '198.51.100.1', 17, udp(c(i), '198.51.100.1', 1000 + i, 53, new Uint8Array(4))) }));
    function c(i: number): string {
      return `192.0.2.${i + 1}`;
    }
    const analysis = analyzeCapture(writePcap(frames), { limits: { maxConversations: 10 } });
    assert.equal(analysis.conversations.length, 10);
    assert.equal(analysis.otherPackets, 20);
    assert.ok(analysis.warnings.includes('more than 10 conversations: later ones are counted as other packets'));
  });

  it('caps packet rows per conversation and keeps counting packets', () => {
    const analysis = analyzeCapture(good(), { limits: { maxRowsPerConversation: 4 } });
    const conv = analysis.conversations[0]!;
    assert.equal(conv.rows.length, 4);
    assert.equal(conv.rowsDropped, 6);
    assert.equal(conv.packets, 10);
  });

  it('caps events and hints over the whole capture, keeping the counts exact', () => {
    const frames = dnsExchange().flatMap((f, i) => Array.from({ length: 40 }, (_, k) => ({ tsNs: f.tsNs + BigInt(i * 40 + k), data: f.data })));
    const analysis = analyzeCapture(writePcap(frames), { limits: { maxEventsTotal: 5, maxHintsTotal: 7 } });
    const kept = analysis.conversations.reduce((n, c) => n + c.events.length, 0);
    const counted = analysis.conversations.reduce((n, c) => n + (c.eventCounts['dns-error'] ?? 0), 0);
    assert.equal(kept, 5);
    assert.equal(counted, 40);
    assert.equal(analysis.conversations.reduce((n, c) => n + c.app.dns.length, 0), 7);
  });

  it('keeps at most 64 kinds of other packets', () => {
    const frames = Array.from({ length: 100 }, (_, i) => ({ tsNs: BigInt(i), data: ethernet(new Uint8Array(4), 0x9000 + i) }));
    const analysis = analyzeCapture(writePcap(frames));
    assert.equal(Object.keys(analysis.otherKinds).length, 65);
    assert.equal(analysis.otherKinds.other, 36);
  });

  it('does not read a TLS hello from a payload cut by the snapshot length', () => {
    const frames = tlsExchange();
    const analysis = analyzeCapture(writePcap(frames, { snapLength: 100 }));
    const conv = analysis.conversations[0]!;
    assert.equal(conv.app.tls, undefined);
    assert.deepEqual(conv.events, []);
  });

  it('reads chunks from an async source and reports a failing source as the error', async () => {
    const file = good();
    async function* source(): AsyncGenerator<Uint8Array> {
      yield file.subarray(0, 100);
      yield file.subarray(100, 400);
      throw new Error('disk on fire');
    }
    const analysis = await analyzeCaptureChunks(source());
    assert.equal(analysis.error, 'cannot read the capture: disk on fire');
    assert.ok(analysis.packets >= 1);
  });
});
