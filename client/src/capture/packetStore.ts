// Random access to the packets of a capture that was read as a stream. The analysis keeps no packet
// bytes, so the viewer re-reads a packet from the file when it is shown: during the streaming pass this
// store notes where each packet's record starts (8 bytes per packet, up to a cap) and where the blocks
// that give records their meaning lie (the pcap file header; each pcapng section's SHB and IDBs: byte
// order, link types, timestamp units). Re-reading feeds that context and the packets' bytes to a fresh
// CaptureReader, so one packet decodes exactly as it did in the full pass.
import { CaptureReader } from '../../../server/src/capture/reader';
import type { BlockInfo, CaptureFormat, CaptureRecord, ReaderLimits } from '../../../server/src/capture/fileTypes';
import { DEFAULT_READER_LIMITS } from '../../../server/src/capture/fileTypes';

/** Where the capture's bytes come from: a local file, or the whole file in memory (virtual file systems). */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export class MemorySource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }
  async close(): Promise<void> {}
}

export interface PacketStoreLimits {
  /** Packets whose position is kept (8 bytes each); later ones are counted but cannot be listed. */
  maxIndexedPackets: number;
  /** pcapng sections and IDBs remembered for re-reading (a hostile file may hold millions). */
  maxSections: number;
  maxInterfaceBlocks: number;
  /** Bytes read in one go when re-reading a run of packets. */
  maxBatchBytes: number;
}

export const DEFAULT_PACKET_STORE_LIMITS: PacketStoreLimits = {
  maxIndexedPackets: 2_000_000,
  maxSections: 10_000,
  maxInterfaceBlocks: 100_000,
  maxBatchBytes: 4 * 1024 * 1024,
};

interface Span {
  offset: number;
  length: number;
}

