import { ruleTester } from './ruleTester';

ruleTester('network-error-unhandled', {
  valid: [
    {
      name: 'accepted socket with an error listener',
      code: "import net from 'node:net';\nnet.createServer((sock) => {\n  sock.on('error', (e) => log.warn(e.code));\n  sock.on('data', onData);\n}).listen(7000);",
    },
    {
      name: 'http.Server connection sockets are guarded by the server (clientError)',
      code: "import http from 'http';\nconst server = http.createServer(app);\nserver.on('connection', (socket) => {\n  socket.setKeepAlive(true);\n});",
    },
    {
      name: 'socket returned to the caller, who attaches listeners',
      filename: 'a.js',
      code: "const net = require('net');\nexports.open = function (port, host) {\n  return net.connect(port, host);\n};",
    },
    {
      name: 'short-lived pg client ended in finally',
      code: "import { Client } from 'pg';\nexport async function createDb(name: string) {\n  const client = new Client();\n  try {\n    await client.connect();\n    await client.query(`CREATE DATABASE ${name}`);\n  } finally {\n    await client.end();\n  }\n}",
    },
    {
      name: 'error listener chained on the request',
      filename: 'a.js',
      code: "const https = require('https');\nhttps.get('https://api.example.com/x', (res) => res.resume()).on('error', (e) => console.error(e));",
    },
    {
      name: 'error listener added through a variable alias and once',
      code: "import tls from 'tls';\nconst s = tls.connect({ host: 'db.internal', port: 5432 });\nconst conn = s;\nconn.once('error', reject);",
    },
    {
      name: 'awaited fetch inside try/catch in a top-level async function',
      code: "(async () => {\n  try {\n    const r = await fetch('https://api.example.com/x');\n    console.log(await r.json());\n  } catch (e) {\n    console.error(e);\n  }\n})();",
    },
    {
      name: 'floating promise with .catch',
      code: "fetch('https://api.example.com/x').then((r) => r.json()).then(use).catch(report);",
    },
    {
      name: 'async Express handler without try/catch (framework modelling, not reported)',
      code: "import express from 'express';\nimport axios from 'axios';\nconst app = express();\napp.get('/x', async (req, res) => {\n  const r = await axios.get('https://api.example.com/x', { timeout: 5000 });\n  res.json(r.data);\n});",
    },
    {
      name: 'socket handed to stream.pipeline, which handles its errors',
      code: "import net from 'net';\nimport { pipeline } from 'stream';\nnet.createServer((sock) => {\n  pipeline(sock, transform, sock, (err) => { if (err) log(err); });\n}).listen(9000);",
    },
    {
      name: 'helper in the same file attaches the listener',
      filename: 'a.js',
      code: "const dgram = require('dgram');\nfunction guard(socket) {\n  socket.on('error', (err) => debug(err));\n}\nconst sock = dgram.createSocket('udp4');\nguard(sock);\nsock.send('x', 8125, 'statsd.internal');",
    },
    {
      name: 'connection handed to a handler in another module',
      code: "import { WebSocketServer } from 'ws';\nimport { handle } from './handle';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => handle(ws));",
    },
    {
      name: 'ioredis logs unhandled errors instead of throwing',
      code: "import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL);\nredis.set('a', 'b');",
    },
    {
      name: 'test code',
      filename: 'test/server.test.ts',
      code: "import net from 'node:net';\nnet.createServer((sock) => sock.pipe(sock)).listen(7000);",
    },
    {
      name: 'a listener that removes itself keeps the rest guarded',
      code: "import net from 'net';\nconst sock = net.connect(80, 'a.example.com');\nfunction onError(e: Error) {\n  sock.removeListener('error', onError);\n  retry(e);\n}\nsock.on('error', onError);",
    },
    {
      name: 'connect helper: the listener comes off once the caller receives the socket',
      code: "import net from 'net';\nexport function connect(port: number, host: string) {\n  return new Promise((resolve, reject) => {\n    const socket = net.connect(port, host);\n    const onError = (err: Error) => reject(err);\n    socket.once('error', onError);\n    socket.once('connect', () => {\n      socket.removeListener('error', onError);\n      resolve(socket);\n    });\n  });\n}",
    },
    {
      name: 'instance field of a class whose base (out of sight) manages it',
      filename: 'a.js',
      code: "const tls = require('tls');\nconst API = require('./api');\nfunction Client(url, options) {\n  this._stream = tls.connect(443, url);\n  API.call(this, options);\n}",
    },
    {
      name: 'top-level script: a rejection ends the script, as its failure should',
      code: "const res = fetch('https://api.example.com/x').then((r) => r.json()).then(print);\n(async () => {\n  await fetch('https://api.example.com/y');\n})();",
    },
    {
      name: 'browser component: an unhandled rejection is only logged',
      filename: 'Profile.tsx',
      code: "import { useEffect } from 'react';\nexport function Profile() {\n  useEffect(() => { fetch('/api/me').then((r) => r.json()).then(setMe); }, []);\n  return null;\n}",
    },
    {
      name: 'WebSocket client with onerror',
      code: "import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed.example.com');\nws.onerror = (e) => console.error(e);\nws.on('message', handle);",
    },
  ],
  invalid: [
    {
      name: 'accepted socket with no error listener (TS, import)',
      code: "import net from 'node:net';\nnet.createServer((sock) => {\n  sock.on('data', onData);\n}).listen(7000);",
      errors: [{ line: 2, column: 19, endColumn: 23, messageId: 'accepted', severity: 'warning', related: 1 }],
      output: "import net from 'node:net';\nnet.createServer((sock) => {\n  sock.on('error', (err) => console.error('socket error:', err.message));\n  sock.on('data', onData);\n}).listen(7000);",
    },
    {
      name: 'client request with no error listener (JS, require)',
      filename: 'a.js',
      code: "const http = require('http');\nfunction ping(url) {\n  const req = http.request(url, (res) => res.resume());\n  req.end();\n}",
      errors: [{ line: 3, column: 15, messageId: 'request' }],
      output: "const http = require('http');\nfunction ping(url) {\n  const req = http.request(url, (res) => res.resume());\n  req.on('error', (err) => console.error('request error:', err.message));\n  req.end();\n}",
    },
    {
      name: 'request statement: the listener is chained',
      code: "import https from 'https';\nhttps.get('https://api.example.com/health', (res) => res.resume());",
      errors: [{ line: 2, column: 1, messageId: 'request' }],
      output: "import https from 'https';\nhttps.get('https://api.example.com/health', (res) => res.resume()).on('error', (err) => console.error('request error:', err.message));",
    },
    {
      name: 'module-scope pg pool without an error listener',
      code: "import { Pool } from 'pg';\nconst pool = new Pool({ connectionTimeoutMillis: 5000 });\nexport function query(sql: string) {\n  return pool.query(sql);\n}",
      errors: [{ line: 2, column: 14, messageId: 'pool' }],
      output: "import { Pool } from 'pg';\nconst pool = new Pool({ connectionTimeoutMillis: 5000 });\npool.on('error', (err) => console.error('idle client error:', err.message));\nexport function query(sql: string) {\n  return pool.query(sql);\n}",
    },
    {
      name: 'the only error listener is removed once connected',
      filename: 'a.js',
      code: "const net = require('net');\nconst client = net.connect(2003, 'graphite');\nfunction onConnectError(err) { console.error('cannot connect', err.message); }\nclient.on('connect', () => {\n  client.removeListener('error', onConnectError);\n});\nclient.on('error', onConnectError);\nexports.send = (line) => client.write(line);",
      errors: [{ line: 2, column: 16, messageId: 'removed' }],
    },
    {
      name: 'fire-and-forget webhook call without catch in a function',
      code: "export function notify(event: object) {\n  fetch('https://hooks.example.com/x', { method: 'POST', body: JSON.stringify(event) }).then((r) => r.text());\n}",
      errors: [{ line: 2, column: 3, messageId: 'promise' }],
      output: null,
    },
    {
      name: 'await in an async IIFE with no try/catch, and a long-lived amqp connection',
      filename: 'worker.js',
      code: "const amqp = require('amqplib');\n(async () => {\n  const conn = await amqp.connect('amqp://mq.internal');\n  const ch = await conn.createChannel();\n  await ch.consume('jobs', work);\n  process.once('SIGINT', () => conn.close());\n})();",
      errors: [
        { line: 3, column: 22, messageId: 'broker' },
      ],
    },
    {
      name: 'fire-and-forget call of a helper that awaits fetch, inside a request handler',
      code: "import express from 'express';\nconst app = express();\nasync function audit(event: object) {\n  await fetch('https://audit.example.com', { method: 'POST', body: JSON.stringify(event), signal: AbortSignal.timeout(2000) });\n}\napp.post('/orders', (req, res) => {\n  audit({ order: req.body });\n  res.sendStatus(201);\n});",
      errors: [{ line: 7, column: 3, endColumn: 8, messageId: 'promise', message: /^`?audit\(\)/ }],
    },
    {
      name: 'fire-and-forget call of a helper held in a variable through parentheses and a type assertion',
      code: "import express from 'express';\nconst app = express();\nconst notify = (async (event: object) => {\n  await fetch('https://hooks.example.com', { method: 'POST', body: JSON.stringify(event), signal: AbortSignal.timeout(2000) });\n}) as (event: object) => Promise<void>;\napp.post('/orders', (req, res) => {\n  notify({ order: req.body });\n  res.sendStatus(201);\n});",
      errors: [{ line: 7, column: 3, endColumn: 9, messageId: 'promise', message: /^`?notify\(\)/ }],
    },
    {
      name: 'async timer callback awaiting axios with no try/catch',
      code: "import axios from 'axios';\nsetInterval(async () => {\n  await axios.post('https://metrics.example.com/push', snapshot(), { timeout: 2000 });\n}, 10_000);",
      errors: [{ line: 3, column: 9, messageId: 'promise' }],
    },
    {
      name: 'ws server connection handled by a named function',
      code: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nfunction onConnection(ws) {\n  ws.on('message', (m) => ws.send(m));\n}\nwss.on('connection', onConnection);",
      errors: [{ line: 3, column: 23, messageId: 'websocket', related: 1 }],
      output: "import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\nfunction onConnection(ws) {\n  ws.on('error', (err) => console.error('socket error:', err.message));\n  ws.on('message', (m) => ws.send(m));\n}\nwss.on('connection', onConnection);",
    },
    {
      name: 'upgrade socket written to directly',
      code: "import http from 'http';\nconst server = http.createServer(app);\nserver.on('upgrade', (req, socket) => {\n  socket.write('HTTP/1.1 101 Switching Protocols\\r\\n\\r\\n');\n});",
      errors: [{ line: 3, column: 28, messageId: 'accepted' }],
    },
    {
      name: 'dgram socket kept on the instance of a prototype-style client',
      filename: 'statsd.js',
      code: "var dgram = require('dgram');\nvar Client = function (host) {\n  this.host = host;\n  this.socket = dgram.createSocket('udp4');\n};\nClient.prototype.send = function (buf) {\n  this.socket.send(buf, 0, buf.length, 8125, this.host);\n};",
      errors: [{ line: 4, column: 17, messageId: 'datagram' }],
      output: "var dgram = require('dgram');\nvar Client = function (host) {\n  this.host = host;\n  this.socket = dgram.createSocket('udp4');\n  this.socket.on('error', (err) => console.error('socket error:', err.message));\n};\nClient.prototype.send = function (buf) {\n  this.socket.send(buf, 0, buf.length, 8125, this.host);\n};",
    },
    {
      name: 'socket created with new net.Socket() and connected later',
      code: "import * as net from 'net';\nconst sock = new net.Socket();\nsock.connect(6379, 'cache.internal');\nsock.on('data', onReply);",
      errors: [{ line: 2, column: 14, endColumn: 28, messageId: 'client' }],
    },
  ],
});
