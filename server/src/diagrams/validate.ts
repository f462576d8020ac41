// Validates an unknown JSON value as a diagram document. Hand-written rather than a JSON Schema + ajv:
// ajv compiles validators with `new Function`, which the webview's CSP (no 'unsafe-eval') forbids, and
// most rules here are cross-field (times ordered at every RTT, host references, contiguous header bits).
// Every error names the file and the exact field path: "f.json: messages[2].arrive: must be >= send".
import { formatMs, parseTime } from './time';
import { DEFAULT_RTT_MS, DEFAULT_RTT_RANGE, resolveSequence } from './timeline';
import { PHASES, TCP_FLAGS, type Diagram, type SequenceDiagram, type TimeUnit } from './types';

export type ValidationResult = { ok: true; diagram: Diagram; errors: [] } | { ok: false; errors: string[] };

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const HOST_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const HOST_ROLES = ['client', 'server', 'proxy', 'nat', 'resolver', 'balancer', 'database', 'router'];
const SPAN_KINDS = ['rtt', 'handshake', 'timer', 'idle', 'wait'];
const MAX_HOSTS = 8;

type Obj = Record<string, unknown>;

/** Collects errors; paths are built like `messages[2].flags[0]`. */
class Checker {
  readonly errors: string[] = [];
  constructor(private readonly file: string | undefined) {}

  error(path: string, message: string): void {
    const where = path === '' ? '(document)' : path;
    this.errors.push(this.file ? `${this.file}: ${where}: ${message}` : `${where}: ${message}`);
  }

  object(value: unknown, path: string): Obj | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Obj;
    this.error(path, `must be an object, got ${describe(value)}`);
    return undefined;
  }

  array(value: unknown, path: string, minLength = 0): unknown[] | undefined {
    if (value === undefined) {
      this.error(path, 'is required');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.error(path, `must be an array, got ${describe(value)}`);
      return undefined;
    }
    if (value.length < minLength) this.error(path, `must have at least ${minLength} item${minLength === 1 ? '' : 's'}`);
    return value;
  }

  /** Unknown keys are errors: a typo such as "arive" would otherwise be ignored silently. */
  keys(obj: Obj, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        const hint = closest(key, allowed);
        this.error(join(path, key), `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}`);
      }
    }
  }

  required(obj: Obj, path: string, key: string): boolean {
    if (obj[key] === undefined) {
      this.error(join(path, key), 'is required');
      return false;
    }
    return true;
  }

  string(obj: Obj, path: string, key: string, opts: { required?: boolean; pattern?: RegExp; patternText?: string } = {}): string | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (opts.required) this.error(join(path, key), 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.error(join(path, key), `must be a string, got ${describe(value)}`);
      return undefined;
    }
    if (opts.required && value.trim() === '') {
      this.error(join(path, key), 'must not be empty');
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.error(join(path, key), `must match ${opts.patternText ?? String(opts.pattern)}, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  integer(obj: Obj, path: string, key: string, min: number, opts: { required?: boolean; max?: number } = {}): number | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (opts.required) this.error(join(path, key), 'is required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.error(join(path, key), `must be an integer, got ${describe(value)}`);
      return undefined;
    }
    if (value < min) {
      this.error(join(path, key), `must be >= ${min}, got ${value}`);
      return undefined;
    }
    if (opts.max !== undefined && value > opts.max) {
      this.error(join(path, key), `must be <= ${opts.max}, got ${value}`);
      return undefined;
    }
    return value;
  }

  boolean(obj: Obj, path: string, key: string): void {
    if (obj[key] !== undefined && typeof obj[key] !== 'boolean') this.error(join(path, key), `must be true or false, got ${describe(obj[key])}`);
  }

  oneOf<T extends string>(obj: Obj, path: string, key: string, allowed: readonly T[], required = false): T | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.error(join(path, key), `is required (one of ${allowed.join(', ')})`);
      return undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.error(join(path, key), `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
      return undefined;
    }
    return value as T;
  }

  stringArray(obj: Obj, path: string, key: string): void {
    const value = obj[key];
    if (value === undefined) return;
    const items = this.array(value, join(path, key));
    items?.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') this.error(`${join(path, key)}[${i}]`, `must be a non-empty string, got ${describe(item)}`);
    });
  }

  time(obj: Obj, path: string, key: string, unit: TimeUnit, required = false): void {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.error(join(path, key), 'is required');
      return;
    }
    const parsed = parseTime(value, unit);
    if (typeof parsed === 'string') this.error(join(path, key), parsed);
  }
}

