import { ruleTester } from './ruleTester';

ruleTester('chunk-decoded-per-chunk', {
  valid: [
    {
      name: 'setEncoding first: chunks are already strings',
      code: "import https from 'https';\nhttps.get('https://api.example.com/x', (res) => {\n  res.setEncoding('utf8');\n  let body = '';\n  res.on('data', (c) => (body += c));\n});",
    },
    {
      name: 'Buffers collected and decoded once',
      filename: 'a.js',
      code: "const https = require('https');\nhttps.get('https://api.example.com/x', (res) => {\n  const chunks = [];\n  res.on('data', (c) => chunks.push(c));\n  res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));\n});",
    },
    {
      name: 'hex is decoded byte by byte',
      code: "import net from 'net';\nconst s = net.connect(7, 'h');\nlet hex = '';\ns.on('data', (d) => { hex += d.toString('hex'); });",
    },
    {
      name: 'a per-chunk local, not an accumulation',
      code: "import net from 'net';\nconst s = net.connect(7, 'h');\ns.on('data', (d) => { const text = d.toString(); log(text); });",
    },
    {
      name: 'StringDecoder keeps partial characters',
      code: "import net from 'net';\nimport { StringDecoder } from 'string_decoder';\nconst s = net.connect(7, 'h');\nconst decoder = new StringDecoder('utf8');\nlet out = '';\ns.on('data', (d) => { out += decoder.write(d); });",
    },
    {
      name: 'child process output is not a network stream',
      code: "import { spawn } from 'child_process';\nconst proc = spawn('ls');\nlet out = '';\nproc.stdout.on('data', (d) => { out += d; });",
    },
  ],
  invalid: [
    {
      name: 'response body appended chunk by chunk (TS, import)',
      code: "import https from 'https';\nhttps.get('https://api.example.com/x', (res) => {\n  let body = '';\n  res.on('data', (c) => { body += c; });\n  res.on('end', () => done(body));\n});",
      errors: [{ line: 4, column: 27, endColumn: 36, messageId: 'decodedPerChunk', severity: 'warning', related: 1 }],
      output: "import https from 'https';\nhttps.get('https://api.example.com/x', (res) => {\n  let body = '';\n  res.setEncoding('utf8');\n  res.on('data', (c) => { body += c; });\n  res.on('end', () => done(body));\n});",
    },
    {
      name: 'socket chunks decoded with toString and appended (JS, untyped socket)',
      filename: 'a.js',
      code: "const net = require('net');\nconst readReply = (socket) => new Promise((resolve) => {\n  let data = '';\n  socket.on('data', (chunk) => {\n    data += chunk.toString();\n    if (data.endsWith('\\r\\n')) resolve(data);\n  });\n});",
      errors: [{ line: 5, column: 5, messageId: 'decodedPerChunk' }],
      output: "const net = require('net');\nconst readReply = (socket) => new Promise((resolve) => {\n  let data = '';\n  socket.setEncoding('utf8');\n  socket.on('data', (chunk) => {\n    data += chunk.toString();\n    if (data.endsWith('\\r\\n')) resolve(data);\n  });\n});",
    },
    {
      name: 's = s + chunk in a named handler',
      code: "import net from 'net';\nconst s = net.connect(7, 'h');\nlet text = '';\nfunction onData(chunk: Buffer) {\n  text = text + chunk;\n}\ns.on('data', onData);",
      errors: [{ line: 5, column: 3, messageId: 'decodedPerChunk' }],
      output: null,
    },
    {
      name: 'decoded chunks pushed for a later join',
      code: "import http from 'http';\nhttp.createServer((req, res) => {\n  const parts: string[] = [];\n  req.on('data', (c) => parts.push(c.toString()));\n  req.on('end', () => res.end(parts.join('')));\n});",
      errors: [{ line: 4, column: 25, messageId: 'decodedPerChunk' }],
    },
  ],
});
