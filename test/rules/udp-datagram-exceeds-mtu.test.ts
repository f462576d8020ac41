import { ruleTester } from './ruleTester';

ruleTester('udp-datagram-exceeds-mtu', {
  valid: [
    {
      name: 'size checked before sending (rules.md correct example)',
      code: "import dgram from 'dgram';\nconst sock = dgram.createSocket('udp4');\nexport function publish(delta: object, port: number, host: string) {\n  const buf = Buffer.from(JSON.stringify(delta));\n  if (buf.length > 1200) throw new Error('split into chunks or use TCP');\n  sock.send(buf, port, host);\n}",
    },
    {
      name: 'loopback peer (64 KiB MTU)',
      code: "import dgram from 'dgram';\nconst sock = dgram.createSocket('udp4');\nsock.send(JSON.stringify(state), 9999, '127.0.0.1');",
    },
    {
      name: 'no address: localhost',
      code: "import dgram from 'dgram';\nconst sock = dgram.createSocket('udp4');\nsock.send(JSON.stringify(state), 9999);",
    },
    {
      name: 'chunks sent in a loop',
      filename: 'a.js',
      code: "const dgram = require('dgram');\nconst client = dgram.createSocket('udp4');\nfunction send(message, port, host) {\n  const chunks = split(JSON.stringify(message), 1388);\n  for (const chunk of chunks) {\n    const packet = Buffer.from(chunk);\n    client.send(packet, 0, packet.length, port, host);\n  }\n}",
    },
    {
      name: 'one short metric line',
      filename: 'a.js',
      code: "const dgram = require('dgram');\nconst socket = dgram.createSocket('udp4');\nfunction timing(stat, ms, host) {\n  const message = 'app.' + stat + ':' + ms + '|ms';\n  const buf = Buffer.from(message);\n  socket.send(buf, 0, buf.length, 8125, host);\n}",
    },
    {
      name: 'a buffer handed in by the caller',
      code: "import dgram from 'dgram';\nconst socket = dgram.createSocket('udp4');\nexport const transport = { send(buf: Buffer, host: string) { socket.send(buf, 0, buf.length, 8125, host); } };",
    },
  ],
  invalid: [
    {
      name: 'a whole JSON state per datagram (TS, import; rules.md incorrect example)',
      code: "import dgram from 'dgram';\nconst sock = dgram.createSocket('udp4');\nexport function broadcast(worldState: object, port: number, host: string) {\n  sock.send(JSON.stringify(worldState), port, host);\n}",
      errors: [{ line: 4, column: 8, messageId: 'unbounded', severity: 'warning', related: 1 }],
      output: null,
    },
    {
      name: 'received datagrams relayed unchanged (JS, require)',
      filename: 'relay.js',
      code: "const dgram = require('dgram');\nconst inbound = dgram.createSocket('udp4');\nconst out = dgram.createSocket('udp4');\ninbound.on('message', (msg, rinfo) => {\n  for (const t of targets) out.send(msg, t.port, t.host);\n});",
      errors: [{ line: 5, column: 32, messageId: 'unbounded' }],
    },
    {
      name: 'a 4 KiB buffer',
      code: "import dgram from 'dgram';\nconst s = dgram.createSocket('udp6');\nconst frame = Buffer.alloc(4096);\ns.send(frame, 5000, 'collector.internal');",
      errors: [{ line: 4, column: 3, messageId: 'oversized', message: /4096 B/ }],
    },
    {
      name: 'a formatted log line through a transport the file cannot type',
      filename: 'a.js',
      code: "const net = require('net');\nClient.prototype.log = function (message, options) {\n  var fm = this.buildFormattedMessage(message, options);\n  var me = this;\n  this.getTransport(function (err, transport) {\n    transport.send(fm, 0, fm.length, me.port, me.target, done);\n  });\n};",
      errors: [{ line: 6, column: 15, messageId: 'unbounded' }],
    },
  ],
});
