// Offsets to 1-based line and column, as editors and SARIF count them. Offsets are UTF-16 code
// units (JavaScript string indices, as TypeScript and LSP use), so columns are UTF-16 code units
// too: a character outside the Basic Multilingual Plane (an emoji) counts as 2 columns. Line
// breaks are `\n`, `\r\n` and a lone `\r`, the set LSP uses.

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
}

export class LineMap {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The 1-based position of an offset (clamped to the text). */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line's first character; undefined past the last line. */
  lineStart(line: number): number | undefined {
    return line >= 1 && line <= this.starts.length ? this.starts[line - 1] : undefined;
  }

  /** Offset just past a 1-based line's last character (before its line break). */
  lineEnd(line: number): number | undefined {
    if (line < 1 || line > this.starts.length) return undefined;
    if (line === this.starts.length) return this.text.length;
    let end = this.starts[line] - 1;
    if (end > this.starts[line - 1] && this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Offset of a 1-based line and column, or undefined when the column is past the line's end. */
  offsetAt(line: number, column: number): number | undefined {
    const start = this.lineStart(line);
    const end = this.lineEnd(line);
    if (start === undefined || end === undefined || column < 1) return undefined;
    const offset = start + column - 1;
    return offset <= end ? offset : undefined;
  }
}
