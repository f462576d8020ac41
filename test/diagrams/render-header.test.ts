// Header layouts in 32-bit rows, encapsulation stacks, and the text-alternative tables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  layoutHeader,
  renderSvg,
  renderTable,
  stackTotals,
  type EncapsulationStack,
  type HeaderLayout,
} from '../../server/src/diagrams/index';
import { assertWellFormed, byKind, elements, handshake, num, tcpHeader, textOf } from './helpers';

function rowsOf(svg: string): Map<number, { col: number; bits: number; name: string; x: number; width: number }[]> {
  const all = elements(svg);
  const rows = new Map<number, { col: number; bits: number; name: string; x: number; width: number }[]>();
  for (const field of byKind(svg, 'field')) {
    const shape = all.find((e) => e.at > field.at && /wl-field-box/.test(e.attrs.class ?? ''))!;
    const x = shape.name === 'rect' ? num(shape, 'x') : Number(/^M([\d.]+)/.exec(shape.attrs.d!)![1]);
    const width = shape.name === 'rect' ? num(shape, 'width') : Number(/H([\d.]+)/.exec(shape.attrs.d!)![1]) - x;
    const row = num(field, 'data-row');
    if (!rows.has(row)) rows.set(row, []);
    rows.get(row)!.push({ col: num(field, 'data-col'), bits: num(field, 'data-bits'), name: field.attrs['data-name']!, x, width });
  }
  return rows;
}

const tlsRecord: HeaderLayout = {
  kind: 'header',
  version: 1,
  id: 'tls-record-header',
  title: 'TLS record header',
  fields: [
    { name: 'Content Type', bits: 8, values: { '22': 'handshake', '23': 'application_data' } },
    { name: 'Legacy Version', bits: 16 },
    { name: 'Length', bits: 16 },
    { name: 'Fragment', bits: 'var', maxBytes: 16640 },
  ],
};

describe('header layout rendering', () => {
  it('lays the TCP header out in five full 32-bit rows plus the options', () => {
    const svg = renderSvg(tcpHeader());
    assertWellFormed(svg);
    const rows = rowsOf(svg);
    assert.equal(rows.size, 6);
    for (let r = 0; r < 5; r++) {
      const boxes = rows.get(r)!;
      assert.equal(boxes.reduce((sum, b) => sum + b.bits, 0), 32, `row ${r} holds 32 bits`);
      // Contiguous: each box starts where the previous one ends, the row spans the full width.
      for (let i = 1; i < boxes.length; i++) {
        assert.equal(boxes[i]!.col, boxes[i - 1]!.col + boxes[i - 1]!.bits);
        assert.ok(Math.abs(boxes[i]!.x - (boxes[i - 1]!.x + boxes[i - 1]!.width)) < 0.01);
      }
    }
    assert.deepEqual(rows.get(3)!.map((b) => b.name), ['Data Offset', 'Reserved', 'CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN', 'Window']);
    assert.deepEqual(rows.get(5)!.map((b) => b.name), ['Options']);
    assert.equal(byKind(svg, 'field').find((f) => f.attrs['data-name'] === 'Options')!.attrs['data-variable'], 'true');
    // Byte offsets down the left, the RFC way.
    assert.deepEqual(byKind(svg, 'offset').map((o) => textOf(svg, o)), ['0', '4', '8', '12', '16', '20']);
    // One-bit flags use their short label; the full name stays in the tooltip.
    const syn = byKind(svg, 'field').find((f) => f.attrs['data-name'] === 'SYN')!;
    assert.match(textOf(svg, syn), /^S$/);
    assert.match(svg, /<title>SYN — 1 bit<\/title>/);
    assert.match(svg, /<desc id="tcp-header-desc">18 fields in rows of 32 bits; 20 bytes fixed, then Options \(0–40 bytes\)\.<\/desc>/);
  });

  it('splits a field that crosses a row boundary into one box per row', () => {
    const g = layoutHeader(tlsRecord);
    assert.deepEqual(
      g.segments.map((s) => [s.field.name, s.row, s.col, s.bits, s.part]),
      [
        ['Content Type', 0, 0, 8, 0],
        ['Legacy Version', 0, 8, 16, 0],
        ['Length', 0, 24, 8, 0],
        ['Length', 1, 0, 8, 1],
        ['Fragment', 1, 8, 24, 0],
      ],
    );
    assert.equal(g.fixedBits, 40);
    const svg = renderSvg(tlsRecord);
    const continued = byKind(svg, 'field').filter((f) => /wl-continued/.test(f.attrs.class!));
    assert.deepEqual(continued.map((f) => f.attrs['data-name']), ['Length']);
  });

  it('honours bitsPerRow', () => {
    const g = layoutHeader({ ...tlsRecord, bitsPerRow: 16 });
    assert.ok(g.segments.every((s) => s.col + s.bits <= 16));
    // 8 + 8 | 8 + 8 | 8 + the fragment opening in the rest of the third row.
    assert.equal(g.rows, 3);
    assert.deepEqual(g.segments.map((s) => [s.field.name, s.row, s.col, s.bits]).slice(-2), [['Length', 2, 0, 8], ['Fragment', 2, 8, 8]]);
  });

  it('describes the header as a table with bit positions, sizes and notes', () => {
    const html = renderTable(tcpHeader());
    assertWellFormed(html);
    assert.equal((html.match(/<tr data-row=/g) ?? []).length, 18);
    assert.match(html, /<caption>TCP header \(20 bytes fixed, big-endian fields\)<\/caption>/);
    assert.match(html, /<td class="wl-num">bits 0–15<\/td><td>Source Port<\/td><td class="wl-num">16 bits<\/td>/);
    assert.match(html, /<td class="wl-num">bit 110<\/td><td>SYN<\/td>/);
    assert.match(html, /from byte 20<\/td><td>Options<\/td><td class="wl-num">0–40 bytes<\/td><td>length: Data Offset \* 4 - 20<\/td>/);
    assert.match(renderTable(tlsRecord), /values: 22 = handshake, 23 = application_data/);
  });
});

