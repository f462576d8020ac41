// What the streaming reader reports about a capture file: its sections, interfaces, side blocks and
// packet records. Plain data only (it crosses to the webview as JSON).

export type CaptureFormat = 'pcap' | 'pcapng';
export type ByteOrder = 'little' | 'big';

export interface CaptureSection {
  /** 0-based section number (classic pcap has exactly one). */
  index: number;
  byteOrder: ByteOrder;
  /** "2.4" for pcap, "1.0" for pcapng. */
  version: string;
  /** pcapng Section Length; -1 when the writer did not know it. */
  sectionLength: number;
  hardware?: string;
  os?: string;
  userApplication?: string;
  comments: string[];
  fileOffset: number;
}

export interface InterfaceStatistics {
  /** Global interface id (see CaptureInterface.id). */
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  received?: number;
  dropped?: number;
  filterAccepted?: number;
  osDropped?: number;
  delivered?: number;
  startSec?: number;
  endSec?: number;
  comments: string[];
}

/** What an Interface Description Block (or a classic pcap header) says about an interface. */
export interface InterfaceFields {
  linkType: number;
  /** 0 = no limit (pcapng). */
  snapLength: number;
  name?: string;
  description?: string;
  os?: string;
  hardware?: string;
  filter?: string;
  speedBps?: number;
  fcsLength?: number;
  macAddress?: string;
  ipv4Addresses: string[];
  ipv6Addresses: string[];
  /** if_tsoffset, seconds added to every timestamp. */
  tsOffsetSec: number;
  comments: string[];
}

export interface CaptureInterface extends InterfaceFields {
  /** File-wide id: the order of IDBs over all sections (0-based). */
  id: number;
  section: number;
  /** Id within its section, as EPBs refer to it. */
  localId: number;
  linkTypeName: string;
  /** Timestamp units per second: 10^n or 2^n from if_tsresol (default 10^6), as text "1e6" / "2^20". */
  tsResolution: string;
  /** From the last Interface Statistics Block for this interface, if any. */
  statistics?: InterfaceStatistics;
}

export interface NameRecord {
  address: string;
  names: string[];
}

export interface CustomBlockInfo {
  /** IANA Private Enterprise Number. */
  pen: number;
  copyable: boolean;
  length: number;
}

export interface DecryptionSecretsInfo {
  /** 0x544c534b "TLSK" = TLS key log, "SSHK", "WGKL", "ZNWK". */
  secretsType: number;
  secretsTypeName: string;
  length: number;
}

/** One captured packet, as handed to `onRecord`. */
export interface CaptureRecord {
  /** 1-based frame number, like Wireshark's "No.". */
  number: number;
  /** Offset of the record/block in the file (lets a viewer re-read one packet). */
  fileOffset: number;
  interfaceId: number;
  linkType: number;
  tsSec: number;
  tsNsec: number;
  /** False for pcapng Simple Packet Blocks (no timestamp). */
  hasTimestamp: boolean;
  capturedLength: number;
  originalLength: number;
  /** The captured bytes. A view into the reader's buffer: valid only during the callback; copy to keep. */
  data: Uint8Array;
  comments?: string[];
  /** pcapng epb_flags (direction, reception type, FCS length, link-layer errors). */
  flags?: number;
  dropCount?: number;
}

export type BlockKind = 'SHB' | 'IDB' | 'PB' | 'SPB' | 'NRB' | 'ISB' | 'EPB' | 'DSB' | 'CB' | 'DCB' | 'local' | 'unknown' | 'pcap-header' | 'pcap-record';

export interface BlockInfo {
  kind: BlockKind;
  type: number;
  fileOffset: number;
  length: number;
  comments: string[];
}

export interface CaptureFileInfo {
  format: CaptureFormat | 'unknown';
  /** Classic pcap only: timestamp precision from the magic number. */
  timestampPrecision?: 'us' | 'ns';
  sections: CaptureSection[];
  interfaces: CaptureInterface[];
  /** Counts by block kind (pcapng), e.g. { SHB: 1, IDB: 1, EPB: 4 }. */
  blockCounts: Partial<Record<BlockKind, number>>;
  names: NameRecord[];
  statistics: InterfaceStatistics[];
  customBlocks: CustomBlockInfo[];
  decryptionSecrets: DecryptionSecretsInfo[];
  packets: number;
  bytesRead: number;
  /** Problems that did not stop reading (capped; the last entry says how many were left out). */
  warnings: string[];
  /** Why reading stopped before the end of the file, or null when the whole file was read. */
  error: string | null;
}

export interface ReaderLimits {
  /** Largest block or record accepted (bytes). Larger claims stop the reader with an error. */
  maxBlockBytes: number;
  maxWarnings: number;
  maxInterfaces: number;
  maxNameRecords: number;
  maxSideRecords: number;
  maxCommentsPerBlock: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxBlockBytes: 16 * 1024 * 1024,
  maxWarnings: 100,
  maxInterfaces: 4096,
  maxNameRecords: 10_000,
  maxSideRecords: 10_000,
  maxCommentsPerBlock: 32,
};

/** What is known of a file before a byte of it is read (and of one that could not be read at all). */
export function emptyFileInfo(error: string | null = null): CaptureFileInfo {
  return {
    format: 'unknown',
    sections: [],
    interfaces: [],
    blockCounts: {},
    names: [],
    statistics: [],
    customBlocks: [],
    decryptionSecrets: [],
    packets: 0,
    bytesRead: 0,
    warnings: [],
    error,
  };
}
