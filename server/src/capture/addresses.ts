// Address text: dotted IPv4, RFC 5952 IPv6 (lower case, longest zero run compressed), colon MACs.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// Captures repeat the same few addresses: a small direct-mapped cache saves building the string per packet.
const V4_CACHE_SIZE = 4096;
const v4Keys = new Float64Array(V4_CACHE_SIZE).fill(-1);
const v4Texts: string[] = new Array<string>(V4_CACHE_SIZE).fill('');

export function ipv4Text(bytes: Uint8Array, offset: number): string {
  if (offset < 0 || offset + 4 > bytes.length) return '?';
  const a = bytes[offset]!;
  const b = bytes[offset + 1]!;
  const c = bytes[offset + 2]!;
  const d = bytes[offset + 3]!;
  const key = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const slot = (key ^ (key >>> 12) ^ (key >>> 20)) & (V4_CACHE_SIZE - 1);
  if (v4Keys[slot] === key) return v4Texts[slot]!;
  const text = `${a}.${b}.${c}.${d}`;
  v4Keys[slot] = key;
  v4Texts[slot] = text;
  return text;
}

export function ipv6Text(bytes: Uint8Array, offset: number): string {
  if (offset < 0 || offset + 16 > bytes.length) return '?';
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]!);
  // IPv4-mapped (::ffff:a.b.c.d) reads better in dotted form.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${ipv4Text(bytes, offset + 12)}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}

export function macText(bytes: Uint8Array, offset: number, length = 6): string {
  if (offset < 0 || offset + length > bytes.length) return '?';
  let text = HEX[bytes[offset]!]!;
  for (let i = 1; i < length; i++) text += `:${HEX[bytes[offset + i]!]}`;
  return text;
}

/** "192.0.2.1:443", "[2001:db8::1]:443", or the bare address when there is no port. */
export function endpointText(address: string, port: number | undefined): string {
  if (port === undefined) return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
