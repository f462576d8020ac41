// Seed inputs for the fuzzer: valid captures of every format and byte order with varied packets, plus the
// conformance files. Mutations start from these so they reach deep into the decoders.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ascii, bytes, dnsQuery, dnsResponse, ethernet, frame, icmp, ipv4, ipv6, udp, type Timed } from './packets';
import { dnsExchange, httpExchange, START_US, tlsExchange } from './scenarios';
import { writePcap, writePcapng } from './writer';

function sorted(frames: Timed[]): Timed[] {
  return [...frames].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0));
}

function oddPackets(): Timed[] {
  const c = '192.0.2.10';
  const s = '198.51.100.7';
  const v6a = '2001:db8::1';
  const v6b = '2001:db8::2';
  const big = udp(s, c, 53, 40000, dnsResponse(9, 'big.example.test', Array.from({ length: 120 }, (_, i) => `203.0.113.${i}`)));
  const t = (i: number): bigint => BigInt(START_US + i * 100) * 1000n;
  return [
    { tsNs: t(0), data: ethernet(ipv4(s, c, 17, big.subarray(0, 800), { id: 5, moreFragments: true }), 0x0800) },
    { tsNs: t(1), data: ethernet(ipv4(s, c, 17, big.subarray(800), { id: 5, fragmentOffset: 800 }), 0x0800) },
    { tsNs: t(2), data: frame(c, s, 1, icmp(8, 0, [0, 1, 0, 1], ascii('ping'))) },
    { tsNs: t(3), data: frame(s, c, 1, icmp(3, 4, [0, 0, 5, 0], ipv4(c, s, 6, new Uint8Array(8)))) },
    { tsNs: t(4), data: frame(v6a, v6b, 58, icmp(2, 0, [0, 0, 5, 0], ipv6(v6b, v6a, 17, new Uint8Array(8)))) },
    { tsNs: t(5), data: ethernet(ipv6(v6a, v6b, 17, udp(v6a, v6b, 1, 53, dnsQuery(1, 'v6.example.test', 28)), [{ type: 0, body: Uint8Array.of(0, 1, 4, 0, 0, 0, 0) }, { type: 60, body: Uint8Array.of(0, 1, 4, 0, 0, 0, 0) }]), 0x86dd, [7]) },
    { tsNs: t(6), data: ethernet(bytes([0, 1, 8, 0, 6, 4, 0, 1], new Array(20).fill(1)), 0x0806) },
  ];
}

export function fuzzCorpus(): Uint8Array[] {
  const mixed = sorted([...httpExchange().frames, ...tlsExchange(), ...dnsExchange(), ...oddPackets()]);
  const corpus: Uint8Array[] = [];
  for (const order of ['little', 'big'] as const) {
    corpus.push(writePcap(mixed, { order, precision: 'us' }));
    corpus.push(writePcap(mixed, { order, precision: 'ns', snapLength: 80 }));
    corpus.push(
      writePcapng([
        {
          order,
          comments: ['fuzz'],
          interfaces: [{ linkType: 1, tsresol: 9, name: 'eth0' }, { linkType: 101 }],
          blocks: [
            { kind: 'nrb', ipv4: [['192.0.2.10', ['a.example.test']]] },
            ...mixed.map((f) => ({ kind: 'epb' as const, frame: { ...f, comments: ['c'] } })),
            { kind: 'spb', data: mixed[0]!.data },
            { kind: 'isb', interfaceId: 0, tsUnits: 1n, received: 3n },
            { kind: 'custom', pen: 1, copyable: true, data: ascii('x') },
          ],
        },
        { order: order === 'little' ? 'big' : 'little', interfaces: [{ linkType: 1, tsresol: 0x80 | 30 }], blocks: mixed.slice(0, 5).map((f) => ({ kind: 'epb' as const, frame: f })) },
      ]),
    );
  }
  // one packet per file: mutations of these hit the packet decoders rather than the file framing
  for (const f of oddPackets().slice(2)) corpus.push(writePcap([f]));
  corpus.push(writePcap([httpExchange().frames[3]!]), writePcap([tlsExchange()[3]!]));
  const suite = path.join(__dirname, 'fixtures', 'pcapng-test-suite');
  for (const order of ['output_le', 'output_be']) {
    for (const group of readdirSync(path.join(suite, order))) {
      for (const name of readdirSync(path.join(suite, order, group)).filter((n) => n.endsWith('.pcapng'))) corpus.push(readFileSync(path.join(suite, order, group, name)));
    }
  }
  return corpus;
}