function join(path: string, key: string): string {
  if (path === '') return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Suggests a known key for a misspelt one (edit distance ≤ 2). */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

const ENVELOPE = ['kind', 'version', 'id', 'title', 'description', 'cite'];

/** Validates `value` as a diagram document. `file` prefixes every error (e.g. "media/diagrams/x.json"). */
export function validateDiagram(value: unknown, file?: string): ValidationResult {
  const c = new Checker(file);
  const doc = c.object(value, '');
  if (!doc) return { ok: false, errors: c.errors };
  const kind = c.oneOf(doc, '', 'kind', ['sequence', 'header', 'stack'] as const, true);
  if (doc.version !== 1) c.error('version', `must be 1, got ${describe(doc.version)}`);
  const id = c.string(doc, '', 'id', { required: true, pattern: ID_PATTERN, patternText: 'lower-case letters, digits and dashes' });
  c.string(doc, '', 'title', { required: true });
  c.string(doc, '', 'description');
  c.stringArray(doc, '', 'cite');
  if (file !== undefined && id !== undefined && file.endsWith('.json')) {
    const base = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
    if (base !== id) c.error('id', `must equal the file name "${base}", got ${JSON.stringify(id)}`);
  }
  if (kind === 'sequence') checkSequence(c, doc);
  else if (kind === 'header') checkHeader(c, doc);
  else if (kind === 'stack') checkStack(c, doc);
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return { ok: true, diagram: doc as unknown as Diagram, errors: [] };
}

/** JSON text → validated diagram; a syntax error is reported like any other error. */
export function parseDiagram(json: string, file?: string): ValidationResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [`${file ? `${file}: ` : ''}(document): invalid JSON: ${message}`] };
  }
  return validateDiagram(value, file);
}

// ---------------------------------------------------------------- sequence

const SEQUENCE_KEYS = [...ENVELOPE, 'timeUnit', 'rtt', 'rttRange', 'hosts', 'oneWayDelay', 'messages', 'spans', 'states', 'notes'];
const HOST_KEYS = ['id', 'label', 'addr', 'role'];
const MESSAGE_KEYS = [
  't', 'wait', 'arrive', 'from', 'to', 'proto', 'flags', 'seq', 'ack', 'len', 'win', 'opts', 'label', 'explain', 'phase',
  'lost', 'retransmitOf', 'stream', 'encapsulates', 'bytes', 'frame', 'note', 'lesson',
];
const ENCAPSULATED_KEYS = ['proto', 'label', 'len', 'stream', 'note'];
const SPAN_KEYS = ['from', 'to', 'label', 'host', 'kind', 'step'];

