import { ruleTester } from './ruleTester';

ruleTester('long-lived-connection-without-liveness', {
  valid: [
    {
      name: 'ws server with the README heartbeat',
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  ws.isAlive = true;\n  ws.on('pong', () => { ws.isAlive = true; });\n});\nsetInterval(() => wss.clients.forEach((ws) => { if (!ws.isAlive) return ws.terminate(); ws.isAlive = false; ws.ping(); }), 30000);",
    },
    {
      name: 'application-level ping from a timer in the connection handler',
      code: "const { WebSocketServer } = require('ws');\nconst wss = new WebSocketServer({ server });\nwss.on('connection', (ws) => {\n  const heartbeat = setInterval(() => {\n    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ping' }));\n  }, 30000);\n  ws.on('close', () => clearInterval(heartbeat));\n});",
      filename: 'server.js',
    },
    {
      name: 'stats broadcast to every client every few seconds',
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nfunction broadcast(msg: string) { wss.clients.forEach((c) => c.send(msg)); }\nsetInterval(() => broadcast(JSON.stringify(stats())), 5000);\nwss.on('connection', (ws) => ws.send('hello'));",
    },
    {
      name: 'loopback-only server (an editor bridge)',
      code: "import { createServer } from 'node:http';\nimport { WebSocketServer } from 'ws';\nconst http = createServer();\nconst wss = new WebSocketServer({ server: http });\nwss.on('connection', (ws) => { ws.on('message', (m) => handle(m)); });\nhttp.listen(0, '127.0.0.1');",
    },
    {
      name: 'ws connection handed to an imported setup function (y-websocket)',
      code: "const WebSocket = require('ws');\nconst wss = new WebSocket.Server({ noServer: true });\nconst setupWSConnection = require('./utils.js').setupWSConnection;\nwss.on('connection', setupWSConnection);",
      filename: 'server.js',
    },
    {
      name: 'ws socket wrapped in an object from elsewhere',
      code: "import { WebSocketServer } from 'ws';\nimport { Peer } from './peer';\nconst wss = new WebSocketServer({ port: 9000 });\nwss.on('connection', (socket) => { new Peer(socket).start(); });",
    },
    {
      name: 'ws server whose connections are handled in another file',
      code: "import { WebSocketServer } from 'ws';\nexport const wss = new WebSocketServer({ noServer: true });",
    },
    {
      name: 'pg pool that keeps idle connections but enables TCP keepalive',
      code: "import { Pool } from 'pg';\nexport const pool = new Pool({ idleTimeoutMillis: 0, keepAlive: true, keepAliveInitialDelayMillis: 10000 });",
    },
    {
      name: 'pg pool with the default 10 s idle timeout',
      code: "import { Pool } from 'pg';\nexport const pool = new Pool({ max: 10, idleTimeoutMillis: 30000 });",
    },
    {
      name: 'pg client ended after use',
      code: "const { Client } = require('pg');\nconst client = new Client();\nasync function main() { await client.connect(); await client.query('select 1'); await client.end(); }\nmain();",
      filename: 'a.js',
    },
    {
      name: 'persistent socket with setKeepAlive (hot-shots)',
      code: "const net = require('net');\nclass Transport { constructor(args) { this.socket = net.connect(args.port, args.host); this.socket.setKeepAlive(true); } }",
      filename: 'a.js',
    },
    {
      name: 'short-lived socket: connect, write, end',
      code: "import net from 'node:net';\nexport function send(line: string) {\n  const s = net.connect(2003, 'graphite');\n  s.on('connect', () => { s.write(line); s.end(); });\n}",
    },
    {
      name: 'stored socket with an idle timeout',
      code: "import net from 'net';\nclass Syslog { open() { const t = net.createConnection({ host: 'log', port: 514 }); t.setTimeout(10000, () => t.destroy()); this.transport = t; } }",
    },
    {
      name: 'test files',
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 0 });\nwss.on('connection', (ws) => ws.send('hi'));",
      filename: 'test/ws.test.ts',
    },
  ],
  invalid: [
    {
      name: 'ws server without ping/pong: heartbeat fix (TypeScript)',
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => {\n  ws.on('message', (data) => ws.send(data));\n});",
      errors: [{ line: 2, column: 13, endColumn: 32, messageId: 'wsServer', severity: 'warning', related: 1 }],
      output:
        "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\n// Ping every 30 s; a socket that did not answer the previous ping is gone (dead peer or dropped NAT entry).\nconst alive = new WeakSet<object>();\nconst heartbeat = setInterval(() => {\n  wss.clients.forEach((client) => {\n    if (!alive.delete(client)) return client.terminate();\n    client.ping();\n  });\n}, 30_000);\nwss.on('close', () => clearInterval(heartbeat));\nwss.on('connection', (ws) => {\n  alive.add(ws);\n  ws.on('pong', () => alive.add(ws));\n  ws.on('message', (data) => ws.send(data));\n});",
    },
    {
      name: 'chat server keeping clients in a Set (require, no semicolons)',
      code: "const WebSocket = require('ws')\nconst server = new WebSocket.Server({ server: httpServer })\nconst clients = new Set()\nserver.on('connection', function (socket) {\n  clients.add(socket)\n  socket.on('close', () => clients.delete(socket))\n})",
      filename: 'chat.js',
      errors: [{ line: 2, column: 16, messageId: 'wsServer' }],
      output:
        "const WebSocket = require('ws')\nconst server = new WebSocket.Server({ server: httpServer })\n// Ping every 30 s; a socket that did not answer the previous ping is gone (dead peer or dropped NAT entry).\nconst alive = new WeakSet()\nconst heartbeat = setInterval(() => {\n  server.clients.forEach((client) => {\n    if (!alive.delete(client)) return client.terminate()\n    client.ping()\n  })\n}, 30_000)\nserver.on('close', () => clearInterval(heartbeat))\nconst clients = new Set()\nserver.on('connection', function (socket) {\n  alive.add(socket)\n  socket.on('pong', () => alive.add(socket))\n  clients.add(socket)\n  socket.on('close', () => clients.delete(socket))\n})",
    },
    {
      name: 'connection handler in a local function',
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nfunction onConnection(ws) { ws.on('message', (m) => broadcast(m)); }\nwss.on('connection', onConnection);",
      errors: [{ line: 2, column: 13, messageId: 'wsServer' }],
      output:
        "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\n// Ping every 30 s; a socket that did not answer the previous ping is gone (dead peer or dropped NAT entry).\nconst alive = new WeakSet<object>();\nconst heartbeat = setInterval(() => {\n  wss.clients.forEach((client) => {\n    if (!alive.delete(client)) return client.terminate();\n    client.ping();\n  });\n}, 30_000);\nwss.on('close', () => clearInterval(heartbeat));\nfunction onConnection(ws) {\n  alive.add(ws);\n  ws.on('pong', () => alive.add(ws));\n  ws.on('message', (m) => broadcast(m)); }\nwss.on('connection', onConnection);",
    },
    {
      name: 'pg pool that keeps idle connections forever',
      code: "import pg from 'pg';\nexport const pool = new pg.Pool({ idleTimeoutMillis: 0, max: 5 });",
      errors: [{ line: 2, column: 21, messageId: 'pgPool', message: /forever/ }],
      output: "import pg from 'pg';\nexport const pool = new pg.Pool({ idleTimeoutMillis: 0, max: 5, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });",
    },
    {
      name: 'module-level LISTEN client without keepalive',
      code: "const { Client } = require('pg');\nconst listener = new Client({ connectionString: process.env.DATABASE_URL, keepAlive: false });\nlistener.connect();\nlistener.query('LISTEN jobs');\nlistener.on('notification', (n) => run(n.payload));",
      filename: 'worker.js',
      errors: [{ line: 2, column: 18, messageId: 'pgClient' }],
      output: "const { Client } = require('pg');\nconst listener = new Client({ connectionString: process.env.DATABASE_URL, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });\nlistener.connect();\nlistener.query('LISTEN jobs');\nlistener.on('notification', (n) => run(n.payload));",
    },
    {
      name: 'pooled raw TCP connections from a generic-pool factory (statsd)',
      code: "var net = require('net');\nvar Pool = require('generic-pool').Pool;\nfunction createPool(server) {\n  return Pool({\n    create: function (cb) {\n      var client = net.connect(server.port, server.host);\n      client.on('connect', function () { cb(null, client); });\n    },\n    destroy: function (client) { client.end(); },\n    max: 5\n  });\n}",
      filename: 'repeater.js',
      errors: [{ line: 6, column: 20, messageId: 'socket' }],
      output: "var net = require('net');\nvar Pool = require('generic-pool').Pool;\nfunction createPool(server) {\n  return Pool({\n    create: function (cb) {\n      var client = net.connect(server.port, server.host);\n      client.setKeepAlive(true, 10_000);\n      client.on('connect', function () { cb(null, client); });\n    },\n    destroy: function (client) { client.end(); },\n    max: 5\n  });\n}",
    },
    {
      name: 'TLS socket kept on the instance',
      code: "import tls from 'node:tls';\nexport class Feed {\n  socket?: tls.TLSSocket;\n  open() {\n    this.socket = tls.connect({ host: 'feed.example.com', port: 443 });\n    this.socket.on('data', (d) => this.emit(d));\n  }\n}",
      errors: [{ line: 5, column: 19, messageId: 'socket', message: /tls\.connect/ }],
      output: null,
    },
  ],
});
