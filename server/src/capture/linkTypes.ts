// LINKTYPE_ values as they appear in pcap headers and pcapng IDBs (tcpdump.org linktypes, IANA
// draft-ietf-opsawg-pcaplinktype). Only the ones the decoder understands get a decoder; the rest are named
// so the viewer can say what it could not decode.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  /** Some BSDs wrote their DLT_RAW value (12 or 14) into files; treat both like RAW. */
  RAW_BSD12: 12,
  RAW_BSD14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'ETHERNET',
  9: 'PPP',
  12: 'RAW',
  14: 'RAW',
  101: 'RAW',
  104: 'C_HDLC',
  105: 'IEEE802_11',
  108: 'LOOP',
  113: 'LINUX_SLL',
  127: 'IEEE802_11_RADIOTAP',
  192: 'PPI',
  228: 'IPV4',
  229: 'IPV6',
  239: 'NFLOG',
  249: 'NETLINK',
  276: 'LINUX_SLL2',
};

export function linkTypeName(linkType: number): string {
  if (linkType < 0) return 'unknown interface';
  if (linkType >= 147 && linkType <= 162) return `USER${linkType - 147}`;
  return NAMES[linkType] ?? `LINKTYPE ${linkType}`;
}

export function isSupportedLinkType(linkType: number): boolean {
  return [0, 1, 12, 14, 101, 108, 113, 228, 229, 276].includes(linkType);
}
