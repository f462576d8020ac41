import { ruleTester } from './ruleTester';

ruleTester('grpc-keepalive-too-aggressive', {
  valid: [
    {
      name: 'keepalive above the servers\' 5-minute minimum',
      code: "import * as grpc from '@grpc/grpc-js';\nconst client = new Client(addr, grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 360_000, 'grpc.keepalive_timeout_ms': 20_000 });",
    },
    {
      name: 'value from the environment (zeebe-node)',
      code: "const grpc = require('@grpc/grpc-js');\nconst opts = { 'grpc.keepalive_time_ms': process.env.GRPC_KEEPALIVE_TIME_MS ?? 360000 };",
      filename: 'a.js',
    },
    {
      name: 'server-side keepalive options',
      code: "import * as grpc from '@grpc/grpc-js';\nconst server = new grpc.Server({ 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000 });",
    },
    {
      name: 'server options in a variable',
      code: "import { Server } from '@grpc/grpc-js';\nconst options = { 'grpc.keepalive_time_ms': 30000 };\nexport const server = new Server(options);",
    },
    {
      name: 'client coordinated with a server policy in the same file',
      code: "import * as grpc from '@grpc/grpc-js';\nconst server = new grpc.Server({ 'grpc.http2.min_ping_interval_without_data_ms': 10_000, 'grpc.keepalive_permit_without_calls': 1 });\nconst client = new Client('localhost:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 15_000 });",
    },
  ],
  invalid: [
    {
      name: 'one-second keepalive with pings without calls (the rules.md example)',
      code: "import * as grpc from '@grpc/grpc-js';\nnew Client(addr, grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 1_000, 'grpc.keepalive_permit_without_calls': 1 });",
      errors: [{ line: 2, column: 55, endColumn: 86, messageId: 'tooAggressive', message: /every 1 s/, severity: 'warning' }],
      output: "import * as grpc from '@grpc/grpc-js';\nnew Client(addr, grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 360_000, 'grpc.keepalive_permit_without_calls': 1 });",
    },
    {
      name: 'channel options in a const (require)',
      code: "const grpc = require('@grpc/grpc-js');\nconst channelOptions = {\n  'grpc.keepalive_time_ms': 60 * 1000,\n  'grpc.keepalive_timeout_ms': 10000,\n};\nmodule.exports = (addr) => new grpc.Client(addr, grpc.credentials.createSsl(), channelOptions);",
      filename: 'client.js',
      errors: [{ line: 3, column: 3, messageId: 'tooAggressive', message: /every 1 min/ }],
      output: "const grpc = require('@grpc/grpc-js');\nconst channelOptions = {\n  'grpc.keepalive_time_ms': 360_000,\n  'grpc.keepalive_timeout_ms': 10000,\n};\nmodule.exports = (addr) => new grpc.Client(addr, grpc.credentials.createSsl(), channelOptions);",
    },
    {
      name: 'named constant',
      code: "import * as grpc from '@grpc/grpc-js';\nconst KEEPALIVE_MS = 20_000;\nexport const options: grpc.ChannelOptions = { 'grpc.keepalive_time_ms': KEEPALIVE_MS };",
      errors: [{ line: 3, column: 47, messageId: 'tooAggressive', message: /every 20 s/ }],
      output: "import * as grpc from '@grpc/grpc-js';\nconst KEEPALIVE_MS = 20_000;\nexport const options: grpc.ChannelOptions = { 'grpc.keepalive_time_ms': 360_000 };",
    },
  ],
});
