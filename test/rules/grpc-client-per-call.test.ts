import { ruleTester } from './ruleTester';

const LOAD = "import * as grpc from '@grpc/grpc-js';\nconst pkg = grpc.loadPackageDefinition(def) as any;\n";

ruleTester('grpc-client-per-call', {
  valid: [
    {
      name: 'one client at module scope',
      code: `${LOAD}const users = new pkg.users.UserService('users:50051', grpc.credentials.createSsl());\nexport function getUser(id: string, cb: any) { users.getUser({ id }, { deadline: Date.now() + 2000 }, cb); }`,
    },
    {
      name: 'memoised factory',
      code: `${LOAD}const clients = new Map<string, any>();\nexport function clientFor(addr: string) {\n  let c = clients.get(addr);\n  if (!c) { c = new pkg.users.UserService(addr, grpc.credentials.createInsecure()); clients.set(addr, c); }\n  return c;\n}`,
    },
    {
      name: 'lazily created on first use',
      code: `${LOAD}let client: any;\napp.get('/u', (req, res) => {\n  client ??= new pkg.users.UserService('users:50051', grpc.credentials.createInsecure());\n  client.getUser({ id: req.query.id }, (e: any, u: any) => res.json(u));\n});`,
    },
    {
      name: 'factory returning the client to its caller',
      code: "const grpc = require('@grpc/grpc-js');\nconst { UsersClient } = require('./gen/users_grpc_pb');\nfunction makeClient(addr) { return new UsersClient(addr, grpc.credentials.createInsecure()); }\nmodule.exports = { makeClient };",
      filename: 'client.js',
    },
    {
      name: 'client built once per service wrapper instance',
      code: `${LOAD}export class Users {\n  private client: any;\n  constructor(addr: string) { this.client = new pkg.users.UserService(addr, grpc.credentials.createInsecure()); }\n  get(id: string) { return new Promise((ok) => this.client.getUser({ id }, (e: any, u: any) => ok(u))); }\n}`,
    },
    {
      name: 'a constructor that is not a gRPC client',
      code: "import { Thing } from './thing';\nexport function f(a: string, b: string) { return new Thing(a, b).run(); }",
    },
    {
      name: 'test files',
      code: `${LOAD}export function f() { new pkg.users.UserService('x', grpc.credentials.createInsecure()).getUser({}, () => {}); }`,
      filename: 'users.test.ts',
    },
  ],
  invalid: [
    {
      name: 'generated client made and dropped in a plain function (the rules.md example)',
      code: "import { credentials } from '@grpc/grpc-js';\nimport { UsersClient } from './gen/users_grpc_pb';\nexport function getUser(id: string, cb: any) { return new UsersClient(addr, credentials.createInsecure()).getUser({ id }, cb); }",
      errors: [{ line: 3, column: 55, endColumn: 70, messageId: 'perCall', severity: 'warning', related: 1 }],
      output: null,
    },
    {
      name: 'loaded service client per request (require)',
      code: "const grpc = require('@grpc/grpc-js');\nconst proto = grpc.loadPackageDefinition(def);\napp.get('/users/:id', (req, res) => {\n  const client = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());\n  client.getUser({ id: req.params.id }, (err, user) => res.json(user));\n});",
      filename: 'routes.js',
      errors: [{ line: 4, column: 18, messageId: 'perRequest', message: /≈100–200 ms at 50 ms RTT/ }],
      output: null,
    },
    {
      name: 'client per loop iteration',
      code: `${LOAD}export async function ping(addrs: string[]) {\n  for (const a of addrs) {\n    const c = new pkg.health.Health(a, grpc.credentials.createInsecure());\n    c.check({}, () => {});\n  }\n}`,
      errors: [{ line: 5, column: 15, messageId: 'perRequest' }],
      output: null,
    },
    {
      name: 'credentials from a variable, client used then closed',
      code: "import * as grpc from '@grpc/grpc-js';\nimport { OrdersClient } from './gen/orders';\nconst creds = grpc.credentials.createSsl();\nexport async function place(order: object) {\n  const client = new OrdersClient('orders:443', creds);\n  try { return await new Promise((ok) => client.place(order, ok)); } finally { client.close(); }\n}",
      errors: [{ line: 5, column: 18, messageId: 'perCall' }],
      output: null,
    },
  ],
});
