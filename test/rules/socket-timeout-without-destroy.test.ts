import { ruleTester } from './ruleTester';

ruleTester('socket-timeout-without-destroy', {
  valid: [
    {
      name: 'handler destroys the socket',
      code: "import net from 'net';\nconst sock = net.connect(6379, 'cache');\nsock.setTimeout(10_000, () => sock.destroy(new Error('idle timeout')));",
    },
    {
      name: 'request timeout aborts the request (JS, require)',
      filename: 'a.js',
      code: "const https = require('https');\nconst req = https.request('https://api.example.com/x');\nreq.setTimeout(5000, function () {\n  reject(new Error('timed out'));\n  req.abort();\n});\nreq.on('error', reject);",
    },
    {
      name: "escalates to the socket's own 'error' listener, which destroys it",
      filename: 'a.js',
      code: "const net = require('net');\nconst client = net.connect(12201, 'graylog');\nclient.setTimeout(10000, function () {\n  client.emit('error', new Error('Timeout'));\n});\nclient.once('error', function (err) {\n  client.destroy();\n  cb(err);\n});",
    },
    {
      name: 'delegates to a helper in this file that destroys',
      code: "import net from 'net';\nconst sock = net.connect(80, 'h');\nfunction onIdle() { log('idle'); sock.end(); }\nsock.on('timeout', onIdle);\nsock.setTimeout(30_000);",
    },
    {
      name: 'delegates to a method out of sight whose name says it closes',
      code: "import net from 'net';\nclass Conn {\n  sock = net.connect(80, 'h');\n  start() { this.sock.setTimeout(1000, () => this.handleTimeout()); }\n}",
    },
    {
      name: 'server.setTimeout without a callback keeps the default destroy',
      code: "import http from 'http';\nconst server = http.createServer(app);\nserver.setTimeout(30_000);",
    },
    {
      name: "a server 'timeout' handler that ends the socket",
      code: "import http from 'http';\nconst server = http.createServer(app);\nserver.on('timeout', (socket) => {\n  log('timeout');\n  socket.end('HTTP/1.1 408 Request Timeout\\r\\n\\r\\n');\n});",
    },
    {
      name: 'setTimeout(0) turns the timer off',
      code: "import net from 'net';\nconst s = net.connect(80, 'h');\ns.setTimeout(0);",
    },
  ],
  invalid: [
    {
      name: 'server timeout callback that only logs (TS, import)',
      code: "import http from 'http';\nconst server = http.createServer(app);\nserver.setTimeout(30_000, () => log('socket timed out'));",
      errors: [{ line: 3, column: 1, messageId: 'serverHandlerKeepsSocket', severity: 'warning' }],
      output: null,
    },
    {
      name: "socket 'timeout' listener that only logs",
      code: "import net from 'net';\nconst sock = net.connect(80, 'h');\nsock.setTimeout(10_000);\nsock.on('timeout', () => log('idle'));",
      errors: [{ line: 4, column: 1, messageId: 'handlerKeepsSocket' }],
      output: "import net from 'net';\nconst sock = net.connect(80, 'h');\nsock.setTimeout(10_000);\nsock.on('timeout', () => { log('idle'); sock.destroy(); });",
    },
    {
      name: 'request timeout that rejects but leaves the request running (JS, require)',
      filename: 'a.js',
      code: "const http = require('http');\nfunction get(url) {\n  return new Promise((resolve, reject) => {\n    const req = http.get(url, resolve);\n    req.on('error', reject);\n    req.setTimeout(5000, () => {\n      reject(new Error('timeout'));\n    });\n  });\n}",
      errors: [{ line: 6, column: 5, messageId: 'handlerKeepsSocket' }],
      output: "const http = require('http');\nfunction get(url) {\n  return new Promise((resolve, reject) => {\n    const req = http.get(url, resolve);\n    req.on('error', reject);\n    req.setTimeout(5000, () => {\n      reject(new Error('timeout'));\n      req.destroy();\n    });\n  });\n}",
    },
    {
      name: 'timer armed with nobody listening',
      code: "import net from 'net';\nconst s = net.connect(5432, 'db');\ns.setTimeout(5000);\ns.on('data', onData);",
      errors: [{ line: 3, column: 1, messageId: 'nobodyListens' }],
    },
    {
      name: "the handler escalates to another object's 'error', not the socket's",
      filename: 'a.js',
      code: "var net = require('net');\nfunction Client() {}\nClient.prototype.open = function () {\n  var me = this;\n  var transport = net.createConnection({ host: 'syslog', port: 514 });\n  transport.setTimeout(this.tcpTimeout, function () {\n    me.emit('error', new Error('connection timed out'));\n  });\n};",
      errors: [{ line: 6, column: 3, messageId: 'handlerKeepsSocket' }],
      output: "var net = require('net');\nfunction Client() {}\nClient.prototype.open = function () {\n  var me = this;\n  var transport = net.createConnection({ host: 'syslog', port: 514 });\n  transport.setTimeout(this.tcpTimeout, function () {\n    me.emit('error', new Error('connection timed out'));\n    transport.destroy();\n  });\n};",
    },
  ],
});
