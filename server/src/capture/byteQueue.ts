// Bytes pushed in chunks of any size, read back as contiguous views. A view is zero-copy when it lies in
// one chunk; a record that straddles chunks is copied once. Consumed chunks are released at once, so the
// queue holds at most one record plus the chunk in flight.

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  private size = 0;
  /** File offset of the first unread byte. */
  offset = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Node Buffers are Uint8Array subclasses whose subarray() is slower; read through a plain view.
    this.chunks.push(chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.size += chunk.length;
  }

  get available(): number {
    return this.size;
  }

  /** The next `n` bytes without consuming them, or undefined while fewer are buffered. */
  peek(n: number): Uint8Array | undefined {
    if (n > this.size) return undefined;
    const first = this.chunks[0];
    if (first === undefined) return n === 0 ? new Uint8Array(0) : undefined;
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    // Straddles chunks: merge the pieces into the first chunk so a second peek of the same record is free.
    const merged = new Uint8Array(n);
    let filled = 0;
    let used = 0;
    for (const chunk of this.chunks) {
      const from = used === 0 ? this.head : 0;
      const take = Math.min(chunk.length - from, n - filled);
      merged.set(chunk.subarray(from, from + take), filled);
      filled += take;
      used++;
      if (filled === n) {
        const rest = chunk.subarray(from + take);
        this.chunks.splice(0, used, ...(rest.length > 0 ? [merged, rest] : [merged]));
        break;
      }
    }
    this.head = 0;
    return merged;
  }

  skip(n: number): void {
    let left = Math.min(n, this.size);
    this.size -= left;
    this.offset += left;
    while (left > 0) {
      const first = this.chunks[0]!;
      const inFirst = first.length - this.head;
      if (left < inFirst) {
        this.head += left;
        return;
      }
      left -= inFirst;
      this.chunks.shift();
      this.head = 0;
    }
  }
}
