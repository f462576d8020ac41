// `wirelens capture <file> [--format text|json]`: summarises a .pcap/.pcapng capture: the
// conversations, their handshake round trip, and the events worth a look (retransmissions, resets,
// zero windows …), each with its lesson. The reading and analysis live in server/src/capture; this
// is the terminal front. Exit 0 when the whole file was read, 1 when reading stopped early (the
// summary covers what was read), 2 on a usage error (no such file, not a capture).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatCaptureJson, formatCaptureText } from '../capture/index';
import { summarizeCaptureFile } from '../capture/nodeFile';
import { flag, parseArgs, switchOn, UsageError } from './args';
import type { CliIo } from './io';
import { lessonFilePath, lessonUrl } from './lessonUrl';
import { CAPTURE_HELP } from './usage';

const FORMATS = ['text', 'json'] as const;

export async function runCapture(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { format: { value: true, short: 'f' }, help: { value: false, short: 'h' } });
  if (switchOn(args, 'help')) {
    io.out(CAPTURE_HELP);
    return 0;
  }
  const format = flag(args, 'format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
  if (args.positionals.length !== 1) throw new UsageError('capture takes one .pcap or .pcapng file');
  const file = args.positionals[0];
  const absolute = path.resolve(io.cwd, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new UsageError(`no such file: ${file}`);
  }
  if (!stat.isFile()) throw new UsageError(`${file} is not a file`);

  const result = await summarizeCaptureFile(absolute);
  const { analysis } = result;
  if (result.error && analysis.file.format === 'unknown') {
    throw new UsageError(`${file}: not a capture wirelens can read: ${result.error}`);
  }
  if (format === 'json') {
    io.out(formatCaptureJson(analysis));
    for (const w of result.warnings) io.err(`wirelens: warning: ${file}: ${w}\n`);
  } else {
    const link = (lesson: string) => lessonFilePath(lesson, io.cwd) ?? lessonUrl(lesson);
    io.out(formatCaptureText(analysis, { fileName: file, lessonUrl: link }));
  }
  if (result.error) {
    io.err(`wirelens: ${file}: reading stopped early: ${result.error}\n`);
    return 1;
  }
  return 0;
}