function checkSequence(c: Checker, doc: Obj): void {
  c.keys(doc, '', SEQUENCE_KEYS);
  const unit = c.oneOf(doc, '', 'timeUnit', ['rtt', 'ms', 'us'] as const) ?? 'rtt';
  const rtt = checkRtt(c, doc);

  const hostIds = new Set<string>();
  const hosts = c.array(doc.hosts, 'hosts', 2);
  hosts?.forEach((raw, i) => {
    const path = `hosts[${i}]`;
    const host = c.object(raw, path);
    if (!host) return;
    c.keys(host, path, HOST_KEYS);
    const id = c.string(host, path, 'id', { required: true, pattern: HOST_ID_PATTERN, patternText: 'a letter then letters, digits or _' });
    if (id !== undefined) {
      if (hostIds.has(id)) c.error(`${path}.id`, `duplicate host id ${JSON.stringify(id)}`);
      hostIds.add(id);
    }
    c.string(host, path, 'label');
    c.string(host, path, 'addr');
    c.oneOf(host, path, 'role', HOST_ROLES);
  });
  if (hosts && hosts.length > MAX_HOSTS) c.error('hosts', `at most ${MAX_HOSTS} hosts fit side by side, got ${hosts.length}`);
  const hostRef = (obj: Obj, path: string, key: string, required: boolean): string | undefined => {
    const id = c.string(obj, path, key, { required });
    if (id !== undefined && !hostIds.has(id)) {
      c.error(join(path, key), `unknown host ${JSON.stringify(id)} (hosts: ${[...hostIds].join(', ')})`);
      return undefined;
    }
    return id;
  };

  if (doc.oneWayDelay !== undefined) {
    const delays = c.object(doc.oneWayDelay, 'oneWayDelay');
    if (delays) {
      for (const key of Object.keys(delays)) {
        const path = join('oneWayDelay', key);
        const match = /^([^-\s]+)\s*->\s*([^-\s]+)$/.exec(key);
        if (!match) c.error(path, 'key must look like "c->s"');
        else if (!hostIds.has(match[1]!) || !hostIds.has(match[2]!)) c.error(path, `key names unknown host (hosts: ${[...hostIds].join(', ')})`);
        else if (match[1] === match[2]) c.error(path, 'the two hosts must differ');
        c.time(delays, 'oneWayDelay', key, unit);
      }
    }
  }

  const messages = c.array(doc.messages, 'messages', 1);
  messages?.forEach((raw, i) => checkMessage(c, raw, `messages[${i}]`, i, unit, hostRef, messages));

  if (doc.spans !== undefined) {
    c.array(doc.spans, 'spans')?.forEach((raw, i) => {
      const path = `spans[${i}]`;
      const span = c.object(raw, path);
      if (!span) return;
      c.keys(span, path, SPAN_KEYS);
      c.time(span, path, 'from', unit, true);
      c.time(span, path, 'to', unit, true);
      c.string(span, path, 'label', { required: true });
      hostRef(span, path, 'host', false);
      c.oneOf(span, path, 'kind', SPAN_KINDS);
      checkStep(c, span, path, messages?.length ?? 0);
    });
  }
  for (const [key, textKey] of [['states', 'state'], ['notes', 'text']] as const) {
    if (doc[key] === undefined) continue;
    c.array(doc[key], key)?.forEach((raw, i) => {
      const path = `${key}[${i}]`;
      const item = c.object(raw, path);
      if (!item) return;
      c.keys(item, path, ['host', 't', textKey, 'step']);
      hostRef(item, path, 'host', true);
      c.time(item, path, 't', unit, true);
      c.string(item, path, textKey, { required: true });
      checkStep(c, item, path, messages?.length ?? 0);
    });
  }

  if (c.errors.length === 0) checkTiming(c, doc as unknown as SequenceDiagram, rtt);
}

function checkRtt(c: Checker, doc: Obj): { nominal: number; range: [number, number] } {
  let nominal = DEFAULT_RTT_MS;
  if (doc.rtt !== undefined) {
    if (typeof doc.rtt !== 'number' || !Number.isFinite(doc.rtt) || doc.rtt <= 0) c.error('rtt', `must be a number of milliseconds > 0, got ${describe(doc.rtt)}`);
    else nominal = doc.rtt;
  }
  let range: [number, number] = [...DEFAULT_RTT_RANGE];
  if (doc.rttRange !== undefined) {
    const r = doc.rttRange;
    if (!Array.isArray(r) || r.length !== 2 || r.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v <= 0) || r[0] > r[1]) {
      c.error('rttRange', `must be [min, max] in ms with 0 < min <= max, got ${JSON.stringify(r)}`);
    } else {
      range = [r[0], r[1]];
    }
  }
  if (nominal < range[0] || nominal > range[1]) c.error('rtt', `must lie inside rttRange [${range[0]}, ${range[1]}], got ${nominal}`);
  return { nominal, range };
}

function checkStep(c: Checker, obj: Obj, path: string, stepCount: number): void {
  c.integer(obj, path, 'step', 1, { max: Math.max(1, stepCount) });
}

