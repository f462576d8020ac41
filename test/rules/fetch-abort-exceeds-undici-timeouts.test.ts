import { ruleTester } from './ruleTester';

ruleTester('fetch-abort-exceeds-undici-timeouts', {
  valid: [
    { name: 'within undici\'s limits', code: "export const f = (u: string) => fetch(u, { signal: AbortSignal.timeout(120_000) });" },
    { name: 'dispatcher with longer timeouts', code: "import { Agent } from 'undici';\nconst slow = new Agent({ headersTimeout: 600_000, bodyTimeout: 600_000 });\nexport const f = (u: string) => fetch(u, { signal: AbortSignal.timeout(600_000), dispatcher: slow } as RequestInit);" },
    { name: 'global dispatcher set in this module', code: "import { Agent, setGlobalDispatcher } from 'undici';\nsetGlobalDispatcher(new Agent({ headersTimeout: 900_000, bodyTimeout: 900_000 }));\nexport const f = (u: string) => fetch(u, { signal: AbortSignal.timeout(900_000) });" },
    { name: 'node-fetch does not run on undici', code: "const fetch = require('node-fetch');\nmodule.exports = (u) => fetch(u, { signal: AbortSignal.timeout(600000) });", filename: 'f.js' },
    { name: 'timeout not known statically', code: "export const f = (u: string, ms: number) => fetch(u, { signal: AbortSignal.timeout(ms) });" },
    { name: 'options spread from elsewhere (may carry a dispatcher)', code: "export const f = (u: string, o: RequestInit) => fetch(u, { ...o, signal: AbortSignal.timeout(600_000) });" },
  ],
  invalid: [
    {
      name: 'ten-minute budget on global fetch (TS)',
      code: "export async function complete(body: string) {\n  const r = await fetch('https://llm.example.com/v1/complete', { method: 'POST', body, signal: AbortSignal.timeout(600_000) });\n  return r.json();\n}",
      errors: [{ line: 2, column: 96, endColumn: 124, messageId: 'exceeds', severity: 'warning', message: /allows 10 min/ }],
      output: null,
    },
    {
      name: 'signal in a constant (undici fetch, require)',
      code: "const { fetch } = require('undici');\nconst LONG = 15 * 60 * 1000;\nasync function run(u) {\n  const signal = AbortSignal.timeout(LONG);\n  return (await fetch(u, { signal })).text();\n}\nmodule.exports = run;",
      filename: 'run.js',
      errors: [{ line: 5, column: 28, messageId: 'exceeds', related: 1, message: /allows 15 min/ }],
    },
    {
      name: 'AbortController aborted by a timer',
      code: "export async function report(u: string) {\n  const controller = new AbortController();\n  const t = setTimeout(() => controller.abort(), 20 * 60_000);\n  try {\n    return await (await fetch(u, { signal: controller.signal })).json();\n  } finally {\n    clearTimeout(t);\n  }\n}",
      errors: [{ line: 5, column: 36, messageId: 'exceeds', related: 1 }],
    },
    {
      name: 'AbortSignal.any with a long timeout',
      code: "export const f = (u: string, user: AbortSignal) => fetch(u, { signal: AbortSignal.any([user, AbortSignal.timeout(400_000)]) });",
      errors: [{ line: 1, column: 94, messageId: 'exceeds' }],
    },
  ],
});
