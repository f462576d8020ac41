// Ladder rendering: one arrow per message, slanted by latency, scaled by the RTT, step states,
// escaping, loss/retransmission/idle glyphs, and labels that do not collide.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSvg, resolveSequence, type SequenceDiagram } from '../../server/src/diagrams/index';
import { assertWellFormed, byKind, elements, handshake, num, textOf, type Element } from './helpers';

function arrows(svg: string): Element[] {
  return byKind(svg, 'arrow');
}

function lifelineX(svg: string, host: string): number {
  const group = elements(svg).find((e) => e.attrs['data-kind'] === 'host' && e.attrs['data-host'] === host)!;
  const line = elements(svg).find((e) => e.at > group.at && e.attrs.class === 'wl-lifeline')!;
  return num(line, 'x1');
}

/** Label rectangles (the background rect inside each label group), in step order. */
function labelBoxes(svg: string) {
  const all = elements(svg);
  return byKind(svg, 'label').map((label) => {
    const rect = all.find((e) => e.at > label.at && e.attrs.class === 'wl-label-bg')!;
    return { step: Number(label.attrs['data-step']), x: num(rect, 'x'), y: num(rect, 'y'), w: num(rect, 'width'), h: num(rect, 'height') };
  });
}

describe('sequence diagram rendering', () => {
  it('draws one arrow and one label per message, in step order, with the right text and endpoints', () => {
    const doc = handshake();
    const svg = renderSvg(doc);
    assertWellFormed(svg);
    const lines = arrows(svg);
    assert.equal(lines.length, doc.messages.length);
    assert.deepEqual(lines.map((l) => l.attrs['data-step']), ['1', '2', '3', '4', '5']);
    const groups = byKind(svg, 'message');
    assert.deepEqual(groups.map((g) => `${g.attrs['data-from']}->${g.attrs['data-to']}`), ['c->s', 's->c', 'c->s', 'c->s', 's->c']);
    const labels = byKind(svg, 'label').map((l) => textOf(svg, l));
    assert.deepEqual(labels, [
      'TCP SYN seq=0',
      'TCP SYN, ACK seq=0 ack=1',
      'TCP ACK seq=1 ack=1',
      'GET / HTTP/1.1 len=80',
      '200 OK HTTP/1.1 len=512',
    ]);
    const cx = lifelineX(svg, 'c');
    const sx = lifelineX(svg, 's');
    assert.ok(sx > cx);
    for (const [i, line] of lines.entries()) {
      const fromX = doc.messages[i]!.from === 'c' ? cx : sx;
      const toX = doc.messages[i]!.from === 'c' ? sx : cx;
      assert.equal(num(line, 'x1'), fromX, `arrow ${i + 1} starts on its sender's lifeline`);
      assert.equal(num(line, 'x2'), toX, `arrow ${i + 1} ends on its receiver's lifeline`);
    }
  });

  it('slants every arrow down by its latency on one linear time scale', () => {
    const svg = renderSvg(handshake());
    const groups = byKind(svg, 'message');
    const lines = arrows(svg);
    const pxPerMs = Number(elements(svg)[0]!.attrs['data-px-per-ms']);
    for (const [i, line] of lines.entries()) {
      const latency = num(groups[i]!, 'data-arrive-ms') - num(groups[i]!, 'data-send-ms');
      assert.ok(num(line, 'y2') > num(line, 'y1'), `arrow ${i + 1}: arrival below send`);
      assert.ok(Math.abs(num(line, 'y2') - num(line, 'y1') - latency * pxPerMs) < 0.02, `arrow ${i + 1}: drop = latency × scale`);
    }
    // Send positions follow the send times: SYN-ACK leaves when the SYN arrives (20 ms at RTT 40).
    assert.ok(Math.abs(num(lines[1]!, 'y1') - num(lines[0]!, 'y2')) < 0.02);
  });

  it('recomputes positions and the total from the RTT control', () => {
    const doc = handshake();
    const at40 = renderSvg(doc, { rtt: 40 });
    const at80 = renderSvg(doc, { rtt: 80 });
    const drop = (svg: string, i: number) => num(arrows(svg)[i]!, 'y2') - num(arrows(svg)[i]!, 'y1');
    // The vertical scale stays that of the nominal RTT, so doubling the RTT doubles each one-way drop.
    for (let i = 0; i < doc.messages.length; i++) assert.ok(Math.abs(drop(at80, i) - 2 * drop(at40, i)) < 0.05, `arrow ${i + 1}`);
    const total = (svg: string) => num(byKind(svg, 'total')[0]!, 'data-total-ms');
    // SYN, SYN-ACK, ACK+GET (one RTT each way), 5 ms server time, response: 2 RTT + 5 ms.
    assert.equal(total(at40), 85);
    assert.equal(total(at80), 165);
    assert.match(textOf(at80, byKind(at80, 'total')[0]!), /^Total 165 ms = 2\.06 RTT at RTT 80 ms$/);
    assert.equal(elements(at80)[0]!.attrs['data-rtt-scalable'], 'true');
    // Fixed times (the 5 ms server time) do not scale.
    const r = resolveSequence(doc, 80);
    assert.equal(r.messages[4]!.sendMs - r.messages[3]!.arriveMs, 5);
  });

  it('keeps fixed-time diagrams (captures) fixed when the RTT changes', () => {
    const capture: SequenceDiagram = {
      ...handshake(),
      timeUnit: 'us',
      messages: [
        { t: 0, arrive: 0, from: 'c', to: 's', proto: 'TCP', flags: ['SYN'], frame: 1 },
        { t: 52, arrive: 52, from: 's', to: 'c', proto: 'TCP', flags: ['SYN', 'ACK'], frame: 2 },
        { t: 90, arrive: 90, from: 'c', to: 's', proto: 'TCP', flags: ['ACK'], frame: 3 },
      ],
      spans: [],
      states: [],
    };
    const a = renderSvg(capture, { rtt: 10 });
    const b = renderSvg(capture, { rtt: 500 });
    assert.equal(elements(a)[0]!.attrs['data-rtt-scalable'], 'false');
    assert.equal(num(byKind(a, 'total')[0]!, 'data-total-ms'), 0.09);
    assert.equal(num(byKind(b, 'total')[0]!, 'data-total-ms'), 0.09);
    assert.deepEqual(byKind(a, 'message').map((m) => m.attrs['data-frame']), ['1', '2', '3']);
    // Loopback: zero latency draws flat arrows, still one per packet.
    for (const line of arrows(a)) assert.equal(num(line, 'y1'), num(line, 'y2'));
  });

  it('marks past, current and future elements for step-through', () => {
    const svg = renderSvg(handshake(), { step: 3 });
    const states = byKind(svg, 'message').map((g) => g.attrs.class!.split(' ').find((c) => /^wl-(past|current|future)$/.test(c)));
    assert.deepEqual(states, ['wl-past', 'wl-past', 'wl-current', 'wl-future', 'wl-future']);
    // The ESTABLISHED state (client, after the SYN-ACK arrives at 1 RTT) belongs to step 2.
    const state = byKind(svg, 'state')[0]!;
    assert.equal(state.attrs['data-step'], '2');
    assert.match(state.attrs.class!, /wl-past/);
    // Without a step nothing is dimmed.
    assert.doesNotMatch(renderSvg(handshake()), /wl-(past|current|future)/);
    // Step 0: nothing sent yet, everything future.
    assert.ok(byKind(renderSvg(handshake(), { step: 0 }), 'message').every((g) => g.attrs.class!.includes('wl-future')));
  });

  it('escapes hostile text everywhere and loads nothing external', () => {
    const evil = '<script>alert(1)</script>"\'&<img src=x onerror=alert(2)>';
    const doc = handshake({ title: evil, description: evil });
    doc.hosts[0]!.label = evil;
    doc.hosts[1]!.addr = evil;
    doc.messages[0]!.label = evil;
    doc.messages[0]!.explain = evil;
    doc.messages[1]!.encapsulates = [{ proto: evil, label: evil }];
    doc.messages[2]!.opts = { [evil]: evil };
    doc.spans = [{ from: 0, to: 1, label: evil }, { from: 0, to: 0.5, label: evil, host: 's', kind: 'timer' }];
    doc.states = [{ host: 'c', t: 1, state: evil }];
    doc.notes = [{ host: 's', t: 0.5, text: evil }];
    for (const svg of [renderSvg(doc), renderSvg(doc, { step: 2, embedStyles: true, idPrefix: '"><script>' })]) {
      assertWellFormed(svg);
      assert.doesNotMatch(svg, /<script|<img|onerror="/i);
      assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&#39;&amp;&lt;img/);
      assert.ok(elements(svg).every((e) => !['href', 'xlink:href', 'src'].includes(Object.keys(e.attrs).find((a) => /href|src/.test(a)) ?? '')));
      assert.doesNotMatch(svg, /url\(|@import/);
      assert.equal(svg.match(/https?:\/\//g)?.length, 1, 'only the SVG namespace');
    }
  });

  it('draws a lost packet ending in × halfway and a dashed retransmission', () => {
    const doc = handshake({
      messages: [
        { from: 'c', to: 's', proto: 'TCP', flags: ['SYN'], lost: true },
        { t: '1s', from: 'c', to: 's', proto: 'TCP', flags: ['SYN'], retransmitOf: 0 },
        { from: 's', to: 'c', proto: 'TCP', flags: ['SYN', 'ACK'] },
      ],
      spans: [{ from: 0, to: '1s', label: 'initial RTO 1 s', host: 'c', kind: 'timer' }],
      states: [],
    });
    const svg = renderSvg(doc);
    const [lost, again] = arrows(svg);
    const loss = byKind(svg, 'loss');
    assert.equal(loss.length, 1);
    assert.equal(loss[0]!.attrs['data-step'], '1');
    const full = num(again!, 'y2') - num(again!, 'y1');
    assert.ok(Math.abs(num(lost!, 'y2') - num(lost!, 'y1') - full / 2) < 0.02, 'the lost arrow stops halfway');
    const lifeC = lifelineX(svg, 'c');
    const lifeS = lifelineX(svg, 's');
    assert.ok(Math.abs(num(lost!, 'x2') - (lifeC + lifeS) / 2) < 0.02);
    const groups = byKind(svg, 'message');
    assert.match(groups[0]!.attrs.class!, /wl-lost/);
    assert.equal(groups[0]!.attrs['data-lost'], 'true');
    assert.match(groups[1]!.attrs.class!, /wl-retransmit/);
    assert.match(textOf(svg, byKind(svg, 'label')[1]!), /retransmits #1/);
    const timer = byKind(svg, 'span')[0]!;
    assert.equal(timer.attrs['data-host'], 'c');
    assert.equal(num(timer, 'data-to-ms'), 1000);
  });

  it('draws a long idle span as a broken axis instead of to scale', () => {
    const doc = handshake({
      messages: [
        { from: 'c', to: 's', proto: 'HTTP/1.1', label: 'GET /a' },
        { from: 's', to: 'c', proto: 'HTTP/1.1', label: '200 OK' },
        { t: '1rtt + 30s', from: 'c', to: 's', proto: 'HTTP/1.1', label: 'GET /b' },
        { from: 's', to: 'c', proto: 'HTTP/1.1', label: '200 OK' },
      ],
      spans: [{ from: 1, to: '1rtt + 30s', label: 'pool idle', kind: 'idle' }],
      states: [],
    });
    const svg = renderSvg(doc);
    const breaks = byKind(svg, 'break');
    assert.equal(breaks.length, 1);
    assert.match(textOf(svg, breaks[0]!), /30 s ⋯ pool idle/);
    assert.equal(num(byKind(svg, 'total')[0]!, 'data-total-ms'), 30_080);
    const lines = arrows(svg);
    const gap = num(lines[2]!, 'y1') - num(lines[1]!, 'y2');
    assert.ok(gap > 0 && gap < 100, `idle gap drawn in ${gap} px`);
    assert.ok(Number(elements(svg)[0]!.attrs.height) < 1200);
    // A short idle span (≤ 4 RTT) stays to scale.
    const short = handshake({ spans: [{ from: 1, to: 2, label: 'short', kind: 'idle' }] });
    assert.equal(byKind(renderSvg(short), 'break').length, 0);
  });

  it('stacks packets that leave together and keeps labels apart from each other', () => {
    const svg = renderSvg(handshake());
    const [, , ack, get] = arrows(svg);
    // ACK and GET leave at the same time on the same path: parallel, not on top of each other.
    assert.notEqual(num(ack!, 'y1'), num(get!, 'y1'));
    assert.equal(num(ack!, 'y2') - num(ack!, 'y1'), num(get!, 'y2') - num(get!, 'y1'));
    const boxes = labelBoxes(svg);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `labels of steps ${a.step} and ${b.step} overlap`);
      }
    }
  });

  it('is an accessible image with a title, a description and the total', () => {
    const svg = renderSvg(handshake({ description: 'Three packets open the connection.' }));
    const root = elements(svg)[0]!;
    assert.equal(root.attrs.role, 'img');
    assert.equal(root.attrs['aria-labelledby'], 'handshake-title handshake-desc');
    assert.match(svg, /<title id="handshake-title">TCP handshake<\/title>/);
    assert.match(svg, /<desc id="handshake-desc">Three packets open the connection\. Total 85 ms = 2\.13 RTT at RTT 40 ms\.<\/desc>/);
    assert.doesNotMatch(svg, /<style/);
    assert.match(renderSvg(handshake(), { embedStyles: true }), /<style><!\[CDATA\[[^<]*var\(--vscode-charts-blue/);
  });

  it('draws the request-phase strip from message phases', () => {
    const svg = renderSvg(handshake());
    const phases = byKind(svg, 'phase').map((p) => `${p.attrs['data-phase']}:${p.attrs['data-from-ms']}-${p.attrs['data-to-ms']}`);
    // TCP runs from the SYN until the request leaves; the response from the server's send to arrival.
    assert.deepEqual(phases, ['tcp:0-40', 'request:40-60', 'response:65-85']);
  });
});

describe('capture-sized sequence diagrams', () => {
  it('renders 2000 captured packets, one arrow each, with room for every label', () => {
    const messages = Array.from({ length: 2000 }, (_, i) => ({
      t: i * 150,
      arrive: i * 150,
      from: i % 2 ? 's' : 'c',
      to: i % 2 ? 'c' : 's',
      proto: 'TCP',
      flags: ['ACK' as const],
      seq: i * 1448,
      len: 1448,
      frame: i + 1,
    }));
    const capture: SequenceDiagram = { kind: 'sequence', version: 1, id: 'cap', title: 'capture', timeUnit: 'us', hosts: [{ id: 'c' }, { id: 's' }], messages };
    const started = performance.now();
    const svg = renderSvg(capture);
    const elapsed = performance.now() - started;
    assert.equal(arrows(svg).length, 2000);
    assert.equal(byKind(svg, 'message')[1999]!.attrs['data-frame'], '2000');
    assert.ok(Number(elements(svg)[0]!.attrs.height) >= 36 * 2000, 'one label row per packet');
    // Generous bound: label placement must stay near-linear (it was quadratic: ~10 s here).
    assert.ok(elapsed < 5000, `rendered in ${elapsed.toFixed(0)} ms`);
  });
});
