// Where the CLI writes and what it runs in; tests and embedders can pass their own.
export interface CliIo {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal that takes colours. */
  stdoutColor: boolean;
}

function colorWanted(): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return process.stdout.isTTY === true && process.env.TERM !== 'dumb';
}

export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    stdoutColor: colorWanted(),
  };
}
