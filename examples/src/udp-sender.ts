// Metrics: StatsD-style timings over UDP. Fire and forget, by design: losing a datagram loses one
// sample, never a request.
import dgram from 'node:dgram';

const socket = dgram.createSocket('udp4');
socket.on('error', (err) => console.warn('metrics socket error', err.message));

// Sending to a host name resolves it on every send (dns.lookup on the libuv thread pool, which
// file and crypto work share). Sending to an address skips that.
export function recordTiming(name: string, ms: number): void {
  const line = Buffer.from(`${name}:${ms.toFixed(1)}|ms`);
  socket.send(line, 8125, 'metrics.internal');
}

export function recordCount(name: string, n = 1): void {
  const line = Buffer.from(`${name}:${n}|c`);
  socket.send(line, 8125, '10.0.0.12');
}
