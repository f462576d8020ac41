// A small capture writer for the tests: classic pcap (µs or ns, either byte order) and pcapng (sections of
// either byte order, IDB options, EPB/SPB/NRB/ISB/custom/unknown blocks). Written from the layouts in
// shared/reference/pcap.md so the reader is checked against an independent encoding.

export type Order = 'little' | 'big';

export interface Frame {
  /** Timestamp in nanoseconds since the epoch. */
  tsNs: bigint;
  data: Uint8Array;
  /** Original length on the wire (default data.length). */
  originalLength?: number;
  interfaceId?: number;
  comments?: string[];
  /** epb_flags */
  flags?: number;
}

class Bytes {
  private parts: number[] = [];
  constructor(private readonly order: Order) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    if (this.order === 'little') this.parts.push(v & 0xff, (v >>> 8) & 0xff);
    else this.parts.push((v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  u32(v: number): this {
    const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.order === 'little' ? b.reverse() : b));
    return this;
  }
  u64(v: bigint): this {
    const high = Number((BigInt.asUintN(64, v) >> 32n) & 0xffffffffn);
    const low = Number(BigInt.asUintN(64, v) & 0xffffffffn);
    return this.order === 'little' ? this.u32(low).u32(high) : this.u32(high).u32(low);
  }
  bytes(data: Uint8Array | number[]): this {
    for (const b of data) this.parts.push(b);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }
  /** pcapng timestamps: two 32-bit words, high first, each in the section's byte order. */
  ts(v: bigint): this {
    return this.u32(Number((v >> 32n) & 0xffffffffn)).u32(Number(v & 0xffffffffn));
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface PcapOptions {
  order?: Order;
  precision?: 'us' | 'ns';
  linkType?: number;
  snapLength?: number;
}

export function writePcap(frames: Frame[], options: PcapOptions = {}): Uint8Array {
  const order = options.order ?? 'little';
  const ns = options.precision === 'ns';
  const snap = options.snapLength ?? 262144;
  const out = new Bytes(order)
    .u32(ns ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(snap)
    .u32(options.linkType ?? 1);
  for (const f of frames) {
    const sec = f.tsNs / 1_000_000_000n;
    const frac = f.tsNs % 1_000_000_000n;
    const captured = f.data.subarray(0, Math.min(f.data.length, snap));
    out
      .u32(Number(sec))
      .u32(Number(ns ? frac : frac / 1000n))
      .u32(captured.length)
      .u32(f.originalLength ?? f.data.length)
      .bytes(captured);
  }
  return out.done();
}

export interface Option {
  code: number;
  value: Uint8Array;
}

export const comment = (s: string): Option => ({ code: 1, value: text(s) });

function options(out: Bytes, list: Option[], order: Order): void {
  if (list.length === 0) return;
  for (const o of list) {
    out.u16(o.code).u16(o.value.length).bytes(o.value).pad4();
  }
  void order;
  out.u16(0).u16(0);
}

function block(order: Order, type: number, body: (b: Bytes) => void): Uint8Array {
  const inner = new Bytes(order);
  body(inner);
  inner.pad4();
  const length = inner.length + 12;
  return new Bytes(order).u32(type).u32(length).bytes(inner.done()).u32(length).done();
}

export interface InterfaceSpec {
  linkType: number;
  snapLength?: number;
  name?: string;
  /** Raw if_tsresol byte: 6 = µs (default), 9 = ns, 0x80|n = 2^-n. */
  tsresol?: number;
  tsoffset?: bigint;
  comments?: string[];
  extra?: Option[];
}

export type NgBlock =
  | { kind: 'epb'; frame: Frame }
  | { kind: 'spb'; data: Uint8Array; originalLength?: number }
  | { kind: 'nrb'; ipv4?: Array<[string, string[]]>; comments?: string[] }
  | { kind: 'isb'; interfaceId: number; tsUnits: bigint; received?: bigint; dropped?: bigint; comments?: string[] }
  | { kind: 'custom'; pen: number; copyable: boolean; data: Uint8Array }
  | { kind: 'raw'; type: number; body: Uint8Array }
  | { kind: 'idb'; spec: InterfaceSpec };

export interface Section {
  order?: Order;
  hardware?: string;
  os?: string;
  application?: string;
  comments?: string[];
  interfaces: InterfaceSpec[];
  blocks: NgBlock[];
}

function unitsPerSecond(tsresol: number | undefined): bigint {
  const r = tsresol ?? 6;
  return r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
}

function idbBlock(order: Order, spec: InterfaceSpec): Uint8Array {
  const opts: Option[] = [];
  if (spec.name) opts.push({ code: 2, value: text(spec.name) });
  if (spec.tsresol !== undefined) opts.push({ code: 9, value: Uint8Array.of(spec.tsresol) });
  if (spec.tsoffset !== undefined) opts.push({ code: 14, value: new Bytes(order).u64(spec.tsoffset).done() });
  for (const c of spec.comments ?? []) opts.push(comment(c));
  opts.push(...(spec.extra ?? []));
  return block(order, 1, (b) => {
    b.u16(spec.linkType).u16(0).u32(spec.snapLength ?? 0);
    options(b, opts, order);
  });
}

export function writePcapng(sections: Section[]): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const section of sections) {
    const order = section.order ?? 'little';
    const shbOptions: Option[] = [];
    if (section.hardware) shbOptions.push({ code: 2, value: text(section.hardware) });
    if (section.os) shbOptions.push({ code: 3, value: text(section.os) });
    if (section.application) shbOptions.push({ code: 4, value: text(section.application) });
    for (const c of section.comments ?? []) shbOptions.push(comment(c));
    pieces.push(
      block(order, 0x0a0d0d0a, (b) => {
        b.u32(0x1a2b3c4d).u16(1).u16(0).u64(-1n);
        options(b, shbOptions, order);
      }),
    );
    const interfaces = [...section.interfaces];
    for (const spec of section.interfaces) pieces.push(idbBlock(order, spec));
    for (const item of section.blocks) {
      switch (item.kind) {
        case 'idb':
          interfaces.push(item.spec);
          pieces.push(idbBlock(order, item.spec));
          break;
        case 'epb': {
          const f = item.frame;
          const spec = interfaces[f.interfaceId ?? 0] ?? interfaces[0]!;
          const rate = unitsPerSecond(spec.tsresol);
          const units = (f.tsNs * rate) / 1_000_000_000n - (spec.tsoffset ?? 0n) * rate;
          const snap = spec.snapLength || f.data.length;
          const captured = f.data.subarray(0, Math.min(snap, f.data.length));
          const opts: Option[] = (f.comments ?? []).map(comment);
          if (f.flags !== undefined) opts.push({ code: 2, value: new Bytes(order).u32(f.flags).done() });
          pieces.push(
            block(order, 6, (b) => {
              b.u32(f.interfaceId ?? 0).ts(units).u32(captured.length).u32(f.originalLength ?? f.data.length).bytes(captured).pad4();
              options(b, opts, order);
            }),
          );
          break;
        }
        case 'spb':
          pieces.push(block(order, 3, (b) => b.u32(item.originalLength ?? item.data.length).bytes(item.data)));
          break;
        case 'nrb':
          pieces.push(
            block(order, 4, (b) => {
              for (const [address, names] of item.ipv4 ?? []) {
                const value = [...address.split('.').map(Number), ...names.flatMap((n) => [...text(n), 0])];
                b.u16(1).u16(value.length).bytes(value).pad4();
              }
              b.u16(0).u16(0);
              options(b, (item.comments ?? []).map(comment), order);
            }),
          );
          break;
        case 'isb':
          pieces.push(
            block(order, 5, (b) => {
              b.u32(item.interfaceId).ts(item.tsUnits);
              const opts: Option[] = [];
              if (item.received !== undefined) opts.push({ code: 4, value: new Bytes(order).u64(item.received).done() });
              if (item.dropped !== undefined) opts.push({ code: 5, value: new Bytes(order).u64(item.dropped).done() });
              for (const c of item.comments ?? []) opts.push(comment(c));
              options(b, opts, order);
            }),
          );
          break;
        case 'custom':
          pieces.push(block(order, item.copyable ? 0x00000bad : 0x40000bad, (b) => b.u32(item.pen).bytes(item.data)));
          break;
        case 'raw':
          pieces.push(block(order, item.type, (b) => b.bytes(item.body)));
          break;
      }
    }
  }
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
