// The byte view: every byte shown once, in labelled ranges, unlabelled gaps included, long runs cut.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hexBytes, renderBytes, renderSvg, type Message } from '../../server/src/diagrams/index';
import { assertWellFormed, byKind, handshake } from './helpers';

const record: Message = {
  from: 'c',
  to: 's',
  proto: 'TLS',
  label: 'ClientHello <1>',
  bytes: {
    hex: '16 03 01 00 f8 01 00 00 f4 03 03' + ' 00'.repeat(60),
    ranges: [
      { start: 0, end: 1, field: 'Content Type', note: '22 = handshake', layout: 'tls-record-header' },
      { start: 1, end: 3, field: 'Legacy Version', note: '"3.1" for compatibility <sic>' },
      { start: 3, end: 5, field: 'Length', note: '0xf8 = 248 bytes follow' },
      { start: 9, end: 71, field: 'Handshake body' },
    ],
  },
};

describe('byte view', () => {
  it('shows labelled ranges and the unlabelled bytes between them', () => {
    assert.deepEqual(hexBytes('16 03\n01'), ['16', '03', '01']);
    const html = renderBytes(record, { maxBytesPerRange: 8 });
    assertWellFormed(html);
    const items = [...html.matchAll(/<li ([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(items, [
      'data-start="0" data-end="1" data-range="0" data-layout="tls-record-header"',
      'data-start="1" data-end="3" data-range="1"',
      'data-start="3" data-end="5" data-range="2"',
      'data-start="5" data-end="9" class="wl-unlabelled"',
      'data-start="9" data-end="71" data-range="3"',
    ]);
    assert.match(html, /<code class="wl-hex">00 f8<\/code> <span class="wl-field-name">Length<\/span> <span class="wl-size">\(2 bytes\)<\/span>/);
    assert.match(html, /<code class="wl-hex">03 03 00 00 00 00 00 00 … 54 more bytes<\/code>/);
    assert.match(html, /ClientHello &lt;1&gt; — 71 bytes/);
    assert.match(html, /&lt;sic&gt;/);
    assert.equal(renderBytes({ from: 'c', to: 's', proto: 'TCP' }), '');
  });

  it('marks arrows that have bytes to open', () => {
    const doc = handshake();
    doc.messages[3] = { ...doc.messages[3]!, bytes: { hex: '47 45 54', ranges: [{ start: 0, end: 3, field: 'method' }] } };
    const groups = byKind(renderSvg(doc), 'message');
    assert.deepEqual(groups.map((g) => g.attrs['data-has-bytes'] ?? '-'), ['-', '-', '-', 'true', '-']);
  });
});