interface SectionContext {
  header: Span;
  interfaces: Span[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export class PacketStore {
  private offsets = new Float64Array(1024);
  private count = 0;
  private format: CaptureFormat | 'unknown' = 'unknown';
  private readonly sections: SectionContext[] = [];
  private interfaceBlocks = 0;
  /** Set when context blocks beyond the caps were dropped: packets after that point cannot be re-read. */
  private contextLostAt = Infinity;
  private readonly limits: PacketStoreLimits;
  private readonly readerLimits: ReaderLimits;
  private cachedContext: { section: number; interfaces: number; bytes: Uint8Array } | undefined;

  constructor(
    private readonly source: ByteSource,
    limits: Partial<PacketStoreLimits> = {},
    readerLimits: Partial<ReaderLimits> = {},
  ) {
    this.limits = { ...DEFAULT_PACKET_STORE_LIMITS, ...limits };
    this.readerLimits = { ...DEFAULT_READER_LIMITS, ...readerLimits };
  }

  /** Packets that can be re-read (1…indexed). */
  get indexed(): number {
    return this.count;
  }

  /** For the streaming reader's `onBlock`. */
  noteBlock(block: BlockInfo): void {
    if (block.kind === 'pcap-header') {
      this.format = 'pcap';
    } else if (block.kind === 'SHB') {
      this.format = 'pcapng';
      if (this.sections.length >= this.limits.maxSections) this.contextLostAt = Math.min(this.contextLostAt, block.fileOffset);
      else this.sections.push({ header: { offset: block.fileOffset, length: block.length }, interfaces: [] });
    } else if (block.kind === 'IDB') {
      const section = this.sections[this.sections.length - 1];
      if (!section || this.contextLostAt !== Infinity) return;
      if (this.interfaceBlocks >= this.limits.maxInterfaceBlocks) this.contextLostAt = block.fileOffset;
      else {
        section.interfaces.push({ offset: block.fileOffset, length: block.length });
        this.interfaceBlocks++;
      }
    }
  }

  /** For the streaming reader's `onRecord`. */
  noteRecord(record: CaptureRecord): void {
    if (record.number !== this.count + 1 || this.count >= this.limits.maxIndexedPackets) return;
    if (this.count === this.offsets.length) {
      const grown = new Float64Array(Math.min(this.limits.maxIndexedPackets, this.offsets.length * 2));
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count++] = record.fileOffset;
  }

  /** Bytes the index holds (for the memory notes). */
  get memoryBytes(): number {
    return this.offsets.byteLength + (this.sections.length + this.interfaceBlocks) * 48;
  }

  offsetOf(packet: number): number | undefined {
    return packet >= 1 && packet <= this.count ? this.offsets[packet - 1] : undefined;
  }

  /**
   * Re-reads packets `first`…`last` (1-based, inclusive) and hands each record to `onRecord`, in order.
   * `record.data` is valid only during the call. Packets that cannot be read are skipped; the returned
   * message says why (or is undefined when all were read).
   */
  async readRecords(first: number, last: number, onRecord: (record: CaptureRecord) => void): Promise<string | undefined> {
    first = Math.max(1, first);
    last = Math.min(this.count, last);
    let problem: string | undefined;
    let next = first;
    while (next <= last) {
      // One batch: consecutive packets whose records fit in maxBatchBytes (at least one packet).
      const start = this.offsets[next - 1]!;
      let end = next;
      while (end < last && this.offsets[end]! - start <= this.limits.maxBatchBytes) end++;
      const why = await this.readBatch(next, end, onRecord);
      problem ??= why;
      next = end + 1;
    }
    return problem;
  }

  private async readBatch(first: number, last: number, onRecord: (record: CaptureRecord) => void): Promise<string | undefined> {
    const start = this.offsets[first - 1]!;
    if (start >= this.contextLostAt) return 'this packet lies after more sections or interfaces than the viewer keeps track of';
    const context = await this.contextFor(start);
    if (!context) return 'the file header before this packet could not be read again';
    let number = first;
    let stopped: string | undefined;
    const reader = new CaptureReader(
      {
        onRecord: (record) => {
          if (number > last) return;
          onRecord({ ...record, number: number++ });
        },
      },
      this.readerLimits,
    );
    reader.push(context);
    // Read up to the next packet's record when it is known; otherwise grow until the record completes.
    const knownEnd = last < this.count ? this.offsets[last]! : undefined;
    let at = start;
    let want = knownEnd !== undefined ? knownEnd - start : 64 * 1024;
    const ceiling = start + (this.offsets[last - 1]! - start) + this.readerLimits.maxBlockBytes + 64;
    while (number <= last && at < this.source.size && at < ceiling) {
      const bytes = await this.source.read(at, Math.max(1, Math.min(want, ceiling - at)));
      if (bytes.length === 0) break;
      at += bytes.length;
      if (!reader.push(bytes)) {
        stopped = reader.info.error ?? 'the reader stopped';
        break;
      }
      want = Math.min(want * 4, 16 * 1024 * 1024);
    }
    if (number <= last) return stopped ?? `packet ${number} could not be read again (the file changed?)`;
    return undefined;
  }

  private async contextFor(offset: number): Promise<Uint8Array | undefined> {
    if (this.format === 'pcap') {
      if (this.cachedContext?.section === 0) return this.cachedContext.bytes;
      const header = await this.source.read(0, 24);
      if (header.length < 24) return undefined;
      this.cachedContext = { section: 0, interfaces: 0, bytes: header.slice() };
      return this.cachedContext.bytes;
    }
    if (this.format !== 'pcapng') return undefined;
    // The last section starting before the packet (sections are noted in file order).
    let lo = 0;
    let hi = this.sections.length - 1;
    if (hi < 0 || this.sections[0]!.header.offset > offset) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.sections[mid]!.header.offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const section = this.sections[lo]!;
    const interfaces = section.interfaces.filter((i) => i.offset < offset);
    const cached = this.cachedContext;
    if (cached && cached.section === lo && cached.interfaces === interfaces.length) return cached.bytes;
    const parts: Uint8Array[] = [];
    for (const span of [section.header, ...interfaces]) {
      const bytes = await this.source.read(span.offset, span.length);
      if (bytes.length !== span.length) return undefined;
      parts.push(bytes.slice());
    }
    this.cachedContext = { section: lo, interfaces: interfaces.length, bytes: concat(parts) };
    return this.cachedContext.bytes;
  }
}
