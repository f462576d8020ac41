// Reading a file that came with a workspace (package.json, wirelens.json, a source file) safely: only
// a regular file, and only up to a size. A repository can hold a symlink named package.json pointing at
// /dev/zero or /dev/stdin, or a FIFO: a plain readFileSync would then block or read forever.
import * as fs from 'node:fs';

export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

function refuse(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** The file's text; throws like readFileSync (ENOENT…), or with code ENOTREG / EFBIG. */
export function readRegularFile(file: string, maxBytes = MAX_CONFIG_BYTES): string {
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw refuse('ENOTREG', `${file} is not a regular file`);
    if (stat.size > maxBytes) throw refuse('EFBIG', `${file} is larger than ${maxBytes} bytes`);
    // Read to the end but never past the limit (the size can change, and some files report 0).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw refuse('EFBIG', `${file} is larger than ${maxBytes} bytes`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
