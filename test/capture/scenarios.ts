// Synthetic exchanges shared by the capture tests. Addresses are RFC 5737 / RFC 3849 documentation ranges.

import { ascii, clientHello, dnsQuery, dnsResponse, frame, serverHello, TcpFlow, udp, type Timed } from './packets';

export const CLIENT = { ip: '192.0.2.10', port: 50000 };
export const SERVER = { ip: '198.51.100.7', port: 80 };
export const START_US = 1_700_000_000_000_000;

/** HTTP/1.1 GET over a fresh connection, closed by the client: 10 frames. RTT 20 ms. */
export function httpExchange(): { frames: Timed[]; flow: TcpFlow } {
  const flow = new TcpFlow(CLIENT, SERVER, { c: 1000, s: 5000 }, START_US);
  flow.handshake(START_US, 20_000, { client: { mss: 1460, sackOk: true, wscale: 7, ts: [1, 0] }, server: { mss: 1400, sackOk: true, wscale: 9, ts: [2, 1] } });
  flow.send(START_US + 20_100, 'c', ascii('GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: test\r\n\r\n'));
  flow.ack(START_US + 30_100, 's');
  flow.send(START_US + 35_000, 's', ascii('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'));
  flow.ack(START_US + 45_000, 'c');
  flow.fin(START_US + 50_000, 'c');
  flow.fin(START_US + 60_000, 's');
  flow.ack(START_US + 70_000, 'c');
  return { frames: flow.frames, flow };
}

/** TLS 1.3 ClientHello with SNI and ALPN, ServerHello choosing h2. */
export function tlsExchange(): Timed[] {
  const flow = new TcpFlow({ ip: '192.0.2.10', port: 50001 }, { ip: '203.0.113.5', port: 443 }, { c: 7_000_000, s: 9_000_000 }, START_US);
  flow.handshake(START_US, 10_000);
  flow.send(START_US + 10_050, 'c', clientHello('api.example.test', ['h2', 'http/1.1']));
  flow.send(START_US + 15_000, 's', serverHello('h2'));
  flow.ack(START_US + 20_000, 'c');
  return flow.frames;
}

/** A DNS A query and its answer over UDP. */
export function dnsExchange(): Timed[] {
  const c = '192.0.2.10';
  const r = '192.0.2.53';
  return [
    { tsNs: BigInt(START_US) * 1000n, data: frame(c, r, 17, udp(c, r, 40000, 53, dnsQuery(0x1234, 'api.example.test'))) },
    { tsNs: BigInt(START_US + 3_000) * 1000n, data: frame(r, c, 17, udp(r, c, 53, 40000, dnsResponse(0x1234, 'api.example.test', ['203.0.113.5', '203.0.113.6']))) },
    { tsNs: BigInt(START_US + 4_000) * 1000n, data: frame(c, r, 17, udp(c, r, 40001, 53, dnsQuery(0x4321, 'missing.example.test'))) },
    { tsNs: BigInt(START_US + 6_000) * 1000n, data: frame(r, c, 17, udp(r, c, 53, 40001, dnsResponse(0x4321, 'missing.example.test', [], 3))) },
  ];
}
