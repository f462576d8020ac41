// Turns (seed, case number) into one fuzz case: a mutated real file, a pathological construct, binary
// or badly encoded content, or an editing session of incremental edits. Pure: the same numbers always
// give the same case, so a failure replays with WIRELENS_FUZZ_SEED and WIRELENS_FUZZ_CASE.
import { defaultConfig, type AnalysisConfig } from '../../../server/src/analysis/index';
import { RULE_IDS } from '../../../server/src/rules/index';
import { caseRandom, int, logInt, pick, type Random } from './random';
import type { Seed } from './corpus';

export interface Edit {
  /** Offsets as sent (possibly out of range: the document must clamp them). */
  start: number;
  end: number;
  newText: string;
  /** Analyse (and check) after this edit; otherwise edits pile up before the next parse. */
  analyze: boolean;
}

export interface FuzzCase {
  caseNumber: number;
  strategy: string;
  fileName: string;
  text: string;
  config: AnalysisConfig;
  /** An editing session: the document starts as `text` and takes these edits in order. */
  edits?: Edit[];
  /** The text after the edits, computed independently of the code under test. */
  finalText?: string;
}

export interface Corpus {
  sources: Seed[];
  binaries: Uint8Array[];
}

/** Pieces of JavaScript that matter to the analysis, and pieces that confuse scanners. */
const TOKENS = [
  'fetch(', "'https://api.example.com/v1/users'", '"http://10.0.0.1:8080/x"', '`https://${host}/x`', 'http.request(', 'https.get(', 'net.connect(', 'tls.connect(',
  'axios.get(', 'axios.create(', 'got(', 'new WebSocket(', 'new Pool(', 'pool.query(', 'dgram.createSocket("udp4")', '.send(buf, 53, host)', 'dns.lookup(',
  'http.createServer(', '.listen(3000)', 'server.keepAliveTimeout = 5000;', 'server.headersTimeout = 0;', 'server.close()', 'new http.Agent({ keepAlive: true })',
  '{ timeout: 5000 }', '{ rejectUnauthorized: false }', "{ minVersion: 'TLSv1' }", "ciphers: 'RC4-SHA'", 'signal: AbortSignal.timeout(1000)', "headers: { authorization: 'Basic x' }",
  'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";', "import http from 'node:http';\n", "const net = require('net');\n", "import axios from 'axios';\n",
  'for (const u of urls) ', 'await ', 'async ', 'Promise.all(', 'urls.map(async (u) => ', 'return ', 'const x = ', 'let ', 'var ', 'function f(a, b) ', '=>',
  'class A { constructor() { this.agent = ', 'this.', 'new ', '?.', '??', '...', '#priv', '@dec ', '<T,>', ' as any', ' satisfies X', 'yield ', 'export default ',
  '(', ')', '[', ']', '{', '}', ';', ',', ':', '?', '=', '.', '\n', ' ', '\t', '"', "'", '`', '${', '/*', '*/', '//', '/re[/]g', '<div>', '</div>', '<>', '#!', '0x', '1e309', '0n',
  '// wirelens-disable-next-line', '/* wirelens-disable-file */', '\\u{1F600}', '\uFEFF', '\u2028', '\u2029', '\0', '\u00a0', '\ud83d\ude00',
];

const BRACKETS = ['(', ')', '[', ']', '{', '}', '${', '`', '"', "'", '/*', '*/', '<', '>', '</', '/>', '//'];

