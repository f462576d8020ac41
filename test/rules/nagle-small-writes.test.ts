import { ruleTester } from './ruleTester';

ruleTester('nagle-small-writes', {
  valid: [
    {
      name: 'setNoDelay(true) on the socket',
      code: "import net from 'net';\nconst s = net.connect(11211, 'memcache');\ns.setNoDelay(true);\ns.on('data', onReply);\nexport function get(key: string) {\n  s.write(`get ${key}`);\n  s.write('\\r\\n');\n}",
    },
    {
      name: 'cork/uncork coalesces the writes',
      code: "import net from 'net';\nconst s = net.connect(6379, 'cache');\ns.on('data', onReply);\nexport function send(h: Buffer, b: Buffer) {\n  s.cork();\n  s.write(h);\n  s.write(b);\n  process.nextTick(() => s.uncork());\n}",
    },
    {
      name: 'noDelay option at connect',
      code: "import net from 'net';\nconst s = net.connect({ host: 'rpc', port: 9000, noDelay: true });\ns.on('data', onReply);\nexport function call(h: Buffer, b: Buffer) {\n  s.write(h);\n  s.write(b);\n}",
    },
    {
      name: 'one-way metric stream: nothing waits for a reply',
      filename: 'a.js',
      code: "const net = require('net');\nconst s = net.connect(2003, 'graphite');\nfunction flush(a, b) {\n  s.write(a);\n  s.write(b);\n}",
    },
    {
      name: 'writes in a loop stream bulk data',
      code: "import net from 'net';\nconst s = net.connect(9000, 'h');\ns.on('data', onAck);\nfor (const part of parts) {\n  s.write(part.header);\n  s.write(part.body);\n}",
    },
    {
      name: 'HTTP responses already run with noDelay',
      code: "import http from 'http';\nhttp.createServer((req, res) => {\n  res.write('a');\n  res.write('b');\n  res.end();\n});",
    },
  ],
  invalid: [
    {
      name: 'client writes a request in two pieces and reads the reply (TS, import)',
      code: "import net from 'net';\nconst s = net.connect(11211, 'memcache');\ns.on('data', onReply);\nexport function get(key: string) {\n  s.write(`get ${key}`);\n  s.write('\\r\\n');\n}",
      errors: [{ line: 6, column: 3, messageId: 'writeWriteRead', severity: 'info', related: 1 }],
      output: "import net from 'net';\nconst s = net.connect(11211, 'memcache');\ns.setNoDelay(true);\ns.on('data', onReply);\nexport function get(key: string) {\n  s.write(`get ${key}`);\n  s.write('\\r\\n');\n}",
    },
    {
      name: 'server answers with header and body writes',
      code: "import net from 'net';\nnet.createServer((sock) => {\n  sock.on('data', (req) => {\n    sock.write(frameHeader(req));\n    sock.write(frameBody(req));\n  });\n}).listen(9000);",
      errors: [{ line: 5, column: 5, messageId: 'writeWriteRead' }],
      output: "import net from 'net';\nnet.createServer((sock) => {\n  sock.setNoDelay(true);\n  sock.on('data', (req) => {\n    sock.write(frameHeader(req));\n    sock.write(frameBody(req));\n  });\n}).listen(9000);",
    },
    {
      name: 'write, write, then await the reply (JS, require)',
      filename: 'a.js',
      code: "const net = require('net');\nconst { once } = require('events');\nasync function query(sql) {\n  const sock = net.connect(5000, 'db');\n  sock.write(header(sql));\n  sock.write(sql);\n  const [reply] = await once(sock, 'data');\n  return reply;\n}",
      errors: [{ line: 6, column: 3, messageId: 'writeWriteRead' }],
      output: "const net = require('net');\nconst { once } = require('events');\nasync function query(sql) {\n  const sock = net.connect(5000, 'db');\n  sock.setNoDelay(true);\n  sock.write(header(sql));\n  sock.write(sql);\n  const [reply] = await once(sock, 'data');\n  return reply;\n}",
    },
  ],
});
