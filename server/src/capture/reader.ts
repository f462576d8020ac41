// Streaming reader for classic pcap and pcapng. Push chunks of any size with `push`, then call `end`;
// packets arrive through `onRecord` as soon as their bytes are complete. Memory stays bounded: the reader
// buffers at most one block (capped by `maxBlockBytes`) plus the chunk being read. Nothing here throws
// past `push`/`end`: malformed input becomes a warning (reading goes on) or `info.error` (reading stops).

import { ByteQueue } from './byteQueue';
import { u16, u32, u64 } from './bytes';
import {
  DEFAULT_READER_LIMITS,
  emptyFileInfo,
  type BlockInfo,
  type BlockKind,
  type CaptureFileInfo,
  type CaptureInterface,
  type CaptureRecord,
  type ReaderLimits,
} from './fileTypes';
import { linkTypeName } from './linkTypes';
import {
  BLOCK,
  commentsOf,
  parseInterfaceDescription,
  parseInterfaceStatistics,
  parseNameResolution,
  parseSectionHeader,
  readOptions,
  secretsTypeName,
  sectionByteOrder,
} from './pcapngBlocks';
import { unitsToTime, type TimestampUnits } from './timestamps';

export interface ReaderHandlers {
  onRecord?: (record: CaptureRecord) => void;
  onBlock?: (block: BlockInfo) => void;
}

interface InterfaceRuntime extends TimestampUnits {
  globalId: number;
  linkType: number;
  snapLength: number;
}

type Phase = 'magic' | 'pcap' | 'pcapng' | 'stopped';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Alexey Kuznetsov's patched libpcap: 24-byte record headers (ifindex, protocol, packet type). */
const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

export class CaptureReader {
  readonly info: CaptureFileInfo = emptyFileInfo();

  private readonly queue = new ByteQueue();
  private readonly limits: ReaderLimits;
  private phase: Phase = 'magic';
  private littleEndian = true;
  private warningsDropped = 0;
  // classic pcap
  private pcapNanoseconds = false;
  private pcapRecordHeader = 16;
  private pcapSnapLength = 0;
  private pcapInterface: InterfaceRuntime | undefined;
  private oversizeWarned = false;
  // pcapng: interfaces of the current section, by local id
  private sectionInterfaces: InterfaceRuntime[] = [];

  constructor(
    private readonly handlers: ReaderHandlers = {},
    limits: Partial<ReaderLimits> = {},
  ) {
    this.limits = { ...DEFAULT_READER_LIMITS, ...limits };
  }

