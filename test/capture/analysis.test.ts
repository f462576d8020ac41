// Conversation and TCP analysis on synthetic exchanges whose ground truth is known: every event kind, the
// handshake RTT, who closes and holds TIME-WAIT, application hints, fragments, ICMP errors, summaries.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeCapture, captureSummary, EVENT_LESSONS, formatCaptureJson, formatCaptureText, type Conversation } from '../../server/src/capture/index';
import { lessonById } from '../../server/src/lessons/catalog';
import { ascii, bytes, clientHello, dnsQuery, dnsResponse, ethernet, frame, icmp, ipv4, ipv6, TcpFlow, tcp, udp, type Timed } from './packets';
import { CLIENT, dnsExchange, httpExchange, SERVER, START_US, tlsExchange } from './scenarios';
import { writePcap, writePcapng } from './writer';

const analyze = (frames: Timed[]) => analyzeCapture(writePcap([...frames].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0))));
const only = (frames: Timed[]): Conversation => {
  const analysis = analyze(frames);
  assert.equal(analysis.error, null);
  assert.equal(analysis.conversations.length, 1, 'one conversation');
  return analysis.conversations[0]!;
};
const kinds = (c: Conversation): Array<[string, number]> => c.events.map((e) => [e.kind, e.packet]);
const flow = (isn = { c: 1000, s: 5000 }): TcpFlow => new TcpFlow(CLIENT, SERVER, isn, START_US);
const data = (n: number, fill = 0x61): Uint8Array => new Uint8Array(n).fill(fill);