function checkMessage(
  c: Checker,
  raw: unknown,
  path: string,
  index: number,
  unit: TimeUnit,
  hostRef: (obj: Obj, path: string, key: string, required: boolean) => string | undefined,
  all: unknown[],
): void {
  const m = c.object(raw, path);
  if (!m) return;
  c.keys(m, path, MESSAGE_KEYS);
  c.time(m, path, 't', unit);
  c.time(m, path, 'wait', unit);
  if (m.wait !== undefined && m.t !== undefined) c.error(`${path}.wait`, 'only allowed when t is omitted (it is added to the default send time)');
  c.time(m, path, 'arrive', unit);
  const from = hostRef(m, path, 'from', true);
  const to = hostRef(m, path, 'to', true);
  if (from !== undefined && from === to) c.error(`${path}.to`, 'must differ from from');
  c.string(m, path, 'proto', { required: true });
  if (m.flags !== undefined) {
    const seen = new Set<string>();
    c.array(m.flags, `${path}.flags`)?.forEach((flag, i) => {
      if (typeof flag !== 'string' || !(TCP_FLAGS as readonly string[]).includes(flag)) {
        c.error(`${path}.flags[${i}]`, `must be one of ${TCP_FLAGS.join(', ')}, got ${describe(flag)}`);
      } else if (seen.has(flag)) {
        c.error(`${path}.flags[${i}]`, `duplicate flag ${flag}`);
      } else {
        seen.add(flag);
      }
    });
  }
  for (const key of ['seq', 'ack', 'len', 'win', 'stream']) c.integer(m, path, key, 0);
  c.integer(m, path, 'frame', 1);
  if (m.opts !== undefined) {
    const opts = c.object(m.opts, `${path}.opts`);
    if (opts) {
      for (const [key, value] of Object.entries(opts)) {
        if (!['number', 'boolean', 'string'].includes(typeof value)) c.error(join(`${path}.opts`, key), `must be a number, boolean or string, got ${describe(value)}`);
      }
    }
  }
  for (const key of ['label', 'explain', 'note']) c.string(m, path, key);
  c.string(m, path, 'lesson', { pattern: ID_PATTERN, patternText: 'a lesson id (lower-case letters, digits and dashes)' });
  c.oneOf(m, path, 'phase', PHASES);
  c.boolean(m, path, 'lost');
  const original = c.integer(m, path, 'retransmitOf', 0);
  if (original !== undefined) {
    if (original >= index) {
      c.error(`${path}.retransmitOf`, `must name an earlier message (index < ${index}), got ${original}`);
    } else {
      const first = all[original] as Obj | null;
      if (first && typeof first === 'object' && (first.from !== m.from || first.to !== m.to)) {
        c.error(`${path}.retransmitOf`, `messages[${original}] goes ${String(first.from)}->${String(first.to)}, this one ${String(m.from)}->${String(m.to)}`);
      }
    }
  }
  if (m.encapsulates !== undefined) {
    c.array(m.encapsulates, `${path}.encapsulates`)?.forEach((rawItem, i) => {
      const itemPath = `${path}.encapsulates[${i}]`;
      const item = c.object(rawItem, itemPath);
      if (!item) return;
      c.keys(item, itemPath, ENCAPSULATED_KEYS);
      c.string(item, itemPath, 'proto', { required: true });
      c.string(item, itemPath, 'label');
      c.string(item, itemPath, 'note');
      c.integer(item, itemPath, 'len', 0);
      c.integer(item, itemPath, 'stream', 0);
    });
  }
  if (m.bytes !== undefined) checkBytes(c, m.bytes, `${path}.bytes`);
}

