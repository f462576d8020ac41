// The reader against captures written by the test writer: classic pcap (µs/ns, both byte orders), pcapng
// (both byte orders, several sections, timestamp resolutions and offsets, side blocks), every link type,
// and chunk boundaries anywhere.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeCapture, CaptureReader, readCaptureInfo, type CaptureRecord } from '../../server/src/capture/index';
import { ascii, bytes, ethernet, frame, ipv4, ipv6, tcp, udp } from './packets';
import { httpExchange, START_US } from './scenarios';
import { comment, writePcap, writePcapng, type Frame } from './writer';

function records(file: Uint8Array, chunk = file.length): { list: Array<Omit<CaptureRecord, 'data'> & { data: number[] }>; info: ReturnType<CaptureReader['end']> } {
  const list: Array<Omit<CaptureRecord, 'data'> & { data: number[] }> = [];
  const reader = new CaptureReader({ onRecord: (r) => list.push({ ...r, data: [...r.data] }) });
  for (let at = 0; at < file.length; at += chunk) reader.push(file.subarray(at, at + chunk));
  return { list, info: reader.end() };
}

const frames = (): Frame[] => httpExchange().frames.map((f) => ({ tsNs: f.tsNs + 123n, data: f.data }));

describe('classic pcap', () => {
  for (const order of ['little', 'big'] as const) {
    for (const precision of ['us', 'ns'] as const) {
      it(`reads ${precision} timestamps in ${order}-endian files`, () => {
        const input = frames();
        const file = writePcap(input, { order, precision });
        const { list, info } = records(file);
        assert.equal(info.error, null);
        assert.equal(info.format, 'pcap');
        assert.equal(info.timestampPrecision, precision);
        assert.equal(info.sections[0]!.byteOrder, order);
        assert.equal(info.interfaces[0]!.linkTypeName, 'ETHERNET');
        assert.equal(list.length, input.length);
        for (const [i, r] of list.entries()) {
          const expectedNs = precision === 'ns' ? input[i]!.tsNs : (input[i]!.tsNs / 1000n) * 1000n;
          assert.equal(BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNsec), expectedNs, `frame ${i + 1} time`);
          assert.deepEqual(r.data, [...input[i]!.data]);
          assert.equal(r.number, i + 1);
        }
      });
    }
  }

  it('gives the same records whatever the chunk size (1 byte to whole file)', () => {
    const file = writePcap(frames(), { order: 'big', precision: 'ns' });
    const whole = records(file).list;
    for (const chunk of [1, 2, 3, 7, 16, 17, 64, 1000]) assert.deepEqual(records(file, chunk).list, whole, `chunk ${chunk}`);
  });

  it('keeps the original length of packets cut by the snapshot length', () => {
    const file = writePcap(frames(), { snapLength: 60 });
    const { list } = records(file);
    const request = list[3]!;
    assert.equal(request.capturedLength, 60);
    assert.ok(request.originalLength > 60);
    const analysis = analyzeCapture(file);
    const conv = analysis.conversations[0]!;
    // sequence analysis uses the IP lengths, not the captured bytes: no false gaps
    assert.deepEqual(conv.eventCounts, {});
    assert.equal(conv.tcp!.client.payloadBytes, ascii('GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: test\r\n\r\n').length);
  });
});

