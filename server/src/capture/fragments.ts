// IP fragment reassembly (IPv4 and the IPv6 Fragment header). Fragments are copied (the reader's buffer
// is reused), so the reassembler caps what it holds: datagrams in flight, bytes, and age in capture time.
// Overlapping fragments are accepted first-come (later bytes do not overwrite earlier ones).

export interface ReassemblyLimits {
  maxDatagrams: number;
  maxBytes: number;
  maxAgeSec: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { maxDatagrams: 256, maxBytes: 8 * 1024 * 1024, maxAgeSec: 60 };

const MAX_DATAGRAM = 65535;

interface Pending {
  firstSec: number;
  pieces: Array<{ offset: number; bytes: Uint8Array }>;
  held: number;
  /** Known once the last fragment (more = false) arrives. */
  total: number;
}

export type FragmentOutcome = { kind: 'held' } | { kind: 'complete'; payload: Uint8Array; fragments: number } | { kind: 'dropped'; reason: string };

export class FragmentReassembler {
  private readonly pending = new Map<string, Pending>();
  private held = 0;

  constructor(private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS) {}

  get datagramsInFlight(): number {
    return this.pending.size;
  }

  add(key: string, offset: number, more: boolean, bytes: Uint8Array, nowSec: number): FragmentOutcome {
    this.expire(nowSec);
    if (offset + bytes.length > MAX_DATAGRAM) {
      this.forget(key);
      return { kind: 'dropped', reason: `fragment ends at byte ${offset + bytes.length}, past the 65535-byte datagram limit` };
    }
    let entry = this.pending.get(key);
    if (!entry) {
      while (this.pending.size >= this.limits.maxDatagrams) this.evictOldest();
      entry = { firstSec: nowSec, pieces: [], held: 0, total: -1 };
      this.pending.set(key, entry);
    }
    if (!more) {
      if (entry.total >= 0 && entry.total !== offset + bytes.length) {
        this.forget(key);
        return { kind: 'dropped', reason: 'two last fragments disagree on the datagram length' };
      }
      entry.total = offset + bytes.length;
    }
    while (this.held + bytes.length > this.limits.maxBytes && this.pending.size > 1) this.evictOldest(key);
    if (this.held + bytes.length > this.limits.maxBytes) {
      this.forget(key);
      return { kind: 'dropped', reason: 'reassembly buffer full' };
    }
    entry.pieces.push({ offset, bytes: bytes.slice() });
    entry.held += bytes.length;
    this.held += bytes.length;
    if (entry.total < 0) return { kind: 'held' };
    const payload = this.assemble(entry);
    if (!payload) return { kind: 'held' };
    const fragments = entry.pieces.length;
    this.forget(key);
    return { kind: 'complete', payload, fragments };
  }

  /** The datagram if the pieces cover 0…total without a hole. */
  private assemble(entry: Pending): Uint8Array | undefined {
    const sorted = [...entry.pieces].sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const piece of sorted) {
      if (piece.offset > covered) return undefined;
      covered = Math.max(covered, piece.offset + piece.bytes.length);
    }
    if (covered < entry.total) return undefined;
    const out = new Uint8Array(entry.total);
    const written = new Uint8Array(entry.total);
    for (const piece of entry.pieces) {
      for (let i = 0; i < piece.bytes.length && piece.offset + i < entry.total; i++) {
        if (written[piece.offset + i]) continue;
        out[piece.offset + i] = piece.bytes[i]!;
        written[piece.offset + i] = 1;
      }
    }
    return out;
  }

  private expire(nowSec: number): void {
    for (const [key, entry] of this.pending) {
      if (nowSec - entry.firstSec <= this.limits.maxAgeSec) break;
      this.forget(key);
    }
  }

  private evictOldest(except?: string): void {
    for (const key of this.pending.keys()) {
      if (key === except) continue;
      this.forget(key);
      return;
    }
  }

  private forget(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.held -= entry.held;
    this.pending.delete(key);
  }
}
