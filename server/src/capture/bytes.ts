// Bounds-checked byte readers. Capture files are hostile input: every read goes through these helpers,
// which return -1 (or undefined) instead of throwing when the bytes are not there, so a short or lying
// header can never turn into an exception or an out-of-range read.

/** Unsigned 8-bit at `offset`, or -1 past the end. */
export function u8(bytes: Uint8Array, offset: number): number {
  return offset >= 0 && offset < bytes.length ? bytes[offset]! : -1;
}

/** Unsigned 16-bit, big-endian unless `littleEndian`; -1 past the end. */
export function u16(bytes: Uint8Array, offset: number, littleEndian = false): number {
  if (offset < 0 || offset + 2 > bytes.length) return -1;
  const a = bytes[offset]!;
  const b = bytes[offset + 1]!;
  return littleEndian ? a | (b << 8) : (a << 8) | b;
}

/** Unsigned 32-bit, big-endian unless `littleEndian`; -1 past the end. */
export function u32(bytes: Uint8Array, offset: number, littleEndian = false): number {
  if (offset < 0 || offset + 4 > bytes.length) return -1;
  const a = bytes[offset]!;
  const b = bytes[offset + 1]!;
  const c = bytes[offset + 2]!;
  const d = bytes[offset + 3]!;
  return littleEndian ? (a | (b << 8) | (c << 16) | (d << 24)) >>> 0 : ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Unsigned 64-bit as a BigInt; undefined past the end. Not 8-byte aligned in pcapng, so read as two halves. */
export function u64(bytes: Uint8Array, offset: number, littleEndian = false): bigint | undefined {
  if (offset < 0 || offset + 8 > bytes.length) return undefined;
  const first = u32(bytes, offset, littleEndian);
  const second = u32(bytes, offset + 4, littleEndian);
  const [high, low] = littleEndian ? [second, first] : [first, second];
  return (BigInt(high) << 32n) | BigInt(low);
}

/** Signed 64-bit (if_tsoffset, SHB section length). */
export function i64(bytes: Uint8Array, offset: number, littleEndian = false): bigint | undefined {
  const value = u64(bytes, offset, littleEndian);
  return value === undefined ? undefined : BigInt.asIntN(64, value);
}

/** A view of `length` bytes at `offset`, clipped to what exists. */
export function slice(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  const start = Math.max(0, Math.min(offset, bytes.length));
  const end = Math.max(start, Math.min(start + Math.max(0, length), bytes.length));
  return bytes.subarray(start, end);
}

/**
 * UTF-8 to string, tolerating invalid sequences (U+FFFD) as pcapng requires. Written out instead of
 * TextDecoder so the module also runs in a bare JavaScript realm (webview workers, vm tests).
 */
export function utf8(bytes: Uint8Array, maxChars = 4096): string {
  let out = '';
  let i = 0;
  while (i < bytes.length && out.length < maxChars) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
      continue;
    }
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (need < 0) {
      out += '\ufffd';
      i += 1;
      continue;
    }
    let code = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      code = (code << 6) | (c & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (!ok || code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      out += '\ufffd';
      i += 1;
      continue;
    }
    out += String.fromCodePoint(code);
    i += need + 1;
  }
  return out;
}

/** Printable ASCII of a byte range (HTTP lines, DNS labels); other bytes become '.'. */
export function ascii(bytes: Uint8Array, start = 0, end = bytes.length, maxChars = 1024): string {
  let out = '';
  const stop = Math.min(end, bytes.length, start + maxChars);
  for (let i = Math.max(0, start); i < stop; i++) {
    const b = bytes[i]!;
    out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return out;
}

export function hex(bytes: Uint8Array, maxBytes = 64): string {
  let out = '';
  const stop = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < stop; i++) out += bytes[i]!.toString(16).padStart(2, '0');
  return out;
}

/** Serial-number difference a - b in 32-bit sequence space (RFC 1982): negative when a is before b. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
