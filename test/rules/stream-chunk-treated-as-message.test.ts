import { ruleTester } from './ruleTester';

ruleTester('stream-chunk-treated-as-message', {
  valid: [
    {
      name: 'newline-delimited JSON buffered across chunks',
      code: "import net from 'net';\nnet.createServer((sock) => {\n  let buf = '';\n  sock.setEncoding('utf8');\n  sock.on('data', (d) => {\n    buf += d;\n    let i;\n    while ((i = buf.indexOf('\\n')) >= 0) {\n      handle(JSON.parse(buf.slice(0, i)));\n      buf = buf.slice(i + 1);\n    }\n  });\n});",
    },
    {
      name: 'logging only',
      code: "import net from 'net';\nconst s = net.connect(7000, 'h');\ns.on('data', (d) => console.log('got', d.toString()));",
    },
    {
      name: 'chunks appended to a buffer list, framed elsewhere',
      filename: 'a.js',
      code: "const net = require('net');\nconst socket = net.createConnection(9092, 'broker');\nsocket.on('data', function (data) {\n  socket.buffer.append(data);\n  handleReceivedData(socket);\n});",
    },
    {
      name: 'proxying bytes through',
      code: "import net from 'net';\nnet.createServer((client) => {\n  const up = net.connect(5432, 'db');\n  client.on('data', (d) => up.write(d));\n});",
    },
    {
      name: 'ws messages are framed by the protocol',
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => ws.on('message', (m) => handle(JSON.parse(m.toString()))));",
    },
    {
      name: 'chunk also handed to a framer from another module',
      code: "import net from 'net';\nimport { frame } from './codec';\nconst s = net.connect(7000, 'h');\ns.on('data', (d) => {\n  if (d.toString() === 'READY') return;\n  frame(d);\n});",
    },
    {
      name: 'a socket.io socket is not a byte stream',
      code: "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => socket.on('data', (msg) => handle(JSON.parse(msg))));",
    },
  ],
  invalid: [
    {
      name: 'JSON.parse of each socket chunk (TS, import)',
      code: "import net from 'net';\nnet.createServer((sock) => {\n  sock.on('data', (d) => handle(JSON.parse(d.toString())));\n}).listen(7000);",
      errors: [{ line: 3, column: 3, messageId: 'parsedPerChunk', severity: 'warning', related: 1 }],
      output: null,
    },
    {
      name: 'HTTP response body parsed from its first chunk (JS, require)',
      filename: 'a.js',
      code: "const https = require('https');\nhttps.get('https://api.example.com/x', (res) => {\n  res.on('data', (chunk) => {\n    const body = JSON.parse(chunk);\n    done(body);\n  });\n});",
      errors: [{ line: 3, column: 3, messageId: 'parsedPerChunk' }],
    },
    {
      name: 'command protocol switching on each chunk',
      code: "import net from 'net';\nconst server = net.createServer();\nserver.on('connection', (sock) => {\n  sock.on('data', (d) => {\n    const cmd = d.toString().trim();\n    switch (cmd) {\n      case 'PING': sock.write('PONG'); break;\n    }\n  });\n});",
      errors: [{ line: 4, column: 3, messageId: 'parsedPerChunk' }],
    },
    {
      name: 'length prefix read from every chunk in a named handler',
      code: "import tls from 'tls';\nconst s = tls.connect(443, 'h');\nfunction onData(buf: Buffer) {\n  const len = buf.readUInt32BE(0);\n  dispatch(buf.subarray(4, 4 + len));\n}\ns.on('data', onData);",
      errors: [{ line: 7, column: 1, messageId: 'parsedPerChunk' }],
    },
    {
      name: 'request line matched in each chunk',
      filename: 'a.js',
      code: "const net = require('net');\nconst remote = net.connect({ host: 'tunnel', port: 4000 });\nremote.on('data', data => {\n  const match = data.toString().match(/^(\\w+) (\\S+)/);\n  if (match) emit('request', match[2]);\n});",
      errors: [{ line: 3, column: 1, messageId: 'parsedPerChunk' }],
    },
  ],
});