/** Pathological nesting and chains; `n` is the depth or length. */
const DEEP: ReadonlyArray<readonly [string, (n: number) => string]> = [
  ['array', (n) => '['.repeat(n) + ']'.repeat(n)],
  ['parens', (n) => '('.repeat(n) + 'x' + ')'.repeat(n)],
  ['object', (n) => '{a:'.repeat(n) + '1' + '}'.repeat(n)],
  ['calls', (n) => 'f('.repeat(n) + ')'.repeat(n)],
  ['fetch-argument', (n) => 'fetch(' + 'g('.repeat(n) + "'https://x.example'" + ')'.repeat(n + 1)],
  ['blocks', (n) => '{'.repeat(n) + '}'.repeat(n)],
  ['functions', (n) => 'function f(){'.repeat(n) + '}'.repeat(n)],
  ['arrows', (n) => '() => '.repeat(n) + 'x'],
  ['conditional', (n) => 'a ? b : '.repeat(n) + 'c'],
  ['template', (n) => '`${'.repeat(n) + 'x' + '}`'.repeat(n)],
  ['unary', (n) => '!'.repeat(n) + 'x'],
  ['plus-chain', (n) => Array(n).fill("'a'").join(' + ')],
  ['comma-chain', (n) => '(' + Array(n).fill('a').join(',') + ')'],
  ['then-chain', (n) => "fetch('https://x.example')" + '.then(f)'.repeat(n)],
  ['on-chain', (n) => "http.request('http://x.example/')" + ".on('data', f)".repeat(n)],
  ['else-if', (n) => 'if (a) {}' + ' else if (a) {}'.repeat(n)],
  ['jsx', (n) => '<a>'.repeat(n) + '</a>'.repeat(n)],
  ['unclosed-parens', (n) => '('.repeat(n)],
  ['unclosed-mixed', (n) => '[{('.repeat(n)],
  ['closers', (n) => ')]}'.repeat(n)],
];

const FILE_NAMES = ['a.ts', 'a.js', 'a.tsx', 'a.jsx', 'a.mjs', 'a.cjs', 'a.mts', 'src/api.ts', 'test/api.test.ts', 'lib/client.js'];

const SEVERITY_SETTINGS = ['off', 'hint', 'info', 'warning', 'error'] as const;

function randomConfig(r: Random): AnalysisConfig {
  const config = defaultConfig();
  if (r() < 0.5) return config;
  config.rttMs = pick(r, [1, 20, 50, 300, 10_000]);
  config.nodeMajor = pick(r, [12, 16, 18, 20, 22, 24, 26]);
  if (r() < 0.4) {
    config.loadBalancerIdleTimeoutMs = pick(r, [1, 4_000, 60_000, 350_000]);
    config.loadBalancerIdleTimeoutConfigured = true;
  }
  for (const id of RULE_IDS) if (r() < 0.15) config.rules[id] = pick(r, SEVERITY_SETTINGS);
  return config;
}

/** A random code unit: mostly printable and syntax characters, sometimes anything (lone surrogates included). */
function randomChar(r: Random): string {
  const roll = r();
  if (roll < 0.5) return pick(r, [...'(){}[]<>;:,.?!=+-*/%&|^~`\'"\\#@$_\n\r\t 0aZ']);
  if (roll < 0.8) return String.fromCharCode(int(r, 0x20, 0x7f));
  if (roll < 0.9) return pick(r, ['\0', '\u2028', '\u2029', '\uFEFF', '\u00a0', '\u200b', '\u202e', '\uFFFD', '\uFFFF']);
  return String.fromCharCode(int(r, 0, 0x10000));
}

function randomTokens(r: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += pick(r, TOKENS);
  return out;
}

/** A whole seed or a slice of one (starting at a line), sometimes behind network imports. */
function baseText(r: Random, corpus: Corpus): { text: string; seedName: string } {
  const seed = pick(r, corpus.sources);
  if (r() < 0.3) return { text: seed.text, seedName: seed.name };
  let start = int(r, 0, seed.text.length);
  start = seed.text.lastIndexOf('\n', start) + 1;
  const text = seed.text.slice(start, start + logInt(r, 100, 6000));
  const header = r() < 0.3 ? "import http from 'node:http';\nimport axios from 'axios';\n" : '';
  return { text: header + text, seedName: seed.name };
}

const at = (r: Random, s: string): number => int(r, 0, s.length + 1);

function truncate(r: Random, s: string): string {
  const cut = at(r, s);
  return r() < 0.8 ? s.slice(0, cut) : s.slice(cut);
}

function flip(r: Random, s: string): string {
  const chars = s.split('');
  const n = logInt(r, 1, 64);
  for (let i = 0; i < n && chars.length; i++) chars[int(r, 0, chars.length)] = randomChar(r);
  return chars.join('');
}

