// `wirelens capture <file>`: summarises a packet capture. The capture reader lives in
// server/src/capture (its own issue); until it lands this command says so and exits 2.
import { parseArgs, switchOn } from './args';
import type { CliIo } from './io';
import { CAPTURE_HELP } from './usage';

export async function runCapture(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { format: { value: true, short: 'f' }, help: { value: false, short: 'h' } });
  if (switchOn(args, 'help')) {
    io.out(CAPTURE_HELP);
    return 0;
  }
  io.err('wirelens: capture: not available yet (the .pcap/.pcapng reader has not landed in this build).\n');
  return 2;
}
