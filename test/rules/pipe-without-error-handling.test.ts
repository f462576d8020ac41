import { ruleTester } from './ruleTester';

ruleTester('pipe-without-error-handling', {
  valid: [
    {
      name: 'stream.pipeline',
      code: "import http from 'http';\nimport fs from 'fs';\nimport { pipeline } from 'stream';\nhttp.createServer((req, res) => {\n  pipeline(fs.createReadStream('index.html'), res, (err) => err && console.error(err));\n});",
    },
    {
      name: 'source error listener and destination close handled by hand',
      code: "import http from 'http';\nimport fs from 'fs';\nhttp.createServer((req, res) => {\n  const file = fs.createReadStream('big.bin');\n  file.on('error', () => res.destroy());\n  res.on('close', () => file.destroy());\n  file.pipe(res);\n});",
    },
    {
      name: 'file to file is not a network stream',
      code: "import fs from 'fs';\nfs.createReadStream('a.log').pipe(fs.createWriteStream('b.log'));",
    },
    {
      name: 'echo server: one object (network-error-unhandled reports its errors)',
      code: "import net from 'net';\nnet.createServer((sock) => sock.pipe(sock)).listen(7);",
    },
    {
      name: 'a stream handed in by the caller is the caller\'s to guard',
      filename: 'a.js',
      code: "function upload(body, req) {\n  body.pipe(req);\n}\nmodule.exports = upload;",
    },
    {
      name: 'proxied response with the client close handled',
      code: "import http from 'http';\nhttp.createServer((req, res) => {\n  http.get('http://backend.internal/x', (upstream) => {\n    res.on('close', () => upstream.destroy());\n    upstream.pipe(res);\n  }).on('error', () => res.end());\n});",
    },
    {
      name: 'request body piped upstream, both ends guarded',
      code: "import http from 'http';\nhttp.createServer((req, res) => {\n  const proxyReq = http.request({ host: 'backend', path: req.url });\n  proxyReq.on('error', () => res.end());\n  req.on('aborted', () => proxyReq.destroy());\n  req.pipe(proxyReq);\n});",
    },
  ],
  invalid: [
    {
      name: 'file streamed to the response (TS, import): ENOENT crashes, a client abort leaks the fd',
      code: "import http from 'http';\nimport fs from 'fs';\nhttp.createServer((req, res) => {\n  fs.createReadStream('.' + req.url).pipe(res);\n});",
      errors: [{ line: 4, column: 38, messageId: 'sourceThrows', severity: 'warning' }],
      output: "import http from 'http';\nimport fs from 'fs';\nimport { pipeline } from 'stream';\nhttp.createServer((req, res) => {\n  pipeline(fs.createReadStream('.' + req.url), res, (err) => {\n    if (err) console.error('pipeline failed:', err.message);\n  });\n});",
    },
    {
      name: 'upstream response piped to the client (JS, require): the upstream leaks on client disconnect',
      filename: 'proxy.js',
      code: "const http = require('http');\nhttp.createServer((req, res) => {\n  http.get('http://backend.internal' + req.url, (upstream) => {\n    res.writeHead(upstream.statusCode, upstream.headers);\n    upstream.pipe(res);\n  }).on('error', () => res.end());\n});",
      errors: [{ line: 5, column: 14, messageId: 'sourceLeaks' }],
      output: "const http = require('http');\nconst { pipeline } = require('stream');\nhttp.createServer((req, res) => {\n  http.get('http://backend.internal' + req.url, (upstream) => {\n    res.writeHead(upstream.statusCode, upstream.headers);\n    pipeline(upstream, res, (err) => {\n      if (err) console.error('pipeline failed:', err.message);\n    });\n  }).on('error', () => res.end());\n});",
    },
    {
      name: 'chain through gzip: the fix takes the whole chain',
      code: "import http from 'http';\nimport fs from 'fs';\nimport zlib from 'zlib';\nimport { pipeline } from 'node:stream';\nhttp.createServer((req, res) => {\n  fs.createReadStream('a.json').pipe(zlib.createGzip()).pipe(res);\n});",
      errors: [{ line: 6, column: 57, messageId: 'sourceThrows' }],
      output: "import http from 'http';\nimport fs from 'fs';\nimport zlib from 'zlib';\nimport { pipeline } from 'node:stream';\nhttp.createServer((req, res) => {\n  pipeline(fs.createReadStream('a.json'), zlib.createGzip(), res, (err) => {\n    if (err) console.error('pipeline failed:', err.message);\n  });\n});",
    },
    {
      name: 'client socket piped to an upstream socket: the client side has no error handling',
      code: "import net from 'net';\nnet.createServer((client) => {\n  const upstream = net.connect(5432, 'db.internal');\n  upstream.on('error', () => client.destroy());\n  client.pipe(upstream);\n});",
      errors: [{ line: 5, column: 10, messageId: 'sourceThrows' }],
    },
    {
      name: 'pipe result used: reported without a fix',
      code: "import http from 'http';\nimport fs from 'fs';\nhttp.createServer((req, res) => {\n  const out = fs.createReadStream('x').pipe(res);\n  out.on('finish', () => log('sent'));\n});",
      errors: [{ line: 4, column: 40, messageId: 'sourceThrows' }],
      output: null,
    },
  ],
});