describe('encapsulation stack rendering', () => {
  const stack: EncapsulationStack = {
    kind: 'stack',
    version: 1,
    id: 'one-byte',
    title: 'One byte over TLS',
    layers: [
      { name: 'Ethernet', headerBytes: 14, trailerBytes: 4 },
      { name: 'IPv4', headerBytes: 20, layout: 'ipv4-header' },
      { name: 'TCP', headerBytes: 32 },
      { name: 'TLS record', headerBytes: 5, trailerBytes: 17 },
    ],
    payload: { name: 'application data', bytes: 1 },
  };

  it('computes the bytes on the wire and draws them to scale', () => {
    assert.deepEqual(stackTotals(stack), { headerBytes: 71, trailerBytes: 21, payloadBytes: 1, wireBytes: 93, overhead: 92 / 93 });
    const svg = renderSvg(stack);
    assertWellFormed(svg);
    assert.equal(byKind(svg, 'layer').length, 4);
    assert.equal(byKind(svg, 'layer')[1]!.attrs['data-layout'], 'ipv4-header');
    const pieces = byKind(svg, 'wire');
    assert.equal(pieces.reduce((sum, p) => sum + num(p, 'data-bytes'), 0), 93);
    assert.deepEqual(pieces.map((p) => p.attrs['data-name']), [
      'Ethernet header', 'IPv4 header', 'TCP header', 'TLS record header', 'application data', 'TLS record trailer', 'Ethernet trailer',
    ]);
    assert.match(textOf(svg, byKind(svg, 'overhead')[0]!), /^1 byte of application data takes 93 bytes on the wire: 92 bytes \(98\.9%\) are headers and trailers\.$/);
    const table = renderTable(stack);
    assertWellFormed(table);
    assert.match(table, /<td class="wl-num" colspan="2">93 B<\/td><td>98\.9% overhead<\/td>/);
  });
});

describe('sequence table', () => {
  it('lists every packet with its step, times at the chosen RTT, endpoints, label and explanation', () => {
    const doc = handshake();
    const html = renderTable(doc, 100);
    assertWellFormed(html);
    const rows = [...html.matchAll(/<tr data-step="(\d+)"[^>]*>(.*?)<\/tr>/g)];
    assert.deepEqual(rows.map((r) => r[1]), ['1', '2', '3', '4', '5']);
    assert.match(rows[0]![2]!, /<td class="wl-num">0 ms → 50 ms<\/td><td>client → server<\/td><td><strong>TCP SYN<\/strong><br><code>seq=0<\/code><\/td><td>\[TCP\] open<\/td>/);
    assert.match(rows[4]![2]!, /155 ms → 205 ms/);
    assert.match(html, /<caption>TCP handshake: 5 packets at RTT 100 ms, total 205 ms \(2\.05 RTT\)<\/caption>/);
    assert.match(html, /data-kind="intervals".*TCP: 1 RTT \(100 ms, 1 RTT\).*state: ESTABLISHED/);
    const lost = handshake();
    lost.messages[0]!.lost = true;
    lost.messages[0]!.label = '<b>x</b>';
    const lostHtml = renderTable(lost);
    assert.match(lostHtml, /<tr data-step="1" class="wl-lost-row"><td class="wl-num">1<\/td><td class="wl-num">0 ms → lost<\/td>/);
    assert.match(lostHtml, /&lt;b&gt;x&lt;\/b&gt;/);
    assertWellFormed(lostHtml);
  });
});
