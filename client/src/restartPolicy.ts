// When the language server dies, restart it, unless it died five times within three minutes (the
// user then gets a message and the status item says so). Pure, so it is tested without an editor.
//
// Why not vscode-languageclient's default error handler: it also gives up after more than three
// connection errors, and a server killed while the client has messages on their way produces a burst
// of "write EPIPE" errors on the dead pipe (seen under load: six at once). The client then shut down
// for good instead of restarting. Writes to a pipe or channel that is gone are never the verdict
// here: the close that always follows them is.

export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

export class RestartPolicy {
  private readonly closes: number[] = [];

  constructor(
    private readonly maxRestarts = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The server's connection closed: restart it? Counts the closes within the window, this one included. */
  restartAfterClose(): boolean {
    const t = this.now();
    this.closes.push(t);
    while (this.closes.length > 0 && t - this.closes[0]! > this.windowMs) this.closes.shift();
    return this.closes.length <= this.maxRestarts;
  }
}

/** A write to a server process that is already gone (its close decides what happens next). */
export function isWriteToDeadServer(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return code === 'EPIPE' || code === 'ERR_IPC_CHANNEL_CLOSED' || code === 'ERR_STREAM_DESTROYED' || /\b(EPIPE|channel closed|write after end)\b/i.test(message);
}

/**
 * Whether to keep the connection after an error that is not a write to a dead server: like the
 * library's default, the first three errors on a connection are tolerated.
 */
export function keepConnectionAfterError(error: unknown, count: number | undefined): boolean {
  return isWriteToDeadServer(error) || (count !== undefined && count <= 3);
}
