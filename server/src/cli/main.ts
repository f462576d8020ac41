// The `wirelens` command: `check`, `explain`, `capture`, `--help`, `--version`.
// bin/wirelens.js calls main() and uses its result as the exit code: 0 nothing found (or done),
// 1 findings (or nothing to explain), 2 usage error (or an internal error). Nothing here calls process.exit, so output
// written to a pipe is flushed before Node exits.
import { UsageError } from './args';
import { runCapture } from './capture';
import { runCheck } from './check';
import { runExplain } from './explain';
import { processIo, type CliIo } from './io';
import { MAIN_HELP } from './usage';
import { WIRELENS_VERSION } from './version';

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  check: runCheck,
  explain: runExplain,
  capture: runCapture,
};

let pipeGuardInstalled = false;

/** `wirelens check | head` closes the pipe early: that is not an error worth a stack trace. */
function ignoreClosedPipes(): void {
  if (pipeGuardInstalled) return;
  pipeGuardInstalled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
}

export async function main(argv: string[], customIo?: CliIo): Promise<number> {
  if (!customIo) ignoreClosedPipes();
  const io = customIo ?? processIo();
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.err(MAIN_HELP);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(MAIN_HELP);
      return 0;
    }
    if (command === '--version' || command === '-v' || command === '-V' || command === 'version') {
      io.out(`${WIRELENS_VERSION}\n`);
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(command.startsWith('-') ? `unknown option ${command}; a command comes first (check, explain, capture)` : `unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`wirelens: ${err.message}\nRun \`wirelens ${command && COMMANDS[command] ? `${command} ` : ''}--help\` for usage.\n`);
      return 2;
    }
    // A bug of ours: say so plainly, with the stack for the report, and do not exit 1, which
    // would read as "findings" to a CI job.
    io.err(`wirelens: internal error, please report it: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 2;
  }
}
