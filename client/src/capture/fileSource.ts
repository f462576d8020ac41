// A capture file on the local disk, read with positioned reads: the streaming pass takes it a chunk at
// a time and the viewer re-reads single packets later, so the file is never held in memory.
import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from './packetStore';

export class FileSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    /** The size when the file was opened: a capture still being written is read up to there. */
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error(`${path} is not a regular file`);
      return new FileSource(handle, info.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - offset));
    if (want === 0) return new Uint8Array(0);
    // A fresh buffer per read: the reader may hold on to it until a block completes.
    const buffer = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.handle.read(buffer, got, want - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === want ? buffer : buffer.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