  /** Feeds bytes; returns false once reading has stopped (error), after which more bytes are ignored. */
  push(chunk: Uint8Array): boolean {
    if (!this.running) return false;
    this.queue.push(chunk);
    try {
      while (this.running && this.step()) {
        // each step consumes one header or block
      }
    } catch (error) {
      this.stop(`internal error while reading at offset ${this.queue.offset}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.info.bytesRead = this.queue.offset;
    return this.running;
  }

  /** Stops reading with `message` as the error (the input failed, e.g. an I/O error). */
  abort(message: string): void {
    this.stop(message);
  }

  get running(): boolean {
    return this.phase !== 'stopped';
  }

  /** Declares the end of the input and returns what was read. */
  end(): CaptureFileInfo {
    if (this.running) {
      const left = this.queue.available;
      if (this.phase === 'magic') {
        this.stop(left === 0 ? 'empty file: not a capture' : `file too short to be a capture (${left} bytes)`);
      } else if (left > 0) {
        this.stop(this.truncationMessage(left));
      }
      this.phase = 'stopped';
    }
    if (this.warningsDropped > 0) this.info.warnings.push(`… and ${this.warningsDropped} more warnings`);
    this.warningsDropped = 0;
    this.info.bytesRead = this.queue.offset;
    return this.info;
  }

  // ------------------------------------------------------------------ plumbing

  private stop(message: string): void {
    if (this.info.error === null) this.info.error = message;
    this.phase = 'stopped';
  }

  private warn(message: string): void {
    if (this.info.warnings.length < this.limits.maxWarnings) this.info.warnings.push(message);
    else this.warningsDropped++;
  }

  private at(offset: number): string {
    return `offset ${offset} (0x${offset.toString(16)})`;
  }

  private truncationMessage(left: number): string {
    const head = this.queue.peek(Math.min(left, 28));
    let wanted = 0;
    if (head && this.phase === 'pcap' && head.length >= 12) wanted = this.pcapRecordHeader + u32(head, 8, this.littleEndian);
    if (head && this.phase === 'pcapng' && head.length >= 8) wanted = u32(head, 4, this.littleEndian);
    const what = this.phase === 'pcap' ? 'packet record' : 'block';
    return wanted > left
      ? `truncated file: it ends inside a ${what} at ${this.at(this.queue.offset)} (${left} of ${wanted} bytes present)`
      : `truncated file: ${left} stray bytes at ${this.at(this.queue.offset)}`;
  }

  private countBlock(kind: BlockKind, type: number, offset: number, length: number, comments: string[]): void {
    this.info.blockCounts[kind] = (this.info.blockCounts[kind] ?? 0) + 1;
    this.handlers.onBlock?.({ kind, type, fileOffset: offset, length, comments });
  }

  /** One unit of work; false when more bytes are needed. */
  private step(): boolean {
    switch (this.phase) {
      case 'magic':
        return this.readMagic();
      case 'pcap':
        return this.readPcapRecord();
      case 'pcapng':
        return this.readBlock();
      default:
        return false;
    }
  }

  private readMagic(): boolean {
    const head = this.queue.peek(4);
    if (!head) return false;
    const le = u32(head, 0, true);
    const be = u32(head, 0, false);
    if (be === BLOCK.SHB) {
      this.info.format = 'pcapng';
      this.phase = 'pcapng';
      return true;
    }
    for (const [magic, ns, recordHeader] of [
      [PCAP_MAGIC_US, false, 16],
      [PCAP_MAGIC_NS, true, 16],
      [PCAP_MAGIC_KUZNETZOV, false, 24],
    ] as const) {
      if (le === magic || be === magic) {
        this.littleEndian = le === magic;
        this.pcapNanoseconds = ns;
        this.pcapRecordHeader = recordHeader;
        return this.readPcapHeader();
      }
    }
    const hexText = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
    this.stop(`not a pcap or pcapng file: it starts with ${hexText} (expected d4 c3 b2 a1 / 4d 3c b2 a1 for pcap or 0a 0d 0d 0a for pcapng)`);
    return false;
  }

  // ------------------------------------------------------------------ classic pcap

  private readPcapHeader(): boolean {
    const header = this.queue.peek(24);
    if (!header) return false;
    const le = this.littleEndian;
    const major = u16(header, 4, le);
    const minor = u16(header, 6, le);
    if (major !== 2) {
      this.stop(`unsupported pcap version ${major}.${minor} (only 2.x exists)`);
      return false;
    }
    this.pcapSnapLength = u32(header, 16, le);
    const linkField = u32(header, 20, le);
    const linkType = linkField & 0xffff;
    this.info.format = 'pcap';
    this.info.timestampPrecision = this.pcapNanoseconds ? 'ns' : 'us';
    this.info.sections.push({
      index: 0,
      byteOrder: le ? 'little' : 'big',
      version: `${major}.${minor}`,
      sectionLength: -1,
      comments: [],
      fileOffset: 0,
    });
    const fcsPresent = (linkField & (1 << 26)) !== 0;
    this.pcapInterface = this.addInterface(0, 0, {
      linkType,
      snapLength: this.pcapSnapLength,
      ipv4Addresses: [],
      ipv6Addresses: [],
      tsBase: 10,
      tsExponent: this.pcapNanoseconds ? 9 : 6,
      tsOffsetSec: 0,
      comments: [],
      ...(fcsPresent ? { fcsLength: ((linkField >>> 28) & 0xf) * 2 } : {}),
    });
    this.countBlock('pcap-header', 0, 0, 24, []);
    this.queue.skip(24);
    this.phase = 'pcap';
    return true;
  }

  private readPcapRecord(): boolean {
    const headerLength = this.pcapRecordHeader;
    const header = this.queue.peek(headerLength);
    if (!header) return false;
    const le = this.littleEndian;
    const offset = this.queue.offset;
    const capturedLength = u32(header, 8, le);
    const originalLength = u32(header, 12, le);
    if (capturedLength > this.limits.maxBlockBytes) {
      this.stop(`packet record at ${this.at(offset)} claims ${capturedLength} captured bytes, more than the ${this.limits.maxBlockBytes}-byte limit: the file is corrupt`);
      return false;
    }
    if (!this.oversizeWarned && this.pcapSnapLength > 0 && capturedLength > Math.max(this.pcapSnapLength, 262144)) {
      this.oversizeWarned = true;
      this.warn(`packet record at ${this.at(offset)} holds ${capturedLength} bytes, more than the file's snapshot length ${this.pcapSnapLength}`);
    }
    const record = this.queue.peek(headerLength + capturedLength);
    if (!record) return false;
    let tsSec = u32(header, 0, le);
    let tsNsec = u32(header, 4, le);
    if (!this.pcapNanoseconds) tsNsec *= 1000;
    if (tsNsec >= 1e9) {
      tsSec += Math.floor(tsNsec / 1e9);
      tsNsec %= 1e9;
    }
    const iface = this.pcapInterface!;
    this.emit({
      number: this.info.packets + 1,
      fileOffset: offset,
      interfaceId: iface.globalId,
      linkType: iface.linkType,
      tsSec,
      tsNsec,
      hasTimestamp: true,
      capturedLength,
      originalLength,
      data: record.subarray(headerLength),
    });
    this.queue.skip(headerLength + capturedLength);
    return true;
  }

  private emit(record: CaptureRecord): void {
    this.info.packets++;
    this.handlers.onRecord?.(record);
  }

  // ------------------------------------------------------------------ pcapng

  private readBlock(): boolean {
    const offset = this.queue.offset;
    const head = this.queue.peek(8);
    if (!head) return false;
    let le = this.littleEndian;
    const type0 = u32(head, 0, le);
    if (type0 === BLOCK.SHB) {
      const shbHead = this.queue.peek(12);
      if (!shbHead) return false;
      const order = sectionByteOrder(shbHead);
      if (order === undefined) {
        this.stop(`section header at ${this.at(offset)} has no valid byte-order magic (1a 2b 3c 4d): the file is corrupt`);
        return false;
      }
      le = order;
    } else if (this.info.sections.length === 0) {
      this.stop('pcapng file does not start with a Section Header Block');
      return false;
    }
    const type = u32(head, 0, le);
    const length = u32(head, 4, le);
    if (length < 12 || length % 4 !== 0) {
      this.stop(`block at ${this.at(offset)} has an invalid length ${length} (must be a multiple of 4, at least 12)`);
      return false;
    }
    if (length > this.limits.maxBlockBytes) {
      this.stop(`block at ${this.at(offset)} claims ${length} bytes, more than the ${this.limits.maxBlockBytes}-byte limit: the file is corrupt`);
      return false;
    }
    if (type === BLOCK.SHB && length < 28) {
      this.stop(`section header at ${this.at(offset)} is ${length} bytes, shorter than its 28-byte minimum`);
      return false;
    }
    const block = this.queue.peek(length);
    if (!block) return false;
    const trailer = u32(block, length - 4, le);
    if (trailer !== length) {
      this.stop(`block at ${this.at(offset)}: trailing length ${trailer} differs from leading length ${length}: the file is corrupt`);
      return false;
    }
    if (type === BLOCK.SHB) {
      this.littleEndian = le;
      if (!this.readSectionHeader(block, offset)) return false;
    } else {
      this.dispatchBlock(type, block, offset);
    }
    this.queue.skip(length);
    return true;
  }

  private problemAt(offset: number, kind: string): (text: string) => void {
    return (text) => this.warn(`${kind} at ${this.at(offset)}: ${text}`);
  }

  private readSectionHeader(block: Uint8Array, offset: number): boolean {
    const shb = parseSectionHeader(block, this.littleEndian, this.limits.maxCommentsPerBlock, this.problemAt(offset, 'SHB'));
    if (shb.major !== 1) {
      this.stop(`section at ${this.at(offset)} has pcapng version ${shb.major}.${shb.minor}; only 1.x can be read`);
      return false;
    }
    this.sectionInterfaces = [];
    if (this.info.sections.length < this.limits.maxSideRecords) {
      this.info.sections.push({
        index: this.info.sections.length,
        byteOrder: shb.littleEndian ? 'little' : 'big',
        version: `${shb.major}.${shb.minor}`,
        sectionLength: shb.sectionLength,
        comments: shb.comments,
        fileOffset: offset,
        ...(shb.hardware !== undefined ? { hardware: shb.hardware } : {}),
        ...(shb.os !== undefined ? { os: shb.os } : {}),
        ...(shb.userApplication !== undefined ? { userApplication: shb.userApplication } : {}),
      });
    }
    this.countBlock('SHB', BLOCK.SHB, offset, block.length, shb.comments);
    return true;
  }

  private addInterface(section: number, localId: number, idb: Omit<CaptureInterface, 'id' | 'section' | 'localId' | 'linkTypeName' | 'tsResolution'> & TimestampUnits): InterfaceRuntime {
    const globalId = this.info.interfaces.length < this.limits.maxInterfaces ? this.info.interfaces.length : -1;
    if (globalId >= 0) {
      const { tsBase, tsExponent, ...rest } = idb;
      this.info.interfaces.push({
        ...rest,
        id: globalId,
        section,
        localId,
        linkTypeName: linkTypeName(idb.linkType),
        tsResolution: tsBase === 10 ? `1e${tsExponent}` : `2^${tsExponent}`,
      });
    } else if (this.info.interfaces.length === this.limits.maxInterfaces) {
      this.warn(`more than ${this.limits.maxInterfaces} interfaces: later ones are read but not listed`);
    }
    return { globalId, linkType: idb.linkType, snapLength: idb.snapLength, tsBase: idb.tsBase, tsExponent: idb.tsExponent, tsOffsetSec: idb.tsOffsetSec };
  }

  private dispatchBlock(type: number, block: Uint8Array, offset: number): void {
    const le = this.littleEndian;
    const max = this.limits.maxCommentsPerBlock;
    switch (type) {
      case BLOCK.IDB: {
        if (block.length < 20) return this.malformed('IDB', type, block, offset, 'shorter than its 20-byte minimum');
        const idb = parseInterfaceDescription(block, le, max, this.problemAt(offset, 'IDB'));
        if (this.sectionInterfaces.length >= this.limits.maxInterfaces) {
          this.warn(`IDB at ${this.at(offset)}: more than ${this.limits.maxInterfaces} interfaces in one section; ignored`);
        } else {
          this.sectionInterfaces.push(this.addInterface(this.info.sections.length - 1, this.sectionInterfaces.length, idb));
        }
        return this.countBlock('IDB', type, offset, block.length, idb.comments);
      }
      case BLOCK.EPB:
        return this.readPacketBlock('EPB', type, block, offset);
      case BLOCK.PB:
        return this.readPacketBlock('PB', type, block, offset);
      case BLOCK.SPB:
        return this.readSimplePacket(type, block, offset);
      case BLOCK.NRB: {
        const nrb = parseNameResolution(block, le, max, this.problemAt(offset, 'NRB'));
        for (const record of nrb.records) {
          if (this.info.names.length < this.limits.maxNameRecords) this.info.names.push(record);
        }
        return this.countBlock('NRB', type, offset, block.length, nrb.comments);
      }
      case BLOCK.ISB:
        return this.readStatistics(type, block, offset);
      case BLOCK.DSB: {
        if (block.length < 20) return this.malformed('DSB', type, block, offset, 'shorter than its 20-byte minimum');
        const secretsType = u32(block, 8, le);
        const secretsLength = u32(block, 12, le);
        if (this.info.decryptionSecrets.length < this.limits.maxSideRecords) {
          this.info.decryptionSecrets.push({ secretsType, secretsTypeName: secretsTypeName(secretsType), length: Math.min(secretsLength, block.length - 20) });
        }
        const optionsStart = 16 + ((Math.min(secretsLength, block.length) + 3) & ~3);
        const comments = optionsStart < block.length - 4 ? commentsOf(readOptions(block, optionsStart, block.length - 4, le), max) : [];
        return this.countBlock('DSB', type, offset, block.length, comments);
      }
      case BLOCK.CB:
      case BLOCK.DCB: {
        const copyable = type === BLOCK.CB;
        if (block.length >= 16 && this.info.customBlocks.length < this.limits.maxSideRecords) {
          this.info.customBlocks.push({ pen: u32(block, 8, le), copyable, length: block.length });
        }
        return this.countBlock(copyable ? 'CB' : 'DCB', type, offset, block.length, []);
      }
      default:
        if (type >= 0x80000000) return this.countBlock('local', type, offset, block.length, []);
        if ((type & 0xffff0000) === 0x0a0d0000 || (type & 0xffff) === 0x0d0a) {
          this.warn(`block at ${this.at(offset)} has reserved type 0x${type.toString(16)}: the file may have been mangled by a text-mode transfer`);
        }
        return this.countBlock('unknown', type, offset, block.length, []);
    }
  }

  private malformed(kind: BlockKind, type: number, block: Uint8Array, offset: number, why: string): void {
    this.warn(`${kind} at ${this.at(offset)} is malformed (${why}); skipped`);
    this.countBlock(kind, type, offset, block.length, []);
  }

  private interfaceFor(localId: number, kind: string, offset: number): InterfaceRuntime | undefined {
    const iface = this.sectionInterfaces[localId];
    if (!iface) this.warn(`${kind} at ${this.at(offset)} refers to interface ${localId}, which this section does not describe`);
    return iface;
  }

  private readPacketBlock(kind: 'EPB' | 'PB', type: number, block: Uint8Array, offset: number): void {
    if (block.length < 32) return this.malformed(kind, type, block, offset, 'shorter than its 32-byte minimum');
    const le = this.littleEndian;
    const localId = kind === 'EPB' ? u32(block, 8, le) : u16(block, 8, le);
    const iface = this.interfaceFor(localId, kind, offset);
    const room = block.length - 4 - 28;
    let capturedLength = u32(block, 20, le);
    const originalLength = u32(block, 24, le);
    if (capturedLength > room) {
      this.warn(`${kind} at ${this.at(offset)} claims ${capturedLength} captured bytes but holds at most ${room}; reading ${room}`);
      capturedLength = room;
    }
    const optionsStart = 28 + ((capturedLength + 3) & ~3);
    const options = optionsStart < block.length - 4 ? readOptions(block, optionsStart, block.length - 4, le, this.problemAt(offset, kind)) : [];
    const comments = commentsOf(options, this.limits.maxCommentsPerBlock);
    const time = iface ? unitsToTime(u32(block, 12, le), u32(block, 16, le), iface) : { sec: 0, nsec: 0 };
    const record: CaptureRecord = {
      number: this.info.packets + 1,
      fileOffset: offset,
      interfaceId: iface?.globalId ?? -1,
      linkType: iface?.linkType ?? -1,
      tsSec: time.sec,
      tsNsec: time.nsec,
      hasTimestamp: iface !== undefined,
      capturedLength,
      originalLength,
      data: block.subarray(28, 28 + capturedLength),
    };
    if (comments.length > 0) record.comments = comments;
    for (const o of options) {
      if (o.code === 2 && o.value.length >= 4) record.flags = u32(o.value, 0, le);
      if (o.code === 4) {
        const drops = u64(o.value, 0, le);
        if (drops !== undefined) record.dropCount = Number(drops);
      }
    }
    if (kind === 'PB') {
      const drops = u16(block, 10, le);
      if (drops !== 0xffff) record.dropCount = drops;
    }
    this.countBlock(kind, type, offset, block.length, comments);
    this.emit(record);
  }

  private readSimplePacket(type: number, block: Uint8Array, offset: number): void {
    if (block.length < 16) return this.malformed('SPB', type, block, offset, 'shorter than its 16-byte minimum');
    const le = this.littleEndian;
    const iface = this.interfaceFor(0, 'SPB', offset);
    const originalLength = u32(block, 8, le);
    let capturedLength = Math.min(originalLength, block.length - 16);
    if (iface && iface.snapLength > 0) capturedLength = Math.min(capturedLength, iface.snapLength);
    this.countBlock('SPB', type, offset, block.length, []);
    this.emit({
      number: this.info.packets + 1,
      fileOffset: offset,
      interfaceId: iface?.globalId ?? -1,
      linkType: iface?.linkType ?? -1,
      tsSec: 0,
      tsNsec: 0,
      hasTimestamp: false,
      capturedLength,
      originalLength,
      data: block.subarray(12, 12 + capturedLength),
    });
  }

  private readStatistics(type: number, block: Uint8Array, offset: number): void {
    if (block.length < 24) return this.malformed('ISB', type, block, offset, 'shorter than its 24-byte minimum');
    const isb = parseInterfaceStatistics(block, this.littleEndian, this.limits.maxCommentsPerBlock, this.problemAt(offset, 'ISB'));
    const iface = this.interfaceFor(isb.localInterfaceId, 'ISB', offset);
    this.countBlock('ISB', type, offset, block.length, isb.comments);
    if (!iface) return;
    const time = unitsToTime(isb.tsHigh, isb.tsLow, iface);
    const stats = {
      interfaceId: iface.globalId,
      tsSec: time.sec,
      tsNsec: time.nsec,
      comments: isb.comments,
      ...(isb.received !== undefined ? { received: isb.received } : {}),
      ...(isb.dropped !== undefined ? { dropped: isb.dropped } : {}),
      ...(isb.filterAccepted !== undefined ? { filterAccepted: isb.filterAccepted } : {}),
      ...(isb.osDropped !== undefined ? { osDropped: isb.osDropped } : {}),
      ...(isb.delivered !== undefined ? { delivered: isb.delivered } : {}),
      ...(isb.startUnits ? { startSec: unitsToTime(isb.startUnits[0], isb.startUnits[1], iface).sec } : {}),
      ...(isb.endUnits ? { endSec: unitsToTime(isb.endUnits[0], isb.endUnits[1], iface).sec } : {}),
    };
    if (this.info.statistics.length < this.limits.maxSideRecords) this.info.statistics.push(stats);
    const listed = this.info.interfaces[iface.globalId];
    if (listed) listed.statistics = stats;
  }
}
