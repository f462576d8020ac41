// Validation: every error names the file and the exact field path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDiagram, validateDiagram } from '../../server/src/diagrams/index';
import { handshake, tcpHeader } from './helpers';

const FILE = 'media/diagrams/handshake.json';

function errorsOf(value: unknown, file = FILE): string[] {
  const result = validateDiagram(value, file);
  assert.equal(result.ok, false, 'expected the document to be rejected');
  return result.errors;
}

function mutate<T>(doc: T, change: (d: any) => void): T {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}

describe('diagram validation', () => {
  it('accepts the example documents', () => {
    const seq = validateDiagram(handshake(), FILE);
    assert.deepEqual(seq.errors, []);
    assert.equal(seq.ok, true);
    assert.deepEqual(validateDiagram(tcpHeader(), 'media/diagrams/tcp-header.json').errors, []);
  });

  it('reports arrival before send with the message path and the RTT it fails at', () => {
    const errors = errorsOf(mutate(handshake(), (d) => { d.messages[2].arrive = 0.5; }));
    assert.deepEqual(errors, [`${FILE}: messages[2].arrive: must be >= send (arrive 20 ms < send 40 ms at RTT 40 ms)`]);
  });

  it('checks ordering across the whole RTT range, not only at the nominal RTT', () => {
    // 40 ms fixed send, arrival one RTT later in RTT units: fine at RTT 40, inverted at RTT 1 ms.
    const doc = mutate(handshake(), (d) => { d.messages[0].t = '20ms'; d.messages[0].arrive = '1rtt'; });
    const errors = errorsOf(doc);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^media\/diagrams\/handshake\.json: messages\[0\]\.arrive: must be >= send \(arrive 1 ms < send 20 ms at RTT 1 ms\)$/);
    // Narrowing the range makes the same times valid.
    assert.equal(validateDiagram({ ...doc, rttRange: [30, 300] }, FILE).ok, true);
  });

  it('requires messages in send order', () => {
    const errors = errorsOf(mutate(handshake(), (d) => { d.messages[1].t = 0.25; d.messages[1].arrive = 0.75; d.messages[0].t = 0.5; }));
    assert.ok(errors.some((e) => e.startsWith(`${FILE}: messages[1].t: must be >= messages[0] send time`)), errors.join('\n'));
  });

  it('names unknown hosts, unknown fields (with a suggestion) and bad enums', () => {
    const errors = errorsOf(
      mutate(handshake(), (d) => {
        d.messages[1].to = 'x';
        d.messages[2].arive = 2;
        d.messages[3].phase = 'handshake';
        d.messages[0].flags = ['SYN', 'SYN', 'syn'];
        d.spans[0].kind = 'bracket';
      }),
    );
    assert.deepEqual(errors, [
      `${FILE}: messages[0].flags[1]: duplicate flag SYN`,
      `${FILE}: messages[0].flags[2]: must be one of SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, got "syn"`,
      `${FILE}: messages[1].to: unknown host "x" (hosts: c, s)`,
      `${FILE}: messages[2].arive: unknown field (did you mean "arrive"?)`,
      `${FILE}: messages[3].phase: must be one of dns, tcp, tls, quic, request, response, close, got "handshake"`,
      `${FILE}: spans[0].kind: must be one of rtt, handshake, timer, idle, wait, got "bracket"`,
    ]);
  });

  it('rejects malformed time strings and wait together with t', () => {
    const errors = errorsOf(mutate(handshake(), (d) => { d.messages[0].t = '1 rtt plus 5'; d.messages[1].t = 1; d.messages[1].wait = '5ms'; }));
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0]!, /^media\/diagrams\/handshake\.json: messages\[0\]\.t: "1 rtt plus 5" is not a time/);
    assert.equal(errors[1], `${FILE}: messages[1].wait: only allowed when t is omitted (it is added to the default send time)`);
  });

  it('checks retransmitOf, oneWayDelay keys, duplicate hosts and the id/file-name match', () => {
    const errors = errorsOf(
      mutate(handshake(), (d) => {
        d.id = 'other-name';
        d.hosts.push({ id: 'c' });
        d.oneWayDelay = { 'c->q': '10ms', 'c->s': 'soon' };
        d.messages[2].retransmitOf = 1;
        d.messages[1].retransmitOf = 4;
      }),
    );
    assert.deepEqual(errors, [
      `${FILE}: id: must equal the file name "handshake", got "other-name"`,
      `${FILE}: hosts[2].id: duplicate host id "c"`,
      `${FILE}: oneWayDelay["c->q"]: key names unknown host (hosts: c, s)`,
      `${FILE}: oneWayDelay["c->s"]: "soon" is not a time: use terms like 0.5rtt, 40ms, 1.5s, 250us, 2min, 2h joined by + or -`,
      `${FILE}: messages[1].retransmitOf: must name an earlier message (index < 1), got 4`,
      `${FILE}: messages[2].retransmitOf: messages[1] goes s->c, this one c->s`,
    ]);
  });

  it('validates captured bytes ranges against the hex length', () => {
    const errors = errorsOf(
      mutate(handshake(), (d) => {
        d.messages[3].bytes = { hex: '16 03 01 00 f8', ranges: [{ start: 0, end: 1, field: 'type' }, { start: 0, end: 9, field: 'x' }] };
      }),
    );
    assert.deepEqual(errors, [
      `${FILE}: messages[3].bytes.ranges[1].end: must be <= the 5 bytes of hex, got 9`,
      `${FILE}: messages[3].bytes.ranges[1].start: overlaps the previous range (which ends at 1)`,
    ]);
  });

  it('reports header gaps, overlaps and misaligned variable parts with field paths', () => {
    const file = 'media/diagrams/tcp-header.json';
    const gap = mutate(tcpHeader(), (d) => { d.fields[1].start = 20; });
    assert.deepEqual(errorsOf(gap, file), [`${file}: fields[1].start: leaves a gap: the previous field ends at bit 16, this one starts at 20`]);
    const overlap = mutate(tcpHeader(), (d) => { d.fields[2].start = 24; });
    assert.deepEqual(errorsOf(overlap, file), [`${file}: fields[2].start: overlaps the previous field, which ends at bit 32; got 24`]);
    const misaligned = mutate(tcpHeader(), (d) => { d.fields.splice(17, 0, { name: 'Odd', bits: 3 }); });
    assert.deepEqual(errorsOf(misaligned, file), [`${file}: fields[18].bits: a variable-length field must start on a byte boundary, this one starts at bit 163`]);
    const bad = mutate(tcpHeader(), (d) => { d.fields[0].bits = 0; d.fields[1].name = 'Source Port'; d.fields[3].minBytes = 2; d.bitsPerRow = 24; });
    assert.deepEqual(errorsOf(bad, file), [
      `${file}: bitsPerRow: must be 8, 16, 32 or 64, got 24`,
      `${file}: fields[0].bits: must be a positive integer or "var", got 0`,
      `${file}: fields[1].name: duplicate field name "Source Port"`,
      `${file}: fields[3].minBytes: only allowed with bits: "var"`,
    ]);
  });

  it('accepts explicit contiguous starts', () => {
    const doc = mutate(tcpHeader(), (d) => { d.fields[0].start = 0; d.fields[1].start = 16; d.fields[2].start = 32; });
    assert.equal(validateDiagram(doc).ok, true);
  });

  it('reports the envelope: kind, version, id, missing arrays; and JSON syntax errors', () => {
    assert.deepEqual(errorsOf({ kind: 'pie', version: 2, id: 'Bad Id', title: '' }, 'x.json'), [
      'x.json: kind: must be one of sequence, header, stack, got "pie"',
      'x.json: version: must be 1, got 2',
      'x.json: id: must match lower-case letters, digits and dashes, got "Bad Id"',
      'x.json: title: must not be empty',
    ]);
    assert.deepEqual(errorsOf({ kind: 'sequence', version: 1, id: 'x', title: 't' }, 'x.json'), ['x.json: hosts: is required', 'x.json: messages: is required']);
    assert.deepEqual(errorsOf([1], 'x.json'), ['x.json: (document): must be an object, got an array']);
    const parsed = parseDiagram('{ "kind": ', 'media/diagrams/broken.json');
    assert.equal(parsed.ok, false);
    assert.match(parsed.errors[0]!, /^media\/diagrams\/broken\.json: \(document\): invalid JSON: /);
  });

  it('validates stacks', () => {
    const stack = { kind: 'stack', version: 1, id: 's', title: 'S', layers: [{ name: 'IPv4', headerBytes: -1 }], payload: { name: 'data' } };
    assert.deepEqual(errorsOf(stack, 's.json'), ['s.json: layers[0].headerBytes: must be >= 0, got -1', 's.json: payload.bytes: is required']);
  });
});
