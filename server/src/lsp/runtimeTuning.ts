// How the language server's V8 is tuned, shared by the server (which sets what it can on itself when
// nobody else did), the VS Code client (which puts it all on the server's command line) and the
// benchmark (which starts the server as the client does). No imports: the client bundles this file.

/**
 * V8's optimising compiler inlines callees into the function it compiles up to 920 bytes of bytecode
 * in all (its default). The analysis is a deep tree of small functions, so every function it optimises
 * takes a large tree of callees with it, and compiling those is a large part of what a freshly started
 * server spends on the user's first edits: over the first 40 edits of a 10,000-line document in Node 20,
 * the compiler's and collector's threads used three quarters as much CPU again as the edits' own
 * thread. An eighth of the budget keeps the small callees (V8 inlines those of at most 27 bytes
 * regardless) and took a sixth to a third off the server's CPU over those edits, with no cost measured
 * in warm edits, opening files, hovers or the corpus (bench/edit-latency.md, "Seventh round").
 */
export const INLINING_BUDGET_FLAG = '--max-inlined-bytecode-size-cumulative=115';

/**
 * V8's worker threads (Node's platform pool; Node starts 4 whatever the machine). They compile
 * optimised code and share the collector's work, and in a scavenge the main thread waits until every
 * worker is done. On a machine with few cores the server shares them with the editor, and with four
 * workers a pause stretches whenever a worker waits for a core: on 2 cores, fresh servers with one
 * worker answered the 10,000-line document's edits with a p95 about a quarter lower than with four, and
 * opened it faster (bench/edit-latency.md, "Eighth round"). Half the cores, at least one and at most
 * Node's four. Only Node reads this: Electron builds its own pool and ignores the flag, so VS Code
 * desktop is unchanged, while the VS Code Server behind Remote-SSH, WSL, containers, Codespaces and
 * code-server, and other editors that pass it, take it.
 */
export function workerThreadsFor(parallelism: number): number {
  return Math.max(1, Math.min(4, Math.floor(parallelism / 2)));
}

/**
 * The Node options the server is started with, given the machine's parallelism
 * (`os.availableParallelism()`): what the VS Code client passes, and what the benchmark starts it with.
 * Node options go before the module, and a process cannot change its pool once started.
 */
export function serverNodeArgs(parallelism: number): string[] {
  return [INLINING_BUDGET_FLAG, `--v8-pool-size=${workerThreadsFor(parallelism)}`];
}

const FLAG_NAME = INLINING_BUDGET_FLAG.slice(0, INLINING_BUDGET_FLAG.indexOf('='));

/** V8 reads `_` and `-` in flag names as the same character. */
const sameFlagName = (arg: string) => arg.replace(/_/g, '-').split('=')[0] === FLAG_NAME;

/**
 * The V8 flags the server sets on itself as it starts, before any of its code is compiled: none when
 * its command line sets the budget already (the VS Code client does, and a user may choose another),
 * and none under Electron. There the flags must come on the command line: an embedder may freeze V8's
 * flags once it has started it, and setting one then aborts the process (nw.js does, nwjs/nw.js#8067).
 * Node keeps them settable, since `v8.setFlagsFromString` is its API.
 */
export function flagsToSetAtStart(execArgv: readonly string[], versions: Readonly<Record<string, string | undefined>>): string[] {
  if (versions.electron !== undefined) return [];
  if (execArgv.some(sameFlagName)) return [];
  return [INLINING_BUDGET_FLAG];
}

let setAtStart: readonly string[] = [];

/** Sets `flagsToSetAtStart` with `setFlags` (`v8.setFlagsFromString`), once, and remembers what it set. */
export function tuneAtStart(setFlags: (flag: string) => void, execArgv: readonly string[] = process.execArgv, versions: Readonly<Record<string, string | undefined>> = process.versions): readonly string[] {
  setAtStart = flagsToSetAtStart(execArgv, versions);
  for (const flag of setAtStart) setFlags(flag);
  return setAtStart;
}

/** What `tuneAtStart` set in this process (for the reliability tests' hook). */
export function flagsSetAtStart(): readonly string[] {
  return setAtStart;
}