describe('TCP handshake and close', () => {
  it('measures the handshake RTT and finds the client that closes first in TIME-WAIT', () => {
    const c = only(httpExchange().frames);
    assert.equal(c.client, '192.0.2.10:50000');
    assert.equal(c.server, '198.51.100.7:80');
    assert.equal(c.handshakeRttMs, 20);
    assert.equal(c.tcp!.handshake.synToSynAckMs, 10);
    assert.equal(c.tcp!.handshake.synAckToAckMs, 10);
    assert.equal(c.tcp!.state, 'closed');
    assert.equal(c.tcp!.firstFin, 'client');
    assert.equal(c.tcp!.timeWait, 'client');
    assert.equal(c.tcp!.client.mss, 1460);
    assert.equal(c.tcp!.server.wscale, 9);
    assert.equal(c.tcp!.windowScaling, true);
    assert.equal(c.rows[5]!.window, 502 * 512, 'server window scaled by 2^9');
    assert.equal(c.rows[0]!.window, 64240, 'SYN windows are never scaled');
    assert.deepEqual(c.rows.map((r) => [r.seq, r.ack ?? null]), [[0, null], [0, 1], [1, 1], [1, 1], [1, 67], [1, 67], [67, 44], [67, 44], [44, 68], [68, 45]]);
    assert.deepEqual(c.events, []);
    assert.equal(c.packets, 10);
    assert.equal(c.app.protocol, 'HTTP/1.1');
    assert.deepEqual(c.app.http.map((h) => [h.packet, h.kind, h.method ?? h.status, h.target ?? h.reason, h.host ?? null]), [
      [4, 'request', 'GET', '/index.html', 'example.test'],
      [6, 'response', 200, 'OK', null],
    ]);
  });

  it('server closing first holds TIME-WAIT', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    f.fin(START_US + 2000, 's');
    f.ack(START_US + 2500, 'c');
    f.fin(START_US + 3000, 'c');
    f.ack(START_US + 3500, 's');
    const c = only(f.frames);
    assert.equal(c.tcp!.firstFin, 'server');
    assert.equal(c.tcp!.timeWait, 'server');
  });

  it('reports a half-close when data flows after the peer’s FIN', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    f.fin(START_US + 2000, 'c'); // client: end of request (shutdown write)
    f.send(START_US + 3000, 's', data(100)); // server still answers
    f.fin(START_US + 4000, 's');
    f.ack(START_US + 4500, 'c');
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['half-close', 5]]);
    assert.equal(c.tcp!.halfClosed, true);
    assert.equal(c.events[0]!.lesson, 'closing-connections');
  });

  it('reports RST and who sent it', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    f.send(START_US + 2000, 'c', data(10));
    f.rst(START_US + 3000, 's');
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['rst', 5]]);
    assert.equal(c.events[0]!.by, 'server');
    assert.equal(c.tcp!.state, 'reset');
    assert.equal(c.tcp!.resetBy, 'server');
  });

  it('reports a refused connection (SYN answered by RST)', () => {
    const f = flow();
    f.syn(START_US);
    f.rst(START_US + 100, 's');
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['connection-refused', 2]]);
    assert.equal(c.events[0]!.lesson, 'addresses-ports-sockets');
    assert.equal(c.handshakeRttMs, null);
  });

  it('reports SYN retransmissions, a slow handshake, and the RTT from the SYN that was answered', () => {
    const f = flow();
    f.syn(START_US);
    f.syn(START_US + 1_000_000);
    f.syn(START_US + 3_000_000);
    f.synAck(START_US + 3_040_000);
    f.ack(START_US + 3_040_100, 'c');
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['syn-retransmission', 2], ['syn-retransmission', 3], ['slow-handshake', 5]]);
    assert.equal(c.handshakeRttMs, 40.1);
    assert.equal(c.tcp!.handshake.setupMs, 3040.1);
    assert.equal(c.tcp!.handshake.synRetransmissions, 2);
    assert.equal(c.events[2]!.lesson, 'tcp-handshake');
  });

  it('reports a handshake that never completed', () => {
    const f = flow();
    f.syn(START_US);
    f.syn(START_US + 1_000_000);
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['syn-retransmission', 2], ['handshake-incomplete', 1]]);
    assert.equal(c.tcp!.state, 'syn-sent');
  });

  it('starts a new conversation when the 4-tuple is reused with a new SYN', () => {
    const first = flow({ c: 100, s: 200 });
    first.handshake(START_US, 1000);
    first.fin(START_US + 2000, 'c');
    first.fin(START_US + 3000, 's');
    first.ack(START_US + 4000, 'c');
    const second = new TcpFlow(CLIENT, SERVER, { c: 900_000, s: 800_000 }, START_US + 10_000);
    second.handshake(START_US + 10_000, 2000);
    const analysis = analyze([...first.frames, ...second.frames]);
    assert.equal(analysis.conversations.length, 2);
    assert.deepEqual(analysis.conversations.map((c) => [c.packets, c.handshakeRttMs]), [[6, 1], [3, 2]]);
  });

  it('starts mid-stream: first sender is the client, numbers start at 1', () => {
    const f = flow();
    f.send(START_US, 's', data(10)); // capture begins with server data
    f.ack(START_US + 100, 'c');
    const c = only(f.frames);
    assert.equal(c.client, '198.51.100.7:80');
    assert.equal(c.tcp!.state, 'mid-stream');
    assert.equal(c.rows[0]!.seq, 1);
    assert.equal(c.handshakeRttMs, null);
  });

  it('treats a capture that begins at the SYN-ACK as a connection from the receiver', () => {
    const f = flow();
    f.synAck(START_US);
    f.ack(START_US + 100, 'c');
    const c = only(f.frames);
    assert.equal(c.client, '192.0.2.10:50000');
  });
});

