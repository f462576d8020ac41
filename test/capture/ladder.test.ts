// Conversation → ladder diagram: the result validates against the diagram format, renders, keeps the
// capture's frame numbers, marks retransmissions and events with their lessons, and estimates one-way
// delays from the handshake.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeCapture, conversationLadder, type Conversation } from '../../server/src/capture/index';
import { renderSvg, validateDiagram } from '../../server/src/diagrams/index';
import { TcpFlow, type Timed } from './packets';
import { CLIENT, dnsExchange, httpExchange, SERVER, START_US, tlsExchange } from './scenarios';
import { writePcap } from './writer';

const conversations = (frames: Timed[]): Conversation[] => analyzeCapture(writePcap([...frames].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0)))).conversations;

function valid(conv: Conversation, options = {}) {
  const diagram = conversationLadder(conv, options)!;
  const checked = validateDiagram(JSON.parse(JSON.stringify(diagram)), `${diagram.id}.json`);
  assert.deepEqual(checked.ok ? [] : checked.errors, []);
  assert.match(renderSvg(diagram), /^<svg[\s\S]*<\/svg>$/);
  return diagram;
}

describe('conversation ladder', () => {
  it('draws the HTTP exchange with phases, states, the handshake span and one-way delays', () => {
    const conv = conversations(httpExchange().frames)[0]!;
    const d = valid(conv);
    assert.equal(d.timeUnit, 'us');
    assert.equal(d.hosts[1]!.label, 'example.test');
    assert.deepEqual(d.messages.map((m) => m.frame), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // captured at the client: SYN leaves at 0 and the SYN-ACK (captured 10 ms later) left the server at 5 ms
    assert.deepEqual([d.messages[0]!.t, d.messages[0]!.arrive], [0, 5000]);
    assert.deepEqual([d.messages[1]!.t, d.messages[1]!.arrive], [5000, 10000]);
    assert.deepEqual(d.messages[0]!.flags, ['SYN']);
    assert.deepEqual(d.messages[0]!.opts, { mss: 1460, wscale: 7, sackOk: true, ts: true });
    assert.deepEqual(d.messages.map((m) => m.phase), ['tcp', 'tcp', 'tcp', 'request', undefined, 'response', undefined, 'close', 'close', undefined]);
    assert.equal(d.messages[3]!.label, 'GET /index.html');
    assert.equal(d.messages[3]!.proto, 'HTTP/1.1');
    assert.deepEqual(d.spans, [{ from: 0, to: 20000, label: 'handshake: 20 ms', kind: 'handshake' }]);
    assert.deepEqual(d.states!.map((s) => `${s.host}:${s.state}`), ['c:SYN-SENT', 's:SYN-RECEIVED', 'c:ESTABLISHED', 's:ESTABLISHED', 'c:FIN-WAIT-1', 's:CLOSE-WAIT', 's:LAST-ACK', 'c:TIME-WAIT']);
  });

  it('estimates delays from the server side when the capture was taken there', () => {
    const flow = new TcpFlow(CLIENT, SERVER, { c: 1, s: 2 }, START_US);
    flow.syn(START_US);
    flow.synAck(START_US + 100); // captured next to the server: SYN → SYN-ACK is quick...
    flow.ack(START_US + 30_100, 'c'); // ...and the ACK comes a round trip later
    const d = valid(conversations(flow.frames)[0]!);
    assert.deepEqual(d.messages.map((m) => [m.from, m.t, m.arrive]), [
      ['c', 0, 15000],
      ['s', 15100, 30100],
      ['c', 30100, 45100],
    ]);
  });

  it('names TLS records and marks retransmissions with their original and lesson', () => {
    const flow = new TcpFlow(CLIENT, { ip: SERVER.ip, port: 443 }, { c: 1, s: 2 }, START_US);
    flow.handshake(START_US, 2000);
    const seq = flow.seq.c;
    flow.send(START_US + 3000, 'c', new Uint8Array(100).fill(0x61));
    flow.sendAt(START_US + 400_000, 'c', seq, new Uint8Array(100).fill(0x61));
    const d = valid(conversations(flow.frames)[0]!);
    assert.equal(d.messages[4]!.retransmitOf, 3);
    assert.equal(d.messages[4]!.lesson, 'retransmission-and-timeouts');
    assert.match(d.messages[4]!.note!, /retransmission/);
    const tls = valid(conversations(tlsExchange())[0]!);
    assert.equal(tls.hosts[1]!.label, 'api.example.test');
    assert.equal(tls.messages[3]!.proto, 'TLS');
    assert.equal(tls.messages[3]!.phase, 'tls');
    assert.deepEqual(tls.messages[4]!.encapsulates!.map((e) => e.label), ['ServerHello', 'ChangeCipherSpec', 'Application Data']);
  });

  it('draws UDP/DNS flat at capture time (no handshake to estimate delays from)', () => {
    const [ok] = conversations(dnsExchange());
    const d = valid(ok!);
    assert.deepEqual(d.messages.map((m) => [m.proto, m.label, m.t, m.arrive, m.phase]), [
      ['DNS', 'A? api.example.test', 0, 0, 'dns'],
      ['DNS', 'A 203.0.113.5, A 203.0.113.6', 3000, 3000, 'dns'],
    ]);
  });

  it('pages through long conversations and returns nothing without rows', () => {
    const flow = new TcpFlow(CLIENT, SERVER, { c: 1, s: 2 }, START_US);
    flow.handshake(START_US, 1000);
    for (let i = 0; i < 200; i++) flow.send(START_US + 2000 + i * 10, i % 2 ? 's' : 'c', new Uint8Array(10));
    const conv = conversations(flow.frames)[0]!;
    const page = valid(conv, { fromRow: 100, maxMessages: 50 });
    assert.deepEqual([page.messages[0]!.frame, page.messages.length], [101, 50]);
    assert.equal(conversationLadder({ ...conv, rows: [] }), undefined);
  });
});
