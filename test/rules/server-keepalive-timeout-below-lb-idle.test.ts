import { ruleTester } from './ruleTester';

ruleTester('server-keepalive-timeout-below-lb-idle', {
  valid: [
    { name: 'server timeouts above the load balancer', code: "import express from 'express';\nconst app = express();\nconst server = app.listen(3000);\nserver.keepAliveTimeout = 65_000;\nserver.headersTimeout = 66_000;" },
    { name: 'http server with keepAliveTimeout', code: "import http from 'http';\nconst server = http.createServer(handler);\nserver.keepAliveTimeout = 61 * 1000;\nserver.listen(8080);" },
    { name: 'constructed with the option', code: "import http from 'http';\nhttp.createServer({ keepAliveTimeout: 70000 }, handler).listen(8080);" },
    { name: 'value from configuration', code: "import http from 'http';\nconst server = http.createServer(handler);\nserver.keepAliveTimeout = config.keepAliveMs;\nserver.listen(8080);" },
    { name: 'Node 26 default is 65 s', code: "import express from 'express';\nexpress().listen(3000);", config: { nodeMajor: 26 } },
    { name: 'test server on loopback', code: "import http from 'http';\nhttp.createServer(handler).listen(0, '127.0.0.1');" },
    { name: 'Fastify has its own default', code: "import Fastify from 'fastify';\nawait Fastify().listen({ port: 3000 });" },
    { name: 'raw TCP server', code: "import net from 'net';\nnet.createServer((s) => s.end()).listen(7000);" },
    { name: 'upgrade-only server', code: "import http from 'http';\nconst server = http.createServer();\nserver.on('upgrade', onUpgrade);\nserver.listen(8080);" },
    { name: 'this.server with keepAliveTimeout', code: "import http from 'http';\nclass App {\n  server = http.createServer(this.handle);\n  start() {\n    this.server.keepAliveTimeout = 75_000;\n    this.server.listen(80);\n  }\n}" },
  ],
  invalid: [
    {
      name: 'express app.listen with the default',
      code: "import express from 'express';\nconst app = express();\napp.listen(3000);",
      errors: [{ line: 3, column: 1, endColumn: 11, messageId: 'default', severity: 'info', related: 1 }],
      output: "import express from 'express';\nconst app = express();\nconst server = app.listen(3000);\nserver.keepAliveTimeout = 65_000;\nserver.headersTimeout = 66_000;",
    },
    {
      name: 'kept server variable without the timeout',
      code: "import express from 'express';\nconst app = express();\nconst server = app.listen(process.env.PORT, () => console.log('up'));",
      errors: [{ line: 3, column: 16, messageId: 'default' }],
      output: "import express from 'express';\nconst app = express();\nconst server = app.listen(process.env.PORT, () => console.log('up'));\nserver.keepAliveTimeout = 65_000;\nserver.headersTimeout = 66_000;",
    },
    {
      name: 'http server listening',
      code: "const http = require('http');\nconst server = http.createServer(app);\nserver.listen(8080)",
      filename: 'server.js',
      errors: [{ line: 3, column: 1, messageId: 'default' }],
      output: "const http = require('http');\nconst server = http.createServer(app);\nserver.listen(8080)\nserver.keepAliveTimeout = 65_000\nserver.headersTimeout = 66_000",
    },
    {
      name: 'timeout set below the load balancer idle timeout',
      code: "import http from 'http';\nconst server = http.createServer(handler);\nserver.keepAliveTimeout = 30000;\nserver.listen(8080);",
      errors: [{ line: 3, column: 1, messageId: 'tooLow' }],
      output: "import http from 'http';\nconst server = http.createServer(handler);\nserver.keepAliveTimeout = 65_000;\nserver.listen(8080);",
    },
    {
      name: 'set on the Express app instead of the server',
      code: "import express from 'express';\nconst app = express();\napp.keepAliveTimeout = 65000;\napp.listen(3000);",
      errors: [{ line: 3, column: 1, messageId: 'wrongObject', related: 1 }],
    },
    {
      name: 'a configured load balancer makes it a warning and moves the threshold',
      code: "import http from 'http';\nconst server = http.createServer(handler);\nserver.keepAliveTimeout = 65000;\nserver.listen(8080);",
      config: { loadBalancerIdleTimeoutMs: 350_000, loadBalancerIdleTimeoutConfigured: true },
      errors: [{ line: 3, column: 1, messageId: 'tooLow', severity: 'warning' }],
      output: "import http from 'http';\nconst server = http.createServer(handler);\nserver.keepAliveTimeout = 355_000;\nserver.listen(8080);",
    },
    {
      name: 'Koa app.listen',
      code: "const Koa = require('koa');\nnew Koa().listen(3000);",
      filename: 'app.js',
      errors: [{ line: 2, column: 1, messageId: 'default' }],
      output: "const Koa = require('koa');\nconst server = new Koa().listen(3000);\nserver.keepAliveTimeout = 65_000;\nserver.headersTimeout = 66_000;",
    },
  ],
});