describe('TCP loss and flow-control events', () => {
  it('retransmission after a timeout, and a spurious one', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    const seq = f.seq.c;
    f.send(START_US + 2000, 'c', data(100));
    f.sendAt(START_US + 300_000, 'c', seq, data(100)); // RTO: same bytes again
    f.ack(START_US + 301_000, 's'); // now acked
    f.sendAt(START_US + 302_000, 'c', seq, data(100)); // already acknowledged
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['retransmission', 5], ['spurious-retransmission', 7]]);
    assert.equal(c.tcp!.client.retransmissions, 2);
    for (const e of c.events) assert.equal(e.lesson, 'retransmission-and-timeouts');
  });

  it('lost segment, then dup ACKs, then the fast retransmission fills the hole', () => {
    const f = flow();
    f.handshake(START_US, 10_000);
    const base = f.seq.c;
    f.send(START_US + 11_000, 'c', data(100)); // 4: seq base
    f.seq.c += 100; // segment base+100 lost before the capture point
    f.send(START_US + 11_100, 'c', data(100)); // 5: gap → lost-segment
    f.ackWith(START_US + 21_000, 's', base + 100, 502); // 6: ack up to the hole
    f.ackWith(START_US + 21_100, 's', base + 100, 502, { sack: [[base + 200, base + 300]] }); // 7: dup
    f.ackWith(START_US + 21_200, 's', base + 100, 502); // 8: dup
    f.sendAt(START_US + 21_500, 'c', base + 100, data(100)); // 9: fills the hole 10 ms later → retransmission
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['lost-segment', 5], ['dup-ack', 7], ['dup-ack', 8], ['retransmission', 9]]);
  });

  it('out-of-order: a segment that fills a hole within 3 ms', () => {
    const f = flow();
    f.handshake(START_US, 10_000);
    const base = f.seq.c;
    f.sendAt(START_US + 11_000, 'c', base + 100, data(100)); // arrives first
    f.sendAt(START_US + 11_500, 'c', base, data(100)); // the earlier one, 0.5 ms later
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['lost-segment', 4], ['out-of-order', 5]]);
  });

  it('zero window, probe, and the window update', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    f.send(START_US + 2000, 'c', data(1000));
    f.ackWith(START_US + 3000, 's', f.seq.c, 0); // 5: zero window
    f.ackWith(START_US + 3100, 's', f.seq.c, 0); // 6: still zero: not a new event, not a dup ack
    f.sendAt(START_US + 200_000, 'c', f.seq.c, data(1)); // 7: probe
    f.ackWith(START_US + 201_000, 's', f.seq.c, 0); // 8
    f.ackWith(START_US + 400_000, 's', f.seq.c, 300); // 9: window opens
    f.send(START_US + 401_000, 'c', data(100)); // 10: data flows again
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['zero-window', 5], ['zero-window-probe', 7]]);
    assert.equal(c.events[0]!.lesson, 'flow-control-and-backpressure');
    assert.equal(c.events[0]!.by, 'server');
  });

  it('keep-alive probes and their ACKs are not retransmissions or dup ACKs', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    f.send(START_US + 2000, 'c', data(10));
    f.ack(START_US + 3000, 's');
    f.sendAt(START_US + 60_000_000, 'c', f.seq.c - 1, new Uint8Array(0), 'A'); // keep-alive
    f.ack(START_US + 60_000_500, 's');
    f.sendAt(START_US + 120_000_000, 'c', f.seq.c - 1, new Uint8Array(0), 'A');
    f.ack(START_US + 120_000_500, 's');
    const c = only(f.frames);
    assert.deepEqual(kinds(c), [['keep-alive', 6], ['keep-alive', 8]]);
    assert.equal(c.events[0]!.lesson, 'keepalive-and-heartbeats');
  });

  it('follows sequence numbers across the 2^32 wrap', () => {
    const f = flow({ c: 0xffffff00, s: 0xfffffff0 });
    f.handshake(START_US, 1000);
    for (let i = 0; i < 5; i++) f.send(START_US + 2000 + i * 100, 'c', data(100));
    f.ack(START_US + 3000, 's');
    const c = only(f.frames);
    assert.deepEqual(c.events, []);
    assert.deepEqual(c.rows.slice(3, 8).map((r) => r.seq), [1, 101, 201, 301, 401]);
    assert.equal(c.rows[8]!.ack, 501);
  });

  it('keeps at most the event cap per conversation but counts them all', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    const seq = f.seq.c;
    f.send(START_US + 2000, 'c', data(10));
    for (let i = 0; i < 300; i++) f.sendAt(START_US + 3000 + i * 1000, 'c', seq, data(10));
    const c = only(f.frames);
    assert.equal(c.events.length, 200);
    assert.equal(c.eventCounts.retransmission, 300);
  });
});