function brackets(r: Random, s: string): string {
  const n = logInt(r, 1, 40);
  for (let i = 0; i < n; i++) {
    if (r() < 0.6) {
      const p = at(r, s);
      s = s.slice(0, p) + pick(r, BRACKETS) + s.slice(p);
    } else {
      // remove one bracket or quote near a random place
      const p = at(r, s);
      const m = /[()[\]{}`'"]/.exec(s.slice(p));
      if (m) s = s.slice(0, p + m.index) + s.slice(p + m.index + 1);
    }
  }
  return s;
}

function splice(r: Random, s: string, corpus: Corpus): string {
  const a = at(r, s);
  const b = Math.min(s.length, a + logInt(r, 1, 2000));
  switch (int(r, 0, 3)) {
    case 0:
      return s.slice(0, a) + s.slice(b);
    case 1:
      return s.slice(0, b) + s.slice(a, b) + s.slice(b);
    default: {
      const other = pick(r, corpus.sources).text;
      const o = at(r, other);
      return s.slice(0, a) + other.slice(o, o + logInt(r, 1, 3000)) + s.slice(a);
    }
  }
}

function deep(r: Random, s: string): { text: string; kind: string } {
  const [kind, make] = pick(r, DEEP);
  const depth = r() < 0.1 ? 10_000 : logInt(r, 10, 10_000);
  const line = s.lastIndexOf('\n', at(r, s)) + 1;
  const construct = r() < 0.5 ? `const deep = ${make(depth)};\n` : make(depth);
  return { text: s.slice(0, line) + construct + s.slice(line), kind: `${kind} ×${depth}` };
}

function binary(r: Random, s: string, corpus: Corpus): string {
  const roll = r();
  let bytes: Uint8Array;
  if (roll < 0.4 && corpus.binaries.length) {
    bytes = pick(r, corpus.binaries);
    bytes = bytes.subarray(0, logInt(r, 1, Math.min(bytes.length, 200_000)));
  } else {
    bytes = new Uint8Array(logInt(r, 1, 50_000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
  }
  const decoded = r() < 0.5 ? Buffer.from(bytes).toString('latin1') : new TextDecoder('utf-8').decode(bytes);
  if (r() < 0.5) return decoded;
  const p = at(r, s);
  return s.slice(0, p) + decoded + s.slice(p);
}

/** Invalid UTF-8 in the file's bytes, decoded the way the CLI (and editors) read files: U+FFFD or Latin-1. */
function invalidUtf8(r: Random, s: string): string {
  const bytes = [...Buffer.from(s, 'utf8')];
  const BAD = [[0xff], [0xfe], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xc3]];
  const n = logInt(r, 1, 30);
  for (let i = 0; i < n; i++) bytes.splice(int(r, 0, bytes.length + 1), 0, ...pick(r, BAD));
  const buf = Buffer.from(bytes);
  return r() < 0.7 ? new TextDecoder('utf-8').decode(buf) : buf.toString('latin1');
}

/** Lone and swapped UTF-16 surrogates, which JSON-RPC can carry (`"\ud800"`) and editors may hold. */
function surrogates(r: Random, s: string): string {
  const LONE = ['\ud800', '\udbff', '\udc00', '\udfff', '\ude00\ud83d', '\ud83d'];
  const n = logInt(r, 1, 20);
  for (let i = 0; i < n; i++) {
    let p = at(r, s);
    if (r() < 0.5) {
      // inside a string literal, where it survives scanning
      const q = s.indexOf("'", p);
      if (q >= 0) p = q + 1;
    }
    s = s.slice(0, p) + pick(r, LONE) + s.slice(p);
  }
  return r() < 0.2 ? s + '\ud800' : s;
}

const clamp = (n: number, low: number, high: number) => Math.min(Math.max(n, low), high);

/** An editing session: typing, deleting, pasting and out-of-range edits, with analyses in between. */
function session(r: Random, s: string, corpus: Corpus): { edits: Edit[]; finalText: string } {
  const edits: Edit[] = [];
  let text = s;
  const push = (start: number, end: number, newText: string, analyzeChance = 0.25) => {
    edits.push({ start, end, newText, analyze: r() < analyzeChance });
    const a = clamp(start, 0, text.length);
    const b = clamp(end, a, text.length);
    text = text.slice(0, a) + newText + text.slice(b);
  };
  const count = logInt(r, 1, 10);
  for (let i = 0; i < count; i++) {
    const roll = r();
    if (roll < 0.3) {
      // typing a token one character at a time
      const token = pick(r, TOKENS);
      const p = at(r, text);
      // (an editor asks for diagnostics after a pause, not after every key)
      for (let k = 0; k < token.length; k++) push(p + k, p + k, token[k]!, k === token.length - 1 ? 0.25 : 0.03);
    } else if (roll < 0.5) {
      const a = at(r, text);
      push(a, a + logInt(r, 1, 300), '');
    } else if (roll < 0.65) {
      const a = at(r, text);
      push(a, a + logInt(r, 1, 50), randomTokens(r, logInt(r, 1, 6)));
    } else if (roll < 0.75) {
      const other = pick(r, corpus.sources).text;
      const o = at(r, other);
      push(at(r, text), -1, other.slice(o, o + logInt(r, 1, 2000)));
      // an end before the start: the document treats it as an insertion
      const last = edits[edits.length - 1]!;
      last.end = last.start - int(r, 1, 5);
    } else if (roll < 0.85) {
      // out of range: past the end, negative, NaN-free but absurd
      push(pick(r, [-10, text.length + 5, 2 ** 31]), pick(r, [-1, text.length + 100, 2 ** 31]), randomChar(r));
    } else {
      // delete a range and type it back (undo)
      const a = at(r, text);
      const b = Math.min(text.length, a + logInt(r, 1, 80));
      const removed = text.slice(a, b);
      push(a, b, '');
      push(a, a, removed);
    }
  }
  if (edits.length) edits[edits.length - 1]!.analyze = true;
  return { edits, finalText: text };
}

/** How often each kind of case comes up, out of 40: editing sessions are a quarter of the run. */
const MIX = [
  ...Array<string>(4).fill('truncate'),
  ...Array<string>(4).fill('flip'),
  ...Array<string>(4).fill('brackets'),
  ...Array<string>(2).fill('splice'),
  'deep',
  ...Array<string>(2).fill('binary'),
  ...Array<string>(2).fill('utf8'),
  ...Array<string>(2).fill('surrogates'),
  ...Array<string>(4).fill('tokens'),
  ...Array<string>(2).fill('unchanged'),
  ...Array<string>(3).fill('stacked'),
  ...Array<string>(10).fill('session'),
] as const;

export function makeCase(seed: number, caseNumber: number, corpus: Corpus): FuzzCase {
  const r = caseRandom(seed, caseNumber);
  // The configuration draws from its own stream, so adding a rule does not change every later case.
  const config = randomConfig(caseRandom(seed ^ 0x5bd1e995, caseNumber));
  const base = baseText(r, corpus);
  const seedExt = /\.[cm]?[jt]sx?$/.exec(base.seedName)?.[0];
  const fileName = r() < 0.5 && seedExt ? `file${seedExt}` : pick(r, FILE_NAMES);
  const make = (strategy: string, text: string): FuzzCase => ({ caseNumber, strategy: `${strategy} (${base.seedName})`, fileName, text, config });
  switch (MIX[caseNumber % MIX.length]) {
    case 'truncate':
      return make('truncate', truncate(r, base.text));
    case 'flip':
      return make('flip characters', flip(r, base.text));
    case 'brackets':
      return make('unbalanced brackets', brackets(r, base.text));
    case 'splice':
      return make('splice', splice(r, base.text, corpus));
    case 'deep': {
      const d = deep(r, base.text);
      return make(`deep nesting ${d.kind}`, d.text);
    }
    case 'binary':
      return make('binary content', binary(r, base.text, corpus));
    case 'utf8':
      return make('invalid UTF-8', invalidUtf8(r, base.text));
    case 'surrogates':
      return make('lone surrogates', surrogates(r, base.text));
    case 'tokens':
      return make('token soup', randomTokens(r, logInt(r, 5, 600)));
    case 'unchanged':
      return make('unchanged', base.text);
    case 'stacked': {
      // stacked mutations
      let text = base.text;
      const steps = [truncate, flip, brackets, surrogates];
      for (let i = int(r, 2, 4); i > 0; i--) text = pick(r, steps)(r, text);
      return make('stacked mutations', text);
    }
    default: {
      // editing sessions, over clean or mutated starting text of function size (a whole file now and then)
      const sized = base.text.length > 4000 && r() < 0.8 ? base.text.slice(0, base.text.indexOf('\n', 3000) + 1 || 4000) : base.text;
      const start = r() < 0.5 ? sized : pick(r, [flip, brackets, truncate])(r, sized);
      const { edits, finalText } = session(r, start, corpus);
      return { ...make(`editing session of ${edits.length} edits`, start), edits, finalText };
    }
  }
}