describe('pcapng', () => {
  for (const order of ['little', 'big'] as const) {
    it(`reads a ${order}-endian section with comments, NRB, ISB, SPB and custom blocks`, () => {
      const input = frames();
      const file = writePcapng([
        {
          order,
          hardware: 'test rig',
          os: 'Linux',
          application: 'wirelens tests',
          comments: ['first section'],
          interfaces: [{ linkType: 1, name: 'eth0', snapLength: 0, tsresol: 9, comments: ['nanosecond interface'] }],
          blocks: [
            { kind: 'nrb', ipv4: [['192.0.2.10', ['client.example.test']], ['198.51.100.7', ['server.example.test', 'www.example.test']]], comments: ['names'] },
            ...input.slice(0, 3).map((f) => ({ kind: 'epb' as const, frame: { ...f, comments: ['handshake'] } })),
            { kind: 'custom', pen: 32473, copyable: true, data: ascii('vendor data') },
            { kind: 'raw', type: 0x00000099, body: ascii('unknown block') },
            { kind: 'raw', type: 0x80000001, body: ascii('local block') },
            ...input.slice(3).map((f) => ({ kind: 'epb' as const, frame: f })),
            { kind: 'spb', data: input[0]!.data },
            { kind: 'isb', interfaceId: 0, tsUnits: input[9]!.tsNs, received: 11n, dropped: 2n, comments: ['stats'] },
          ],
        },
      ]);
      const { list, info } = records(file, 13);
      assert.equal(info.error, null);
      assert.deepEqual(info.warnings, []);
      assert.equal(info.sections[0]!.byteOrder, order);
      assert.equal(info.sections[0]!.hardware, 'test rig');
      assert.equal(info.sections[0]!.os, 'Linux');
      assert.equal(info.sections[0]!.userApplication, 'wirelens tests');
      assert.deepEqual(info.sections[0]!.comments, ['first section']);
      assert.equal(info.interfaces[0]!.name, 'eth0');
      assert.equal(info.interfaces[0]!.tsResolution, '1e9');
      assert.deepEqual(info.interfaces[0]!.comments, ['nanosecond interface']);
      assert.deepEqual(info.names, [
        { address: '192.0.2.10', names: ['client.example.test'] },
        { address: '198.51.100.7', names: ['server.example.test', 'www.example.test'] },
      ]);
      assert.deepEqual(info.blockCounts, { SHB: 1, IDB: 1, NRB: 1, EPB: 10, CB: 1, unknown: 1, local: 1, SPB: 1, ISB: 1 });
      assert.deepEqual(info.customBlocks, [{ pen: 32473, copyable: true, length: 28 }]);
      assert.equal(info.interfaces[0]!.statistics?.received, 11);
      assert.equal(info.interfaces[0]!.statistics?.dropped, 2);
      assert.equal(list.length, 11);
      assert.deepEqual(list[0]!.comments, ['handshake']);
      for (const [i, f] of input.entries()) {
        assert.equal(BigInt(list[i]!.tsSec) * 1_000_000_000n + BigInt(list[i]!.tsNsec), f.tsNs, `frame ${i + 1}`);
      }
      assert.equal(list[10]!.hasTimestamp, false);
      assert.deepEqual(list[10]!.data, [...input[0]!.data]);
    });
  }

  it('reads several sections of different byte orders, each with its own interfaces', () => {
    const input = frames();
    const file = writePcapng([
      { order: 'little', interfaces: [{ linkType: 1, tsresol: 6 }], blocks: input.slice(0, 4).map((f) => ({ kind: 'epb' as const, frame: f })) },
      { order: 'big', interfaces: [{ linkType: 101 }, { linkType: 1, tsresol: 0x80 | 20 }], blocks: input.slice(4).map((f) => ({ kind: 'epb' as const, frame: { ...f, interfaceId: 1 } })) },
    ]);
    const { list, info } = records(file, 5);
    assert.equal(info.error, null);
    assert.deepEqual(info.sections.map((s) => s.byteOrder), ['little', 'big']);
    assert.deepEqual(info.interfaces.map((i) => [i.id, i.section, i.localId, i.linkTypeName, i.tsResolution]), [
      [0, 0, 0, 'ETHERNET', '1e6'],
      [1, 1, 0, 'RAW', '1e6'],
      [2, 1, 1, 'ETHERNET', '2^20'],
    ]);
    assert.deepEqual(list.map((r) => r.interfaceId), [0, 0, 0, 0, 2, 2, 2, 2, 2, 2]);
    // 2^-20 s resolution: within one unit (~954 ns) of the written time
    for (const [i, r] of list.entries()) {
      const ns = BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsNsec);
      const diff = ns - input[i]!.tsNs;
      assert.ok(diff <= 0n && diff > -1000n, `frame ${i + 1}: ${diff} ns off`);
    }
    const analysis = analyzeCapture(file);
    assert.equal(analysis.conversations.length, 1);
    assert.equal(analysis.conversations[0]!.packets, 10);
  });

  it('applies if_tsoffset (seconds added to every timestamp)', () => {
    const input: Frame[] = [{ tsNs: 5_000_000_000n + 1000n, data: frames()[0]!.data }];
    const file = writePcapng([{ order: 'little', interfaces: [{ linkType: 1, tsoffset: 1_600_000_000n }], blocks: [{ kind: 'epb', frame: { ...input[0]!, tsNs: 1_600_000_005_000_001_000n } }] }]);
    const { list } = records(file);
    assert.equal(list[0]!.tsSec, 1_600_000_005);
    assert.equal(list[0]!.tsNsec, 1000);
  });

  it('warns about packets on an interface the section does not describe and keeps counting', () => {
    const f = frames()[0]!;
    const file = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [{ kind: 'epb', frame: { ...f, interfaceId: 3 } }, { kind: 'epb', frame: f }] }]);
    const { list, info } = records(file);
    assert.equal(list.length, 2);
    assert.equal(list[0]!.interfaceId, -1);
    assert.match(info.warnings[0]!, /interface 3/);
  });
});

