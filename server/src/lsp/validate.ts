// Parameter checks for requests that come from clients we do not control: a malformed request gets
// an InvalidParams error naming what is wrong, not an InternalError from a TypeError deep inside a
// handler, and never a wrong answer (a negative line is not line 0).
import { ErrorCodes, ResponseError, type Position, type Range } from 'vscode-languageserver/node';

export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function shown(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `params.textDocument.uri`, required. */
export function documentUri(params: unknown): string {
  const uri = (params as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument?.uri;
  if (typeof uri !== 'string' || uri === '') throw invalidParams(`textDocument.uri must be a non-empty string (got ${shown(uri)})`);
  return uri;
}

const isUInteger = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1;

/** A position with unsigned integer line and character (LSP `uinteger`); past the end is clamped later, as the spec says. */
export function position(value: unknown, what = 'position'): Position {
  const p = value as Partial<Position> | null | undefined;
  if (!p || typeof p !== 'object' || !isUInteger(p.line) || !isUInteger(p.character)) {
    throw invalidParams(`${what} must have unsigned integer line and character (got ${shown(value)})`);
  }
  return { line: p.line, character: p.character };
}

export function range(value: unknown, what = 'range'): Range {
  const r = value as Partial<Range> | null | undefined;
  if (!r || typeof r !== 'object') throw invalidParams(`${what} must be a range (got ${shown(value)})`);
  return { start: position(r.start, `${what}.start`), end: position(r.end, `${what}.end`) };
}
