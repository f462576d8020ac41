// Per-packet details for the viewer: layers, fields and the byte ranges they cover.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureReader, packetDetails, type CaptureRecord, type DetailLayer } from '../../server/src/capture/index';
import { frame, icmp, ipv4 } from './packets';
import { dnsExchange, httpExchange, tlsExchange } from './scenarios';
import { writePcap } from './writer';

function layersOf(frames: Array<{ tsNs: bigint; data: Uint8Array }>, index: number): DetailLayer[] {
  const records: CaptureRecord[] = [];
  const reader = new CaptureReader({ onRecord: (r) => records.push({ ...r, data: r.data.slice() }) });
  reader.push(writePcap(frames));
  reader.end();
  return packetDetails(records[index]!);
}

const field = (layer: DetailLayer | undefined, name: string) => layer?.fields.find((f) => f.name === name);

describe('packet details', () => {
  it('lists Ethernet, IPv4, TCP and HTTP with byte ranges', () => {
    const frames = httpExchange().frames;
    const layers = layersOf(frames, 3);
    assert.deepEqual(layers.map((l) => [l.name, l.start, l.end]), [
      ['Frame 4', 0, frames[3]!.data.length],
      ['ETHERNET', 0, 14],
      ['Internet Protocol version 4', 14, 34],
      ['Transmission Control Protocol', 34, 54],
      ['Hypertext Transfer Protocol', 54, frames[3]!.data.length],
    ]);
    assert.deepEqual(field(layers[2], 'Source'), { name: 'Source', value: '192.0.2.10', start: 26, end: 30 });
    assert.deepEqual(field(layers[3], 'Destination port'), { name: 'Destination port', value: '80', start: 36, end: 38 });
    assert.equal(field(layers[3], 'Flags')!.value, 'PSH, ACK');
    assert.equal(field(layers[4], 'Start line')!.value, 'GET /index.html');
    assert.equal(field(layers[4], 'Host')!.value, 'example.test');
    assert.equal(field(layers[1], 'Source')!.value, '00:00:00:00:00:01');
  });

  it('shows SYN options, DNS answers and TLS records', () => {
    const syn = layersOf(httpExchange().frames, 0);
    assert.equal(field(syn[3], 'Options')!.value, 'MSS 1460, window scale 7 (×128), SACK permitted, timestamps 1/0');
    const dns = layersOf(dnsExchange(), 1);
    assert.equal(dns[4]!.name, 'Domain Name System');
    assert.deepEqual(dns[4]!.fields.filter((f) => f.name === 'Answer').map((f) => f.value), ['api.example.test A 203.0.113.5 (TTL 300)', 'api.example.test A 203.0.113.6 (TTL 300)']);
    const tls = layersOf(tlsExchange(), 4);
    assert.deepEqual(tls[4]!.fields.map((f) => f.value), ['ServerHello', 'ChangeCipherSpec', 'Application Data']);
  });

  it('describes ICMP errors and lists problems of malformed packets', () => {
    const quoted = ipv4('192.0.2.10', '198.51.100.7', 17, new Uint8Array([0x9c, 0x40, 0x00, 0x35, 0, 8, 0, 0]));
    const error = frame('198.51.100.7', '192.0.2.10', 1, icmp(3, 3, [0, 0, 0, 0], quoted));
    const layers = layersOf([{ tsNs: 1n, data: error }], 0);
    assert.equal(field(layers[3], 'Type')!.value, '3 (port unreachable)');
    assert.equal(field(layers[3], 'About')!.value, '192.0.2.10:40000 → 198.51.100.7:53 (UDP)');
    const bad = frame('192.0.2.1', '192.0.2.2', 6, new Uint8Array(8));
    const broken = layersOf([{ tsNs: 1n, data: bad }], 0);
    assert.deepEqual(broken[broken.length - 1], { name: 'Problems', start: 0, end: 0, fields: [{ name: 'problem', value: 'truncated TCP header' }] });
  });
});
