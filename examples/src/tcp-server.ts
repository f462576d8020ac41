// The warehouse feed: scanners on the warehouse floor connect over raw TCP and send one line per
// scanned parcel (`<parcel-id> <status>\n`).
import net from 'node:net';

const server = net.createServer((socket) => {
  socket.setEncoding('utf8');
  // Misuse: TCP is a byte stream. A 'data' chunk can hold half a line or three lines; treating
  // each chunk as one message loses and garbles parcels under load.
  socket.on('data', (chunk: string) => {
    const [parcelId, status] = chunk.trim().split(' ');
    console.log(`parcel ${parcelId}: ${status}`);
    socket.write('ok\n');
  });
});

// Correct framing, for comparison: buffer until a newline, then handle each complete line.
const framedServer = net.createServer((socket) => {
  socket.setEncoding('utf8');
  socket.setTimeout(30_000, () => socket.destroy());
  socket.on('error', (err) => console.warn('scanner connection failed', err.message));
  let pending = '';
  socket.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const [parcelId, status] = line.split(' ');
      console.log(`parcel ${parcelId}: ${status}`);
    }
  });
});

server.listen(7070, '0.0.0.0');
framedServer.listen(7071, '0.0.0.0');
