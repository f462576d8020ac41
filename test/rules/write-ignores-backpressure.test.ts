import { ruleTester } from './ruleTester';

ruleTester('write-ignores-backpressure', {
  valid: [
    {
      name: "loop that waits for 'drain'",
      code: "import http from 'http';\nimport { once } from 'events';\nhttp.createServer(async (req, res) => {\n  for await (const row of db.stream()) {\n    if (!res.write(JSON.stringify(row) + '\\n')) await once(res, 'drain');\n  }\n  res.end();\n});",
    },
    {
      name: "timer that checks write() and stops on 'close' (rules.md correct example)",
      code: "import http from 'http';\nhttp.createServer((req, res) => {\n  const t = setInterval(() => { if (!res.write(`data: ${tick()}\\n\\n`)) skipped++; }, 1000);\n  req.on('close', () => clearInterval(t));\n});",
    },
    {
      name: "timer that stops on 'close' (small writes, bounded by the departure)",
      code: "import http from 'http';\nhttp.createServer((req, res) => {\n  const t = setInterval(() => res.write(': ping\\n\\n'), 15_000);\n  res.on('close', () => clearInterval(t));\n});",
    },
    {
      name: 'a small fixed burst',
      code: "import net from 'net';\nconst s = net.connect(25, 'mail');\nfor (let i = 0; i < 3; i++) s.write('NOOP\\r\\n');",
    },
    {
      name: "a 'drain' listener elsewhere on the socket",
      filename: 'a.js',
      code: "const net = require('net');\nconst s = net.connect(2003, 'graphite');\ns.on('drain', resume);\nfor (const m of metrics) s.write(m);",
    },
    {
      name: 'writes to a file stream are not network backpressure',
      code: "import fs from 'fs';\nconst out = fs.createWriteStream('a.log');\nfor (const l of lines) out.write(l);",
    },
  ],
  invalid: [
    {
      name: 'rows streamed to the response in a loop (TS, import)',
      code: "import http from 'http';\nhttp.createServer(async (req, res) => {\n  for await (const row of db.stream()) {\n    res.write(JSON.stringify(row) + '\\n');\n  }\n  res.end();\n});",
      errors: [{ line: 4, column: 5, messageId: 'loop', severity: 'warning' }],
      output: "import http from 'http';\nimport { once } from 'events';\nhttp.createServer(async (req, res) => {\n  for await (const row of db.stream()) {\n    if (!res.write(JSON.stringify(row) + '\\n')) await once(res, 'drain');\n  }\n  res.end();\n});",
    },
    {
      name: 'server-sent events on a timer that never stops (rules.md incorrect example)',
      code: "import http from 'http';\nhttp.createServer((req, res) => {\n  res.writeHead(200, { 'content-type': 'text/event-stream' });\n  setInterval(() => res.write(`data: ${tick()}\\n\\n`), 1000);\n});",
      errors: [{ line: 4, column: 21, messageId: 'timer' }],
      output: null,
    },
    {
      name: 'socket written per element of a forEach (JS, require)',
      filename: 'a.js',
      code: "const net = require('net');\nconst sock = net.connect(9000, 'collector');\nfunction flush(events) {\n  events.forEach((e) => sock.write(JSON.stringify(e) + '\\n'));\n}",
      errors: [{ line: 4, column: 25, messageId: 'loop' }],
      output: null,
    },
    {
      name: 'upload body written in a while loop',
      code: "import https from 'https';\nconst req = https.request('https://upload.example.com', { method: 'PUT' });\nlet chunk;\nwhile ((chunk = source.read()) !== null) {\n  req.write(chunk);\n}\nreq.end();",
      errors: [{ line: 5, column: 3, messageId: 'loop' }],
    },
  ],
});
