import { ruleTester } from './ruleTester';

ruleTester('broker-connection-per-message', {
  valid: [
    {
      name: 'kafkajs producer connected once, publish reuses it',
      code: "import { Kafka } from 'kafkajs';\nconst kafka = new Kafka({ brokers: ['k:9092'] });\nconst producer = kafka.producer();\nawait producer.connect();\nexport const publish = (topic: string, v: unknown) => producer.send({ topic, messages: [{ value: JSON.stringify(v) }] });\nprocess.on('SIGTERM', () => producer.disconnect());",
    },
    {
      name: 'one-shot CLI script in an async IIFE (amqplib tutorial)',
      code: "const amqp = require('amqplib');\n(async () => {\n  let connection;\n  try {\n    connection = await amqp.connect('amqp://localhost');\n    const channel = await connection.createChannel();\n    channel.sendToQueue('hello', Buffer.from('Hello World!'));\n    await channel.close();\n  } finally {\n    if (connection) await connection.close();\n  }\n})();",
      filename: 'send.js',
    },
    {
      name: 'script whose helper runs once from the top level',
      code: "import { Kafka } from 'kafkajs';\nconst producer = new Kafka({ brokers: ['k:9092'] }).producer();\nasync function seed() {\n  await producer.connect();\n  await producer.send({ topic: 't', messages: [{ value: 'x' }] });\n  await producer.disconnect();\n}\nseed();",
    },
    {
      name: 'connect without disconnect in the publishing function',
      code: "import { Kafka } from 'kafkajs';\nconst producer = new Kafka({ brokers: ['k:9092'] }).producer();\nlet connected = false;\nexport async function publish(m: string) {\n  if (!connected) { await producer.connect(); connected = true; }\n  await producer.send({ topic: 't', messages: [{ value: m }] });\n}",
    },
    {
      name: 'consumer connection kept open',
      code: "const amqp = require('amqplib');\nasync function startWorker() {\n  const conn = await amqp.connect(process.env.AMQP_URL);\n  const ch = await conn.createChannel();\n  await ch.consume('jobs', handle);\n  process.once('SIGINT', () => conn.close());\n}\nmodule.exports = { startWorker };",
      filename: 'worker.js',
    },
    {
      name: 'test files',
      code: "import { Kafka } from 'kafkajs';\nconst producer = new Kafka({ brokers: ['k:9092'] }).producer();\nexport async function send(m) { await producer.connect(); await producer.send({ topic: 't', messages: [m] }); await producer.disconnect(); }",
      filename: 'src/kafka.spec.ts',
    },
  ],
  invalid: [
    {
      name: 'kafkajs connect/send/disconnect per publish (the rules.md example)',
      code: "import { Kafka } from 'kafkajs';\nconst producer = new Kafka({ brokers: ['k:9092'] }).producer();\nexport async function publish(topic: string, v: unknown) {\n  await producer.connect(); await producer.send({ topic, messages: [{ value: JSON.stringify(v) }] });\n  await producer.disconnect();\n}",
      errors: [{ line: 4, column: 9, endColumn: 25, messageId: 'kafka', severity: 'warning', related: 2 }],
      output: null,
    },
    {
      name: 'producer made per request in an Express route',
      code: "const { Kafka } = require('kafkajs');\nconst kafka = new Kafka({ clientId: 'api', brokers: ['k:9092'] });\napp.post('/events', async (req, res) => {\n  const producer = kafka.producer();\n  await producer.connect();\n  await producer.send({ topic: 'events', messages: [{ value: JSON.stringify(req.body) }] });\n  await producer.disconnect();\n  res.sendStatus(202);\n});",
      filename: 'routes.js',
      errors: [{ line: 5, column: 9, messageId: 'kafka', message: /≈200 ms at 50 ms RTT/ }],
      output: null,
    },
    {
      name: 'amqplib connection per message (promise API)',
      code: "import amqp from 'amqplib';\nexport async function notify(queue: string, body: object) {\n  const conn = await amqp.connect(process.env.AMQP_URL!);\n  try {\n    const ch = await conn.createChannel();\n    ch.sendToQueue(queue, Buffer.from(JSON.stringify(body)));\n    await ch.close();\n  } finally {\n    await conn.close();\n  }\n}",
      errors: [{ line: 3, column: 22, messageId: 'amqp', related: 2 }],
      output: null,
    },
    {
      name: 'amqplib callback API per message',
      code: "var amqp = require('amqplib/callback_api');\nfunction publish(msg) {\n  amqp.connect('amqp://mq', function (err, conn) {\n    if (err) return console.error(err);\n    conn.createChannel(function (err, ch) {\n      ch.publish('logs', '', Buffer.from(msg));\n      setTimeout(function () { conn.close(); }, 500);\n    });\n  });\n}\nmodule.exports = publish;",
      filename: 'publish.js',
      errors: [{ line: 3, column: 3, messageId: 'amqp' }],
      output: null,
    },
  ],
});
