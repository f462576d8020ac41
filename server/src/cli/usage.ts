// Help texts. Kept next to the parsers' flag tables so they stay in step.
import { SEVERITY_SETTINGS } from '../analysis/config';
import { RULE_IDS } from '../rules';

export const MAIN_HELP = `Wirelens: what your networking calls put on the wire.

Usage:
  wirelens check [paths…] [options]       find connection misuse (exit 1 when something is found)
  wirelens explain <file>:<line>[:<col>]  the packets and round trips behind the call there
  wirelens capture <file> [--format text|json]
                                          summarise a .pcap/.pcapng capture
  wirelens --help | --version

Run \`wirelens <command> --help\` for a command's options.
`;

export const CHECK_HELP = `Usage: wirelens check [paths…] [options]

Analyses .ts .tsx .mts .cts .js .jsx .mjs .cjs files (not .d.ts) in the files and folders given
(default: examples/ when it exists, else the current folder). Folders inside a git work tree are
listed with git, so git-ignored files are skipped; node_modules is always skipped.

Options:
  --format text|json|sarif   output format (default text)
  --rtt <ms>                 round-trip time used for costs (default 50, or the settings file's rttMs)
  --node <version>           Node version the code runs on, e.g. 20 or 22.4
                             (default: settings nodeVersion, else engines.node, else this Node)
  --rule <id>=<severity>     override a rule's severity; repeatable
                             severities: ${SEVERITY_SETTINGS.join(', ')}
  --config <file>            use this wirelens.json (or package.json) for every file
  -o, --output <file>        write the report to a file instead of stdout
  --summary                  also print the round-trip cost of each recognised call (text format)
  --color, --no-color        force colours on or off (default: on for terminals, off with NO_COLOR)
  -h, --help                 this help

Settings are read from wirelens.json, or the "wirelens" key of package.json, in the file's folder
or the nearest folder above it up to the git root: rttMs, nodeVersion, loadBalancerIdleTimeoutMs,
rules, exclude (globs), lessonsBaseUrl, maxFileBytes. Flags override them.

Exit status: 0 nothing found, 1 findings, 2 usage error.
Rules: ${RULE_IDS.join(', ')}
`;

export const EXPLAIN_HELP = `Usage: wirelens explain <file>:<line>[:<col>] [options]

Prints what crosses the network for the recognised call at that position: the packets in order,
the round trips a new and a reused connection cost at the RTT, and the defaults in effect.
Without a column, the first recognised call on the line. Lines and columns are 1-based; columns
count UTF-16 code units, as editors do.

Options:
  --rtt <ms>         round-trip time (default 50, or the settings file's rttMs)
  --node <version>   Node version the code runs on
  --config <file>    use this wirelens.json (or package.json)
  -h, --help         this help

Exit status: 0 explained, 1 no recognised call there, 2 usage error.
`;

export const CAPTURE_HELP = `Usage: wirelens capture <file> [--format text|json]

Summarises a .pcap or .pcapng capture: each conversation (TCP, UDP) with its packets, bytes and
handshake round trip, and the events worth a look (retransmissions, resets, zero windows …), each
with the lesson that explains it. The file is read as a stream: size does not matter.

Options:
  --format text|json   output format (default text)
  -h, --help           this help

Exit status: 0 read to the end, 1 reading stopped early (the summary covers what was read),
2 usage error (no such file, not a pcap/pcapng file).
`;
