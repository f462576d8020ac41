// Right after start, while the user has not typed yet, the server edits a small document of its own a
// few dozen times: the incremental path (re-parse, kept facts and resolutions, every rule, the hover)
// runs interpreted until V8 has compiled it, and a freshly started server answered its first ten
// keystrokes in a large file two to three times slower than the ones after. One step per event-loop
// turn, so a request that arrives meanwhile waits for one small analysis at most.
import { AnalyzedDocument, defaultConfig, explainCall, explanationToMarkdown } from '../analysis/index';

/** Networking code of the usual shapes, a few hundred lines of it. */
export function sampleText(): string {
  const parts = ["'use strict';", "const http = require('http');", "const https = require('https');", "const net = require('net');", "const axios = require('axios');", "const { Pool } = require('pg');", 'const pool = new Pool();', 'let agent;'];
  for (let i = 0; i < 12; i++) {
    parts.push(
      `function fetchUser${i}(id, callback) {`,
      `  const req = http.request({ host: 'api${i}.example.com', path: '/users/' + id, method: 'GET' }, (res) => {`,
      "    let body = '';",
      "    res.on('data', (chunk) => { body += chunk; });",
      "    res.on('end', () => callback(null, JSON.parse(body)));",
      '  });',
      "  req.on('error', callback);",
      '  req.end();',
      '}',
      `async function load${i}(url) {`,
      `  const res = await fetch(url + '/items/${i}', { headers: { accept: 'application/json' } });`,
      '  if (!res.ok) throw new Error(String(res.status));',
      '  return res.json();',
      '}',
      `const client${i} = axios.create({ baseURL: 'https://svc${i}.example.com' });`,
      `async function query${i}(sql) {`,
      '  const conn = await pool.connect();',
      '  try { return await conn.query(sql); } finally { conn.release(); }',
      '}',
      `const server${i} = http.createServer((req, res) => { https.get('https://upstream${i}.example.com/', { agent }, (up) => up.pipe(res)); });`,
      `server${i}.listen(${8000 + i});`,
      `const socket${i} = net.connect(${9000 + i}, 'localhost', () => socket${i}.write('ping'));`,
    );
  }
  return parts.join('\n') + '\n';
}

/** Where typing happens: right after a letter (a word changes) and right after a space (none does). */
function editOffsets(text: string, count: number): number[] {
  const offsets: number[] = [];
  const stride = Math.max(1, Math.floor(text.length / count));
  for (let at = 1; at < text.length && offsets.length < count; at += stride) {
    let i = at;
    const wantLetter = offsets.length % 2 === 0;
    while (i < text.length && !(wantLetter ? /[a-z]/i.test(text[i - 1]!) : text[i - 1] === ' ' && text[i] !== '\n')) i++;
    if (i < text.length) offsets.push(i);
  }
  return offsets;
}

export interface WarmUp {
  cancel(): void;
}

/** Starts the warm-up; `schedule` runs one step later (setImmediate in the server). */
export function warmUp(schedule: (step: () => void) => void = (step) => void setImmediate(step), edits = 40): WarmUp {
  const config = defaultConfig();
  const text = sampleText();
  const doc = new AnalyzedDocument('/wirelens-warm-up.js', text);
  const offsets = editOffsets(text, edits);
  let cancelled = false;
  let step = 0;
  const run = () => {
    if (cancelled) return;
    try {
      if (step === 0) doc.analyze(config);
      else if (step <= offsets.length * 2) {
        const which = (step - 1) >> 1;
        const at = offsets[which]!;
        // Type a character, then take it back: the document returns to the sample every two steps.
        if (step % 2 === 1) doc.applyEdit(at, at, which % 2 === 0 ? 'x' : ' ');
        else doc.applyEdit(at, at + 1, '');
        const { analysis } = doc.analyze(config);
        const call = analysis.calls[step % Math.max(1, analysis.calls.length)];
        if (call) explanationToMarkdown(explainCall(call, config), { rttMs: config.rttMs });
      } else return;
    } catch {
      // Warming up is an optimisation: a failure here must never reach the user.
      return;
    }
    step++;
    schedule(run);
  };
  schedule(run);
  return {
    cancel: () => {
      cancelled = true;
    },
  };
}
