// `wirelens capture`: a capture built here byte by byte (pcap, Ethernet, IPv4, TCP), so the
// expected handshake round trip is known exactly.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeProject, runCli, spawnCli } from './helpers';

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const RST = 0x04;

function tcpFrame(src: [number, number, number, number], dst: [number, number, number, number], sport: number, dport: number, seq: number, ack: number, flags: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const eth = Buffer.alloc(14);
  Buffer.from([0x02, 0, 0, 0, 0, 2]).copy(eth, 0);
  Buffer.from([0x02, 0, 0, 0, 0, 1]).copy(eth, 6);
  eth.writeUInt16BE(0x0800, 12);
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(sport, 0);
  tcp.writeUInt16BE(dport, 2);
  tcp.writeUInt32BE(seq >>> 0, 4);
  tcp.writeUInt32BE(ack >>> 0, 8);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  tcp.writeUInt16BE(65535, 14);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 20 + payload.length, 2);
  ip.writeUInt16BE(0x4000, 6);
  ip[8] = 64;
  ip[9] = 6;
  Buffer.from(src).copy(ip, 12);
  Buffer.from(dst).copy(ip, 16);
  return Buffer.concat([eth, ip, tcp, payload]);
}

function pcap(records: Array<{ ms: number; frame: Buffer }>): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const parts: Uint8Array[] = [header];
  for (const { ms, frame } of records) {
    const rec = Buffer.alloc(16);
    const usec = Math.round(ms * 1000);
    rec.writeUInt32LE(1_700_000_000 + Math.floor(usec / 1e6), 0);
    rec.writeUInt32LE(usec % 1e6, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  }
  return Buffer.concat(parts);
}

const client: [number, number, number, number] = [10, 0, 0, 1];
const server: [number, number, number, number] = [10, 0, 0, 2];
const request = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
const capture = pcap([
  { ms: 0, frame: tcpFrame(client, server, 50000, 80, 1000, 0, SYN) },
  { ms: 30, frame: tcpFrame(server, client, 80, 50000, 5000, 1001, SYN | ACK) },
  { ms: 30.2, frame: tcpFrame(client, server, 50000, 80, 1001, 5001, ACK) },
  { ms: 30.4, frame: tcpFrame(client, server, 50000, 80, 1001, 5001, PSH | ACK, request) },
  { ms: 61, frame: tcpFrame(server, client, 80, 50000, 5001, 1001 + request.length, RST) },
]);

const p = makeProject({ 'handshake.pcap': capture, 'truncated.pcap': capture.subarray(0, capture.length - 10), 'notes.txt': 'not a capture\n' });
after(() => p.cleanup());

describe('wirelens capture', () => {
  it('summarises conversations with the handshake round trip (text)', () => {
    const r = spawnCli(['capture', 'handshake.pcap'], p.dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^handshake\.pcap: pcap \(µs timestamps, little-endian\), 1 interface \(ETHERNET\), 5 packets/);
    assert.match(r.stdout, /#0 TCP HTTP\/1\.1 10\.0\.0\.1:50000 → 10\.0\.0\.2:80 {2}5 packets/);
    // The initial RTT as Wireshark measures it: SYN to the client's ACK (0 → 30.2 ms).
    assert.match(r.stdout, /handshake RTT 30\.2 ms; reset by server/);
    assert.match(r.stdout, /GET \//);
    // Each event links its lesson.
    assert.match(r.stdout, /! packet 5 rst \(server\): .*closing-connections(\.md|\.html)/);
  });

  it('prints the JSON summary', async () => {
    const r = await runCli(['capture', 'handshake.pcap', '--format', 'json'], p.dir);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { packets: number; conversations: Array<{ client: string; server: string; transport: string; packets: number; handshakeRttMs: number | null }> };
    assert.equal(summary.packets, 5);
    assert.equal(summary.conversations.length, 1);
    const [c] = summary.conversations;
    assert.deepEqual([c.client, c.server, c.transport, c.packets], ['10.0.0.1:50000', '10.0.0.2:80', 'TCP', 5]);
    assert.ok(c.handshakeRttMs !== null && Math.abs(c.handshakeRttMs - 30.2) < 0.001, String(c.handshakeRttMs));
  });

  it('exits 1 on a capture cut short, still summarising what was read', async () => {
    const r = await runCli(['capture', 'truncated.pcap'], p.dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /4 packets/);
    assert.match(r.stderr, /truncated\.pcap: reading stopped early/);
  });

  it('exits 2 on a file that is not a capture, a missing file or a bad format', async () => {
    for (const [args, message] of [
      [['capture', 'notes.txt'], /notes\.txt: not a capture wirelens can read/],
      [['capture', 'missing.pcap'], /no such file: missing\.pcap/],
      [['capture', 'handshake.pcap', '--format', 'sarif'], /--format must be one of text, json/],
      [['capture'], /capture takes one \.pcap or \.pcapng file/],
    ] as Array<[string[], RegExp]>) {
      const r = await runCli(args, p.dir);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});