describe('application hints', () => {
  it('reads TLS ClientHello (version, SNI, ALPN) and ServerHello, and names the records', () => {
    const c = only(tlsExchange());
    assert.equal(c.app.protocol, 'TLS');
    const hello = c.app.tls!.clientHello!;
    assert.equal(hello.version, 'TLS 1.3');
    assert.equal(hello.legacyVersion, 'TLS 1.2');
    assert.equal(hello.sni, 'api.example.test');
    assert.deepEqual(hello.alpn, ['h2', 'http/1.1']);
    assert.deepEqual(hello.offeredVersions, ['TLS 1.3', 'TLS 1.2']);
    assert.equal(hello.packet, 4);
    assert.equal(c.app.tls!.serverHello!.alpn, 'h2');
    assert.equal(c.app.tls!.serverHello!.version, 'TLS 1.3');
    assert.deepEqual(c.rows[4]!.tlsRecords, ['ServerHello', 'ChangeCipherSpec', 'Application Data']);
    assert.equal(c.rows[3]!.label, 'ClientHello');
  });

  it('reads a ClientHello split over three segments', () => {
    const hello = bytes(tlsClientHelloPadded());
    const f = new TcpFlow(CLIENT, { ip: SERVER.ip, port: 443 }, { c: 1, s: 2 }, START_US);
    f.handshake(START_US, 1000);
    f.send(START_US + 1100, 'c', hello.subarray(0, 7));
    f.send(START_US + 1200, 'c', hello.subarray(7, 500));
    f.send(START_US + 1300, 'c', hello.subarray(500));
    const c = only(f.frames);
    assert.equal(c.app.tls?.clientHello?.sni, 'split.example.test');
    assert.equal(c.app.tls?.clientHello?.packet, 6);
  });

  it('reads a ClientHello carried in the SYN (TCP Fast Open)', () => {
    const f = new TcpFlow(CLIENT, { ip: SERVER.ip, port: 443 }, { c: 10, s: 20 }, START_US);
    const hello = clientHello('tfo.example.test', ['h2']);
    f.frames.push({ tsNs: BigInt(START_US) * 1000n, data: frame(CLIENT.ip, SERVER.ip, 6, tcp(CLIENT.ip, SERVER.ip, { srcPort: CLIENT.port, dstPort: 443, seq: 10, ack: 0, flags: 'S', options: { mss: 1460 }, payload: hello })) });
    f.seq.c = 11 + hello.length;
    f.synAck(START_US + 1000);
    f.ack(START_US + 2000, 'c');
    const c = only(f.frames);
    assert.equal(c.app.tls?.clientHello?.sni, 'tfo.example.test');
    assert.deepEqual(c.events, []);
    assert.equal(c.handshakeRttMs, 2);
  });

  it('reads DNS queries and answers, and reports error responses', () => {
    const analysis = analyze(dnsExchange());
    const [ok, missing] = analysis.conversations;
    assert.equal(ok!.app.protocol, 'DNS');
    assert.equal(ok!.client, '192.0.2.10:40000');
    assert.deepEqual(ok!.app.dns.map((d) => [d.response, d.question?.name, d.answers.map((a) => a.data)]), [
      [false, 'api.example.test', []],
      [true, 'api.example.test', ['203.0.113.5', '203.0.113.6']],
    ]);
    assert.deepEqual(kinds(missing!), [['dns-error', 4]]);
    assert.equal(missing!.events[0]!.lesson, 'dns-in-node');
  });

  it('treats the receiver of a DNS response as the client when the query was not captured', () => {
    const r = '192.0.2.53';
    const c = only([{ tsNs: 1n, data: frame(r, CLIENT.ip, 17, udp(r, CLIENT.ip, 53, 40000, dnsResponse(1, 'x.example.test', ['192.0.2.1']))) }]);
    assert.equal(c.client, '192.0.2.10:40000');
  });

  it('reads DNS over TCP (length-prefixed)', () => {
    const query = dnsQuery(7, 'tcp.example.test', 28);
    const f = new TcpFlow(CLIENT, { ip: '192.0.2.53', port: 53 }, { c: 1, s: 2 }, START_US);
    f.handshake(START_US, 1000);
    f.send(START_US + 1100, 'c', bytes([0, query.length], query));
    const c = only(f.frames);
    assert.equal(c.app.protocol, 'DNS');
    assert.equal(c.app.dns[0]!.question?.type, 'AAAA');
  });

  it('does not mistake a body that starts with a capital letter for a request', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    f.send(START_US + 1100, 'c', ascii('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
    f.send(START_US + 1200, 's', ascii('HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n'));
    f.send(START_US + 1300, 's', ascii('POST is not a request line here'));
    const c = only(f.frames);
    assert.equal(c.app.http.length, 2);
  });
});

describe('IP fragments and ICMP', () => {
  it('reassembles an IPv4 UDP datagram sent in fragments', () => {
    const c = '192.0.2.10';
    const r = '192.0.2.53';
    const answers = Array.from({ length: 200 }, (_, i) => `203.0.113.${i % 250}`);
    const payload = udp(r, c, 53, 40000, dnsResponse(9, 'big.example.test', answers));
    const cut = 1480;
    const parts = [payload.subarray(0, cut), payload.subarray(cut, 2 * cut), payload.subarray(2 * cut)];
    const frames = parts.map((p, i) => ({
      tsNs: BigInt(START_US + i * 10) * 1000n,
      data: ethernet(ipv4(r, c, 17, p, { id: 77, moreFragments: i < parts.length - 1, fragmentOffset: i * cut }), 0x0800),
    }));
    // deliver out of order: last fragment first
    const analysis = analyze([frames[2]!, frames[0]!, frames[1]!].map((f, i) => ({ ...f, tsNs: BigInt(START_US + i * 10) * 1000n })));
    assert.equal(analysis.conversations.length, 1);
    const conv = analysis.conversations[0]!;
    assert.equal(conv.packets, 3);
    assert.deepEqual(kinds(conv), [['ip-fragmented', 3]]);
    assert.equal(conv.app.dns[0]!.answerCount, 200);
    assert.equal(conv.events[0]!.lesson, 'mtu-and-fragmentation');
  });

  it('reassembles IPv6 fragments behind a hop-by-hop header', () => {
    const s = '2001:db8::1';
    const d = '2001:db8::2';
    const payload = udp(s, d, 5000, 6000, data(3000));
    const cut = 1448;
    const hop = { type: 0, body: Uint8Array.of(0, 1, 4, 0, 0, 0, 0) }; // PadN to 8 bytes
    const pieces = [payload.subarray(0, cut), payload.subarray(cut, 2 * cut), payload.subarray(2 * cut)];
    const frames = pieces.map((p, i) => {
      const offset = i * cut;
      const more = i < pieces.length - 1 ? 1 : 0;
      const fragmentHeader = { type: 44, body: Uint8Array.of(0, (offset >> 8) & 0xff, (offset & 0xf8) | more, 0, 0, 0x12, 0x34) };
      return { tsNs: BigInt(START_US + i) * 1000n, data: ethernet(ipv6(s, d, 17, p, [hop, fragmentHeader]), 0x86dd) };
    });
    const conv = only(frames);
    assert.equal(conv.transport, 'UDP');
    assert.equal(conv.ipVersion, 6);
    assert.equal(conv.client, '[2001:db8::1]:5000');
    assert.equal(conv.packets, 3);
    assert.equal(conv.rows[0]!.payloadLength, 3000);
    assert.deepEqual(kinds(conv), [['ip-fragmented', 3]]);
  });

  it('attaches ICMP fragmentation-needed to the TCP conversation it quotes', () => {
    const f = flow();
    f.handshake(START_US, 1000);
    const big = f.send(START_US + 2000, 'c', data(1400));
    const quoted = f.frames[big - 1]!.data.subarray(14, 14 + 28);
    const router = '192.0.2.1';
    const error = frame(router, CLIENT.ip, 1, icmp(3, 4, [0, 0, 0x05, 0x78], quoted));
    const analysis = analyze([...f.frames, { tsNs: BigInt(START_US + 2500) * 1000n, data: error }]);
    const tcpConv = analysis.conversations.find((c) => c.transport === 'TCP')!;
    const icmpConv = analysis.conversations.find((c) => c.transport === 'ICMP')!;
    assert.deepEqual(kinds(tcpConv), [['fragmentation-needed', 5]]);
    assert.match(tcpConv.events[0]!.detail, /MTU 1400/);
    assert.equal(icmpConv.rows[0]!.label, 'fragmentation needed, MTU 1400');
  });

  it('reports ICMP port unreachable for a UDP datagram', () => {
    const c = CLIENT.ip;
    const s = '198.51.100.9';
    const datagram = frame(c, s, 17, udp(c, s, 41000, 9999, ascii('ping')));
    const unreachable = frame(s, c, 1, icmp(3, 3, [0, 0, 0, 0], datagram.subarray(14, 14 + 28)));
    const analysis = analyze([{ tsNs: 1000n, data: datagram }, { tsNs: 2000n, data: unreachable }]);
    const udpConv = analysis.conversations.find((x) => x.transport === 'UDP')!;
    assert.deepEqual(kinds(udpConv), [['port-unreachable', 2]]);
    assert.equal(udpConv.events[0]!.lesson, 'udp-dgram');
  });

  it('labels echo requests and replies', () => {
    const c = CLIENT.ip;
    const s = SERVER.ip;
    const analysis = analyze([
      { tsNs: 1000n, data: frame(c, s, 1, icmp(8, 0, [0, 1, 0, 5])) },
      { tsNs: 2000n, data: frame(s, c, 1, icmp(0, 0, [0, 1, 0, 5])) },
    ]);
    const conv = analysis.conversations[0]!;
    assert.equal(conv.transport, 'ICMP');
    assert.deepEqual(conv.rows.map((r) => r.label), ['echo request id=1 seq=5', 'echo reply id=1 seq=5']);
  });
});

describe('summaries', () => {
  const all = [...httpExchange().frames, ...tlsExchange(), ...dnsExchange()];

  it('produces exactly the documented JSON shape', () => {
    const analysis = analyze(all);
    const summary = JSON.parse(formatCaptureJson(analysis));
    assert.deepEqual(Object.keys(summary), ['packets', 'conversations']);
    assert.equal(summary.packets, all.length);
    for (const c of summary.conversations) {
      assert.deepEqual(Object.keys(c), ['client', 'server', 'transport', 'packets', 'bytes', 'handshakeRttMs', 'events']);
      for (const e of c.events) assert.deepEqual(Object.keys(e), ['kind', 'packet', 'lesson']);
    }
    assert.deepEqual(summary, captureSummary(analysis));
    assert.deepEqual(summary.conversations.map((c: { transport: string; handshakeRttMs: number | null }) => [c.transport, c.handshakeRttMs]), [
      ['TCP', 20],
      ['TCP', 10],
      ['UDP', null],
      ['UDP', null],
    ]);
    assert.deepEqual(summary.conversations[3].events, [{ kind: 'dns-error', packet: 7, lesson: 'dns-in-node' }]);
    assert.equal(summary.conversations[0].bytes, httpExchange().frames.reduce((n, f) => n + f.data.length, 0));
  });

  it('writes a text report with handshakes, app hints and events linked to lessons', () => {
    const text = formatCaptureText(analyze(all), { fileName: 'mixed.pcap', lessonUrl: (id) => `https://lessons.test/${id}` });
    assert.match(text, /^mixed\.pcap: pcap \(µs timestamps, little-endian\), 1 interface \(ETHERNET\), 20 packets, 70\.0 ms\n/);
    assert.match(text, /#0 TCP HTTP\/1\.1 192\.0\.2\.10:50000 → 198\.51\.100\.7:80 {2}10 packets/);
    assert.match(text, /handshake RTT 20\.0 ms/);
    assert.match(text, /client closed first and holds TIME-WAIT/);
    assert.match(text, /TLS ClientHello TLS 1\.3 SNI api\.example\.test ALPN h2,http\/1\.1/);
    assert.match(text, /! packet 7 dns-error \(server\): NXDOMAIN for missing\.example\.test → https:\/\/lessons\.test\/dns-in-node/);
  });

  it('maps every event kind to a lesson in the catalog', () => {
    for (const [kind, lesson] of Object.entries(EVENT_LESSONS)) assert.ok(lessonById(lesson), `${kind} → ${lesson} is not in server/src/lessons/catalog.ts`);
  });

  it('gives the same analysis for pcap and pcapng (both byte orders) of the same packets', () => {
    const sorted = [...all].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0));
    const reference = captureSummary(analyzeCapture(writePcap(sorted)));
    for (const order of ['little', 'big'] as const) {
      const ng = writePcapng([{ order, interfaces: [{ linkType: 1, tsresol: 9 }], blocks: sorted.map((f) => ({ kind: 'epb' as const, frame: f })) }]);
      assert.deepEqual(captureSummary(analyzeCapture(ng)), reference, order);
      assert.deepEqual(captureSummary(analyzeCapture(writePcap(sorted, { order, precision: 'ns' }))), reference, `pcap ns ${order}`);
    }
  });
});

function tlsClientHelloPadded(): Uint8Array {
  // a ClientHello with a large padding extension so it spans several segments
  const sni = 'split.example.test';
  const name = [...ascii(sni)];
  const ext = [0, 0, 0, name.length + 5, 0, name.length + 3, 0, 0, name.length, ...name, 0, 21, 0x03, 0x00, ...new Array(0x300).fill(0)];
  const body = [3, 3, ...new Array(32).fill(1), 0, 0, 2, 0x13, 0x01, 1, 0, ext.length >> 8, ext.length & 0xff, ...ext];
  const hs = [1, 0, body.length >> 8, body.length & 0xff, ...body];
  return Uint8Array.from([22, 3, 1, hs.length >> 8, hs.length & 0xff, ...hs]);
}