describe('link types', () => {
  const c = '192.0.2.1';
  const s = '198.51.100.2';
  const segment = tcp(c, s, { srcPort: 40000, dstPort: 443, seq: 1, ack: 0, flags: 'S', options: { mss: 1460 } });
  const v4 = ipv4(c, s, 6, segment);
  const v6src = '2001:db8::1';
  const v6dst = '2001:db8::2';
  const v6 = ipv6(v6src, v6dst, 6, tcp(v6src, v6dst, { srcPort: 40000, dstPort: 443, seq: 1, ack: 0, flags: 'S' }));
  const le32 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff];
  const be32 = (v: number): number[] => [(v >> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  const sll = (proto: number, packet: Uint8Array): Uint8Array => bytes([0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, proto >> 8, proto & 0xff], packet);
  const sll2 = (proto: number, packet: Uint8Array): Uint8Array => bytes([proto >> 8, proto & 0xff, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0], packet);
  const cases: Array<[string, number, Uint8Array, 4 | 6]> = [
    ['ETHERNET', 1, ethernet(v4, 0x0800), 4],
    ['ETHERNET with two VLAN tags', 1, ethernet(v6, 0x86dd, [10, 20]), 6],
    ['NULL, little-endian AF_INET', 0, bytes(le32(2), v4), 4],
    ['NULL, big-endian AF_INET6 (macOS 30)', 0, bytes(be32(30), v6), 6],
    ['NULL, AF_INET6 24 (NetBSD)', 0, bytes(le32(24), v6), 6],
    ['LOOP', 108, bytes(be32(28), v6), 6],
    ['RAW IPv4', 101, v4, 4],
    ['RAW IPv6', 101, v6, 6],
    ['IPV4', 228, v4, 4],
    ['IPV6', 229, v6, 6],
    ['LINUX_SLL', 113, sll(0x0800, v4), 4],
    ['LINUX_SLL2', 276, sll2(0x86dd, v6), 6],
  ];
  for (const [name, linkType, data, version] of cases) {
    it(`decodes ${name}`, () => {
      const file = writePcap([{ tsNs: 1n, data }], { linkType });
      const analysis = analyzeCapture(file);
      assert.equal(analysis.error, null);
      assert.equal(analysis.conversations.length, 1, JSON.stringify(analysis.otherKinds));
      const conv = analysis.conversations[0]!;
      assert.equal(conv.ipVersion, version);
      assert.equal(conv.transport, 'TCP');
      assert.equal(conv.serverPort, 443);
      assert.equal(conv.tcp!.state, 'syn-sent');
    });
  }

  it('counts ARP and unknown EtherTypes as other packets', () => {
    const arp = ethernet(bytes([0, 1, 8, 0, 6, 4, 0, 1], [0, 0, 0, 0, 0, 2, 192, 0, 2, 1], [0, 0, 0, 0, 0, 0, 192, 0, 2, 2]), 0x0806);
    const lldp = ethernet(bytes([1, 2, 3]), 0x88cc);
    const analysis = analyzeCapture(writePcap([{ tsNs: 1n, data: arp }, { tsNs: 2n, data: lldp }]));
    assert.equal(analysis.otherPackets, 2);
    assert.deepEqual(analysis.otherKinds, { ARP: 1, 'EtherType 0x88cc (not decoded)': 1 });
  });

  it('trims Ethernet padding using the IP total length', () => {
    const small = frame(c, s, 17, udp(c, s, 1000, 2000, ascii('hi')));
    const padded = bytes(small, new Array(20).fill(0));
    const analysis = analyzeCapture(writePcap([{ tsNs: 1n, data: padded }]));
    assert.equal(analysis.conversations[0]!.rows[0]!.payloadLength, 2);
  });
});

describe('file facts without decoding', () => {
  it('reads block counts of a capture held in memory', () => {
    const file = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [{ kind: 'epb', frame: { tsNs: BigInt(START_US) * 1000n, data: frames()[0]!.data } }] }]);
    const info = readCaptureInfo(file);
    assert.deepEqual(info.blockCounts, { SHB: 1, IDB: 1, EPB: 1 });
    assert.equal(info.packets, 1);
  });
  it('passes the comment helper through', () => {
    assert.equal(comment('x').code, 1);
  });
});