function checkBytes(c: Checker, raw: unknown, path: string): void {
  const bytes = c.object(raw, path);
  if (!bytes) return;
  c.keys(bytes, path, ['hex', 'ranges']);
  const hex = c.string(bytes, path, 'hex', { required: true });
  let length = Infinity;
  if (hex !== undefined) {
    const digits = hex.replace(/\s+/g, '');
    if (!/^[0-9a-fA-F]*$/.test(digits)) c.error(`${path}.hex`, 'must contain only hex digits and whitespace');
    else if (digits.length % 2 !== 0) c.error(`${path}.hex`, `must have an even number of hex digits, got ${digits.length}`);
    else length = digits.length / 2;
  }
  if (!c.required(bytes, path, 'ranges')) return;
  let previousEnd = 0;
  c.array(bytes.ranges, `${path}.ranges`)?.forEach((rawRange, i) => {
    const rangePath = `${path}.ranges[${i}]`;
    const range = c.object(rawRange, rangePath);
    if (!range) return;
    c.keys(range, rangePath, ['start', 'end', 'field', 'note', 'layout']);
    const start = c.integer(range, rangePath, 'start', 0, { required: true });
    const end = c.integer(range, rangePath, 'end', 1, { required: true });
    c.string(range, rangePath, 'field', { required: true });
    c.string(range, rangePath, 'note');
    c.string(range, rangePath, 'layout', { pattern: ID_PATTERN, patternText: 'a diagram id' });
    if (start === undefined || end === undefined) return;
    if (end <= start) c.error(`${rangePath}.end`, `must be > start (${start}), got ${end}`);
    if (end > length) c.error(`${rangePath}.end`, `must be <= the ${length} bytes of hex, got ${end}`);
    if (start < previousEnd) c.error(`${rangePath}.start`, `overlaps the previous range (which ends at ${previousEnd})`);
    previousEnd = Math.max(previousEnd, end);
  });
}

/** Ordering rules at the nominal RTT and both ends of the RTT range (see docs/diagram-format.md §3.3). */
function checkTiming(c: Checker, diagram: SequenceDiagram, rtt: { nominal: number; range: [number, number] }): void {
  const reported = new Set<string>();
  const report = (path: string, message: string): void => {
    if (reported.has(path)) return;
    reported.add(path);
    c.error(path, message);
  };
  const rtts = [...new Set([rtt.nominal, rtt.range[0], rtt.range[1]])];
  for (const rttMs of rtts) {
    const resolved = resolveSequence(diagram, rttMs);
    if (!resolved.rttScalable && rttMs !== rtt.nominal) break;
    const at = `at RTT ${formatMs(rttMs)}`;
    resolved.messages.forEach((m, i) => {
      const path = `messages[${i}]`;
      if (m.sendMs < 0) report(`${path}.t`, `must be >= 0 (${formatMs(m.sendMs)} ${at})`);
      if (m.arriveMs < m.sendMs) {
        report(`${path}.arrive`, `must be >= send (arrive ${formatMs(m.arriveMs)} < send ${formatMs(m.sendMs)} ${at})`);
      }
      const previous = resolved.messages[i - 1];
      if (previous && m.sendMs < previous.sendMs) {
        report(
          `${path}.${diagram.messages[i]!.t === undefined ? 'wait' : 't'}`,
          `must be >= messages[${i - 1}] send time: messages are listed in send order (${formatMs(m.sendMs)} < ${formatMs(previous.sendMs)} ${at})`,
        );
      }
    });
    resolved.spans.forEach((s, i) => {
      if (s.fromMs < 0) report(`spans[${i}].from`, `must be >= 0 (${formatMs(s.fromMs)} ${at})`);
      if (s.toMs < s.fromMs) report(`spans[${i}].to`, `must be >= from (to ${formatMs(s.toMs)} < from ${formatMs(s.fromMs)} ${at})`);
    });
    for (const [key, points] of [['states', resolved.states], ['notes', resolved.notes]] as const) {
      points.forEach((p, i) => {
        if (p.tMs < 0) report(`${key}[${i}].t`, `must be >= 0 (${formatMs(p.tMs)} ${at})`);
      });
    }
  }
}

// ---------------------------------------------------------------- header

const HEADER_KEYS = [...ENVELOPE, 'bitsPerRow', 'byteOrder', 'fields'];
const FIELD_KEYS = ['name', 'bits', 'start', 'short', 'minBytes', 'maxBytes', 'lengthFrom', 'values', 'note', 'cite'];

