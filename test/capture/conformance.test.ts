// pcapng conformance: every file of hadrielk/pcapng-test-generator (MIT, copied to fixtures/pcapng-test-suite
// with its licence), little- and big-endian. Each file's .txt lists its blocks; the test checks the reader
// sees exactly that sequence, the packets and interfaces it implies, and the comments the files carry.
// Further facts (option values, names, statistics) come from the generator's test scripts (tests/testNNN.lua).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeCapture, CaptureReader, type BlockInfo, type CaptureFileInfo, type CaptureRecord } from '../../server/src/capture/index';

const SUITE = path.join(__dirname, 'fixtures', 'pcapng-test-suite');

interface Described {
  description: string;
  counts: Record<string, number>;
  sequence: string[];
}

function readDescription(file: string): Described {
  const text = readFileSync(file, 'utf8');
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^\t(\w+): (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return {
    description: /^Description: (.*)$/m.exec(text)![1]!,
    counts,
    sequence: /^Block sequence: (.*)$/m.exec(text)![1]!.split(', '),
  };
}

interface Read {
  info: CaptureFileInfo;
  blocks: BlockInfo[];
  packets: Array<Omit<CaptureRecord, 'data'>>;
}

function read(file: string, chunk: number): Read {
  const bytes = readFileSync(file);
  const blocks: BlockInfo[] = [];
  const packets: Array<Omit<CaptureRecord, 'data'>> = [];
  const reader = new CaptureReader({ onBlock: (b) => blocks.push(b), onRecord: ({ data: _data, ...rest }) => packets.push(rest) });
  for (let at = 0; at < bytes.length; at += chunk) reader.push(bytes.subarray(at, at + chunk));
  return { info: reader.end(), blocks, packets };
}

const files: Array<{ order: 'le' | 'be'; group: string; name: string }> = [];
for (const order of ['le', 'be'] as const) {
  for (const group of readdirSync(path.join(SUITE, `output_${order}`))) {
    for (const name of readdirSync(path.join(SUITE, `output_${order}`, group)).filter((f) => f.endsWith('.pcapng')).sort()) files.push({ order, group, name: name.replace('.pcapng', '') });
  }
}

const base = (order: 'le' | 'be', group: string, name: string): string => path.join(SUITE, `output_${order}`, group, name);
const readOne = (order: 'le' | 'be', name: string): Read => {
  const f = files.find((x) => x.order === order && x.name === name)!;
  return read(`${base(order, f.group, name)}.pcapng`, 4096);
};
// EPB timestamps in the generator: UInt64(0x64ca47aa, 0x0004c397) microseconds (low word first).
const T0_UNITS = 0x0004c397n * 2n ** 32n + 0x64ca47aan;
const T0_SEC = Number(T0_UNITS / 1_000_000n);
const T0_NSEC = Number(T0_UNITS % 1_000_000n) * 1000;

describe('pcapng conformance suite', () => {
  it('has all 24 files in both byte orders', () => {
    assert.equal(files.filter((f) => f.order === 'le').length, 24);
    assert.equal(files.filter((f) => f.order === 'be').length, 24);
  });

  for (const { order, group, name } of files) {
    it(`${order} ${group}/${name}: blocks, packets, interfaces and comments as its .txt describes`, () => {
      const described = readDescription(`${base(order, group, name)}.txt`);
      // read once in one piece and once in 3-byte chunks: same result
      const whole = read(`${base(order, group, name)}.pcapng`, 1 << 20);
      const chunked = read(`${base(order, group, name)}.pcapng`, 3);
      assert.deepEqual(chunked, whole);
      const { info, blocks, packets } = whole;
      assert.equal(info.error, null, described.description);
      assert.deepEqual(info.warnings, []);
      assert.equal(info.format, 'pcapng');
      assert.deepEqual(blocks.map((b) => b.kind), described.sequence);
      const counts: Record<string, number> = {};
      for (const b of blocks) counts[b.kind] = (counts[b.kind] ?? 0) + 1;
      assert.deepEqual(counts, described.counts);
      assert.deepEqual(info.blockCounts, described.counts);
      assert.equal(packets.length, (described.counts.EPB ?? 0) + (described.counts.SPB ?? 0));
      assert.equal(info.packets, packets.length);
      assert.equal(info.interfaces.length, described.counts.IDB ?? 0);
      assert.equal(info.sections.length, described.counts.SHB);
      // every section header names the writer and carries the test name as its comment
      for (const section of info.sections) {
        assert.equal(section.hardware, 'Apple MBP');
        assert.equal(section.os, 'OS-X 10.10.5');
        assert.equal(section.userApplication, 'pcap_writer.lua');
        assert.ok(section.comments.some((c) => c.startsWith(name)), `${name} section comment: ${JSON.stringify(section.comments)}`);
      }
      // no packet refers to a missing interface, and its link type is the interface's
      for (const p of packets) {
        assert.ok(p.interfaceId >= 0);
        assert.equal(p.linkType, info.interfaces[p.interfaceId]!.linkType);
        assert.ok(p.capturedLength <= p.originalLength);
      }
      // the packets decode: DHCP over Ethernet (frames 1-4 of the generator input) or Dropbox LAN sync over NULL
      const analysis = analyzeCapture(readFileSync(`${base(order, group, name)}.pcapng`));
      assert.equal(analysis.malformedPackets, 0);
      assert.equal(analysis.otherPackets, 0);
      const seen = new Set(analysis.conversations.map((c) => `${c.client} ${c.server}`));
      for (const s of seen) assert.ok(['0.0.0.0:68 255.255.255.255:67', '192.168.0.1:67 192.168.0.10:68', '192.168.1.139:17500 255.255.255.255:17500'].includes(s), s);
    });
  }

  for (const order of ['le', 'be'] as const) {
    it(`${order}: packet lengths and timestamps (test001, test004, test012)`, () => {
      const t1 = readOne(order, 'test001');
      assert.deepEqual(t1.packets.map((p) => [p.capturedLength, p.originalLength, p.tsSec]), [[314, 314, 0], [342, 342, 0], [314, 314, 0], [342, 342, 0]]);
      assert.equal(t1.info.interfaces[0]!.name, 'silly ethernet interface');
      const t4 = readOne(order, 'test004');
      assert.deepEqual(t4.info.interfaces.map((i) => [i.name, i.snapLength]), [['eth0', 96], ['en1', 128]]);
      assert.deepEqual(t4.packets.map((p) => [p.interfaceId, p.capturedLength, p.originalLength]), [[0, 96, 314], [1, 128, 342], [0, 96, 314], [1, 128, 342]]);
      assert.deepEqual(t4.packets.map((p) => [p.tsSec, p.tsNsec]), [0, 1, 2, 3].map((i) => [T0_SEC, T0_NSEC + i * 1_000_000]));
      const t12 = readOne(order, 'test012');
      // SPB captured length = min(original, IDB snaplen 315)
      assert.deepEqual(t12.packets.map((p) => [p.hasTimestamp, p.capturedLength, p.originalLength]), [[false, 314, 314], [false, 315, 342], [true, 314, 314], [true, 315, 342]]);
    });

    it(`${order}: interface options (test008)`, () => {
      const { info, packets } = readOne(order, 'test008');
      const [eth, en1] = info.interfaces;
      assert.equal(eth!.name, 'eth-_0 foo');
      assert.deepEqual(eth!.comments, ['test008, and more\nfoo\r\nbar']);
      assert.equal(eth!.description, 'silly ethernet interface');
      assert.deepEqual(eth!.ipv4Addresses, ['10.1.2.3/255.255.255.0']);
      assert.deepEqual(eth!.ipv6Addresses, ['2100:db8::1a2b/64']);
      // The generator meant 00:01:02:03:04:05, but its Struct.fromhex stopped at the first space: the file
      // holds a 1-byte if_MACaddr. A MAC needs 6 bytes, so none is reported rather than a made-up one.
      assert.equal(eth!.macAddress, undefined);
      assert.equal(eth!.speedBps, 1_000_000_000);
      assert.equal(eth!.tsResolution, '1e9');
      assert.equal(eth!.filter, 'tcp port 23 and host 192.0.2.5');
      assert.equal(eth!.os, 'Microsoft Windows for Workgroups 3.11b\npatch 42');
      assert.equal(eth!.fcsLength, 0);
      assert.equal(eth!.tsOffsetSec, 0);
      assert.equal(en1!.name, 'en1');
      assert.equal(en1!.speedBps, 100_000_000);
      // The script says 2001:0db8:85a3:…; its IPv6 packer wrote 0000 for the first group, and the file is what counts.
      assert.deepEqual(en1!.ipv6Addresses, ['0:db8:85a3:8d3:1319:8a2e:370:7344/64']);
      assert.equal(en1!.os, 'Novell NetWare 4.11\nbut not using IPX');
      // nanosecond resolution: the same counts read as nanoseconds
      assert.equal(BigInt(packets[1]!.tsSec) * 1_000_000_000n + BigInt(packets[1]!.tsNsec), T0_UNITS + 1000n);
    });

    it(`${order}: packet options (test009)`, () => {
      const { packets } = readOne(order, 'test009');
      assert.deepEqual(packets.map((p) => [p.comments, p.flags, p.dropCount]), [
        [['test009-1'], 0, 0],
        [['test009-2'], 0x48000000, 12345],
      ]);
    });

    it(`${order}: name resolution (test015, test100)`, () => {
      const t15 = readOne(order, 'test015');
      assert.deepEqual(t15.info.names, [
        { address: '192.168.1.2', names: ['example.com'] },
        { address: '192.168.3.4', names: ['example.net'] },
        { address: '10.1.2.3', names: ['example.org'] },
      ]);
      assert.deepEqual(t15.blocks.map((b) => b.comments), [['test015'], ['test015 IDB'], ['test015 NRB']]);
      const t100 = readOne(order, 'test100');
      assert.ok(t100.info.names.some((n) => n.address === 'fc01:dead::beef' && n.names[0] === 'example.com'));
      assert.equal(t100.info.names.length, 6 + 3 + 5); // records of known types in its three non-empty NRBs
    });

    it(`${order}: interface statistics (test013, test101)`, () => {
      const t13 = readOne(order, 'test013');
      assert.equal(t13.info.statistics[0]!.dropped, 10);
      assert.equal(t13.info.statistics[0]!.startSec, T0_SEC);
      const t101 = readOne(order, 'test101');
      assert.equal(t101.info.statistics.length, 6);
      const full = t101.info.statistics.find((s) => s.comments.includes('test101 ISB-0'))!;
      assert.deepEqual([full.received, full.dropped, full.filterAccepted, full.osDropped, full.delivered], [100, 1, 9, 42, 6]);
    });

    it(`${order}: custom blocks (test017)`, () => {
      const { info } = readOne(order, 'test017');
      assert.deepEqual(info.customBlocks.map((b) => [b.pen, b.copyable]), [[32473, true], [32473, false], [36724, true], [36724, false]]);
    });

    it(`${order}: sections with their own interfaces and byte orders (test200, test202)`, () => {
      const t200 = readOne(order, 'test200');
      assert.deepEqual(t200.info.interfaces.map((i) => [i.section, i.localId, i.linkTypeName, i.snapLength]), [[0, 0, 'ETHERNET', 96], [1, 0, 'ETHERNET', 0], [2, 0, 'NULL', 128]]);
      const t202 = readOne(order, 'test202');
      const [a, b] = order === 'le' ? ['little', 'big'] : ['big', 'little'];
      assert.deepEqual(t202.info.sections.map((s) => s.byteOrder), [a, b, a]);
      assert.deepEqual(t202.info.sections.map((s) => s.comments), [['test202 SHB-0'], ['test202 SHB-1'], ['test202 SHB-2']]);
      assert.deepEqual(t202.packets.map((p) => p.interfaceId), [0, 0, 1, 2, 2, 2, 2, 4]);
      const comments = t202.blocks.flatMap((bl) => bl.comments);
      for (const c of ['test202 empty NRB', 'test202 NRB', 'test202 ISB-2', 'test202 ISB-0']) assert.ok(comments.includes(c), c);
    });
  }

  it('gives the same packets and analysis for the little- and big-endian files', () => {
    for (const { group, name } of files.filter((f) => f.order === 'le')) {
      const le = analyzeCapture(readFileSync(`${base('le', group, name)}.pcapng`));
      const be = analyzeCapture(readFileSync(`${base('be', group, name)}.pcapng`));
      assert.deepEqual(be.conversations, le.conversations, name);
    }
  });
});
