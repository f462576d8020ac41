// Captures the viewer tests open (the Chromium page test and the code-server end-to-end test), written
// with the engine's test writer: an exchange with events, one full of hostile strings, and a large one.
import { ascii, clientHello, dnsQuery, dnsResponse, frame, TcpFlow, udp, type Timed } from './packets';
import { CLIENT, SERVER, START_US, dnsExchange, tlsExchange } from './scenarios';
import { writePcap, writePcapng } from './writer';

const byTime = (frames: Timed[]): Timed[] => [...frames].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0));

/** An HTTP exchange with a retransmission and a reset, a TLS hello and DNS lookups: 3+ conversations, 2 event kinds. */
export function eventsCapture(): Uint8Array {
  const flow = new TcpFlow(CLIENT, SERVER, { c: 1000, s: 5000 }, START_US);
  flow.handshake(START_US, 20_000);
  const seq = flow.seq.c;
  flow.send(START_US + 21_000, 'c', ascii('GET /orders HTTP/1.1\r\nHost: shop.example.test\r\n\r\n'));
  flow.sendAt(START_US + 250_000, 'c', seq, ascii('GET /orders HTTP/1.1\r\nHost: shop.example.test\r\n\r\n'));
  flow.ack(START_US + 260_000, 's');
  flow.rst(START_US + 300_000, 's');
  return writePcapng([{ interfaces: [{ linkType: 1 }], blocks: byTime([...flow.frames, ...tlsExchange(), ...dnsExchange()]).map((f) => ({ kind: 'epb' as const, frame: f })) }]);
}

export const HOSTILE_SNI = '<script>window.__pwned=1</script>';
export const HOSTILE_TARGET = '/<img/src/onerror=window.__pwned=2>';
export const HOSTILE_HOST = '<svg onload=window.__pwned=3>';
export const HOSTILE_FILE = '<img src=x onerror=window.__pwned=4>.pcap';

/** Strings a hostile capture could carry into the page: SNI, HTTP target and Host, a DNS name. */
export function hostileCapture(): Uint8Array {
  const tls = new TcpFlow({ ip: '192.0.2.10', port: 50010 }, { ip: '203.0.113.9', port: 443 }, { c: 1, s: 2 }, START_US);
  tls.handshake(START_US, 4000);
  tls.send(START_US + 4100, 'c', clientHello(HOSTILE_SNI, ['h2', '<b>alpn</b>']));
  tls.rst(START_US + 9000, 's');
  const http = new TcpFlow({ ip: '192.0.2.10', port: 50011 }, { ip: '198.51.100.7', port: 80 }, { c: 10, s: 20 }, START_US + 10_000);
  http.handshake(START_US + 10_000, 4000);
  http.send(START_US + 14_100, 'c', ascii(`GET ${HOSTILE_TARGET} HTTP/1.1\r\nHost: ${HOSTILE_HOST}\r\n\r\n`));
  http.send(START_US + 16_000, 's', ascii('HTTP/1.1 200 <script>window.__pwned=5</script>\r\nContent-Length: 0\r\n\r\n'));
  const c = '192.0.2.10';
  const r = '192.0.2.53';
  const dns: Timed[] = [
    { tsNs: BigInt(START_US + 20_000) * 1000n, data: frame(c, r, 17, udp(c, r, 40000, 53, dnsQuery(7, '<iframe>.example'))) },
    { tsNs: BigInt(START_US + 21_000) * 1000n, data: frame(r, c, 17, udp(r, c, 53, 40000, dnsResponse(7, '<iframe>.example', [], 3))) },
  ];
  return writePcap(byTime([...tls.frames, ...http.frames, ...dns]));
}

/** 10,000 packets: one long TCP conversation (6,000 packets) and 2,000 DNS lookups (4,000 packets). */
export function bigCapture(): Uint8Array {
  const flow = new TcpFlow(CLIENT, SERVER, { c: 1000, s: 5000 }, START_US);
  flow.handshake(START_US, 1000);
  let t = START_US + 2000;
  while (flow.frames.length < 5999) {
    flow.send((t += 50), 'c', new Uint8Array(100).fill(0x61));
    if (flow.frames.length < 5999) flow.ack((t += 50), 's');
  }
  flow.fin((t += 50), 'c');
  const frames: Timed[] = [...flow.frames];
  const c = '192.0.2.10';
  const r = '192.0.2.53';
  for (let i = 0; i < 2000; i++) {
    const at = START_US + 1000 + i * 150;
    frames.push({ tsNs: BigInt(at) * 1000n, data: frame(c, r, 17, udp(c, r, 20000 + i, 53, dnsQuery(i, `host${i}.example.test`))) });
    frames.push({ tsNs: BigInt(at + 40) * 1000n, data: frame(r, c, 17, udp(r, c, 53, 20000 + i, dnsResponse(i, `host${i}.example.test`, ['203.0.113.5']))) });
  }
  return writePcap(byTime(frames));
}
