// HTTP/1.x start lines (RFC 9112 §3, §4) at the start of a TCP segment: "GET /path HTTP/1.1" and
// "HTTP/1.1 200 OK", plus the Host header when it is in the same bytes. Strict matching, so a segment
// that starts in the middle of a body is not mistaken for a new message.

import { ascii } from './bytes';

export type HttpStart =
  | { kind: 'request'; method: string; target: string; version: string; host?: string }
  | { kind: 'response'; status: number; reason: string; version: string }
  | { kind: 'h2-preface' };

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];
const MAX_LINE = 8192;
const REQUEST_LINE = /^([A-Z]{3,7}) (\S{1,8000}) HTTP\/(1\.[01])$/;
const STATUS_LINE = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/;

/** Index of the first CRLF (or bare LF) within `limit` bytes, or -1. */
function lineEnd(bytes: Uint8Array, limit: number): number {
  const stop = Math.min(bytes.length, limit);
  for (let i = 0; i < stop; i++) if (bytes[i] === 0x0a) return i > 0 && bytes[i - 1] === 0x0d ? i - 1 : i;
  return -1;
}

export function parseHttpStart(bytes: Uint8Array): HttpStart | undefined {
  if (bytes.length < 14) return undefined;
  const first = bytes[0]!;
  // Cheap filter before any string work: requests start with an upper-case method, responses with "HTTP/".
  if (first < 0x41 || first > 0x5a) return undefined;
  const end = lineEnd(bytes, MAX_LINE);
  if (end < 0) return undefined;
  const line = ascii(bytes, 0, end, MAX_LINE);
  if (line === 'PRI * HTTP/2.0') return { kind: 'h2-preface' };
  const status = STATUS_LINE.exec(line);
  if (status) return { kind: 'response', version: status[1]!, status: Number(status[2]), reason: status[3] ?? '' };
  const request = REQUEST_LINE.exec(line);
  if (!request || !METHODS.includes(request[1]!)) return undefined;
  const start: HttpStart = { kind: 'request', method: request[1]!, target: request[2]!, version: request[3]! };
  const host = findHeader(bytes, end, 'host');
  if (host !== undefined) start.host = host;
  return start;
}

/** Value of header `name` (lower case) in the header block after the start line, if these bytes hold it. */
function findHeader(bytes: Uint8Array, startLineEnd: number, name: string): string | undefined {
  let at = startLineEnd;
  const stop = Math.min(bytes.length, MAX_LINE * 4);
  for (let lines = 0; lines < 100 && at < stop; lines++) {
    at += bytes[at] === 0x0d ? 2 : 1; // past the line break
    const rest = bytes.subarray(at, stop);
    const end = lineEnd(rest, MAX_LINE);
    if (end <= 0) return undefined; // empty line ends the headers; -1: not in these bytes
    const line = ascii(rest, 0, end, MAX_LINE);
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).toLowerCase() === name) return line.slice(colon + 1).trim().slice(0, 255);
    at += end;
  }
  return undefined;
}

export function httpLabel(start: HttpStart): string {
  if (start.kind === 'h2-preface') return 'HTTP/2 preface';
  if (start.kind === 'request') return `${start.method} ${start.target.length > 60 ? `${start.target.slice(0, 57)}…` : start.target}`;
  return `${start.status}${start.reason ? ` ${start.reason}` : ''}`;
}