function checkHeader(c: Checker, doc: Obj): void {
  c.keys(doc, '', HEADER_KEYS);
  if (doc.bitsPerRow !== undefined && ![8, 16, 32, 64].includes(doc.bitsPerRow as number)) {
    c.error('bitsPerRow', `must be 8, 16, 32 or 64, got ${describe(doc.bitsPerRow)}`);
  }
  c.oneOf(doc, '', 'byteOrder', ['big', 'little', 'host']);
  const names = new Set<string>();
  // Bit offset where the next field starts; after a variable part, relative to that part's end.
  let offset = 0;
  let afterVar = false;
  c.array(doc.fields, 'fields', 1)?.forEach((raw, i) => {
    const path = `fields[${i}]`;
    const field = c.object(raw, path);
    if (!field) return;
    c.keys(field, path, FIELD_KEYS);
    const name = c.string(field, path, 'name', { required: true });
    if (name !== undefined) {
      if (names.has(name)) c.error(`${path}.name`, `duplicate field name ${JSON.stringify(name)}`);
      names.add(name);
    }
    c.string(field, path, 'short');
    c.string(field, path, 'note');
    c.string(field, path, 'cite');
    if (field.values !== undefined) {
      const values = c.object(field.values, `${path}.values`);
      if (values) for (const [key, value] of Object.entries(values)) {
        if (typeof value !== 'string') c.error(join(`${path}.values`, key), `must be a string, got ${describe(value)}`);
      }
    }
    const start = c.integer(field, path, 'start', 0);
    if (start !== undefined) {
      if (afterVar) c.error(`${path}.start`, 'cannot be given after a variable-length field (offsets are no longer fixed)');
      else if (start > offset) c.error(`${path}.start`, `leaves a gap: the previous field ends at bit ${offset}, this one starts at ${start}`);
      else if (start < offset) c.error(`${path}.start`, `overlaps the previous field, which ends at bit ${offset}; got ${start}`);
    }
    const bits = field.bits;
    if (bits === 'var') {
      if (offset % 8 !== 0) c.error(`${path}.bits`, `a variable-length field must start on a byte boundary, this one starts at bit ${offset}`);
      const min = c.integer(field, path, 'minBytes', 0);
      const max = c.integer(field, path, 'maxBytes', 0);
      if (min !== undefined && max !== undefined && min > max) c.error(`${path}.maxBytes`, `must be >= minBytes (${min}), got ${max}`);
      c.string(field, path, 'lengthFrom');
      offset = 0;
      afterVar = true;
    } else if (typeof bits === 'number' && Number.isInteger(bits) && bits >= 1) {
      for (const key of ['minBytes', 'maxBytes', 'lengthFrom']) {
        if (field[key] !== undefined) c.error(`${path}.${key}`, 'only allowed with bits: "var"');
      }
      offset += bits;
    } else if (bits === undefined) {
      c.error(`${path}.bits`, 'is required (a width in bits, or "var")');
    } else {
      c.error(`${path}.bits`, `must be a positive integer or "var", got ${describe(bits)}`);
    }
  });
}

// ---------------------------------------------------------------- stack

function checkStack(c: Checker, doc: Obj): void {
  c.keys(doc, '', [...ENVELOPE, 'layers', 'payload']);
  c.array(doc.layers, 'layers', 1)?.forEach((raw, i) => {
    const path = `layers[${i}]`;
    const layer = c.object(raw, path);
    if (!layer) return;
    c.keys(layer, path, ['name', 'headerBytes', 'trailerBytes', 'layout', 'note']);
    c.string(layer, path, 'name', { required: true });
    c.integer(layer, path, 'headerBytes', 0, { required: true });
    c.integer(layer, path, 'trailerBytes', 0);
    c.string(layer, path, 'layout', { pattern: ID_PATTERN, patternText: 'a diagram id' });
    c.string(layer, path, 'note');
  });
  if (c.required(doc, '', 'payload')) {
    const payload = c.object(doc.payload, 'payload');
    if (payload) {
      c.keys(payload, 'payload', ['name', 'bytes', 'note']);
      c.string(payload, 'payload', 'name', { required: true });
      c.integer(payload, 'payload', 'bytes', 0, { required: true });
      c.string(payload, 'payload', 'note');
    }
  }
}
