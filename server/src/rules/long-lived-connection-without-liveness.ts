// TCP has no liveness signal of its own. A connection that sits idle through a NAT, firewall or load
// balancer can be dropped from the middlebox's table without either end hearing about it; a peer
// that loses power never sends a FIN. Both ends then hold a half-open socket: reads wait forever,
// and a write disappears into ~15 minutes of retransmissions before an error. Long-lived
// connections need a heartbeat (WebSocket ping/pong) or TCP keepalive with a short idle delay.
import ts = require('typescript');
import { localFunctionOf } from '../analysis/callGraph';
import { enclosingFunction, runFrequency } from '../analysis/context';
import { addProperty, appendArgument, enclosingStatement, indentUnit, indentationAt, insertLinesAfter } from '../analysis/edits';
import type { FileModel } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Scope } from '../analysis/scope';
import type { Fix, NetworkCall, TextEdit } from '../analysis/types';
import { someNode, walkTree } from '../analysis/walk';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isAsExpression, isBinaryExpression, isBlock, isCallExpression, isClassLike, isIdentifier, isMethodDeclaration, isNewExpression, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isShorthandPropertyAssignment, isStringLiteralLike, isVariableDeclaration, isVariableStatement } = ts;

type MessageIds = 'wsServer' | 'pgPool' | 'pgClient' | 'socket';

/** Idle connections kept longer than this outlive common middlebox idle timeouts (Azure LB 4 min, AWS NAT 350 s). */
const LONG_IDLE_MS = 240_000;
const KEEPALIVE_DELAY = '10_000';

const COLLECTION_METHODS = new Set(['add', 'set', 'push', 'unshift', 'delete', 'has', 'indexOf', 'includes', 'splice', 'get', 'log', 'info', 'warn', 'error', 'debug', 'stringify']);

function scopeAt(model: FileModel, node: ts.Node): Scope | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const s = model.facts.scopes.get(n);
    if (s) return s;
  }
  return undefined;
}

/**
 * True when the file does heartbeat work: `.ping(`, a `'pong'` listener, or a timer that sends on
 * sockets (an application-level ping, or a broadcast every few seconds: the connection is never idle
 * and a dead peer surfaces as a write error).
 */
function fileHasHeartbeat(model: FileModel): boolean {
  return model.facts.calls.some(({ node, scope }) => {
    if (!isCallExpression(node)) return false;
    const callee = unwrapExpression(node.expression);
    if (isIdentifier(callee) && callee.text === 'setInterval' && node.arguments[0]) {
      const fn = localFunctionOf(model, node.arguments[0], scope);
      return !!fn && !isClassLike(fn) && sendsOnSockets(model, fn, 0);
    }
    if (!isPropertyAccessExpression(callee)) return false;
    const m = callee.name.text;
    if (m === 'ping') return true;
    if (m === 'on' || m === 'once' || m === 'addListener' || m === 'addEventListener') {
      const ev = node.arguments[0];
      return !!ev && isStringLiteralLike(ev) && ev.text === 'pong';
    }
    return false;
  });
}

/** A timer callback that writes to sockets: `.send(`, `.ping(`, `.terminate(`, directly or through local helpers. */
function sendsOnSockets(model: FileModel, fn: ts.SignatureDeclaration, depth: number): boolean {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body || depth > 2) return false;
  return someNode(body, (n) => {
    if (!isCallExpression(n)) return false;
    const callee = unwrapExpression(n.expression);
    if (isPropertyAccessExpression(callee) && (callee.name.text === 'send' || callee.name.text === 'ping' || callee.name.text === 'terminate')) return true;
    const scope = scopeAt(model, n);
    const target = scope && localFunctionOf(model, n.expression, scope);
    return !!target && target !== fn && !isClassLike(target) && !isArrowFunction(unwrapExpression(n.expression)) && sendsOnSockets(model, target, depth + 1);
  });
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/;

/**
 * The WebSocket server only accepts loopback connections (`{ host: '127.0.0.1' }`, or an http server
 * listening on 127.0.0.1): no NAT or load balancer sits between the ends.
 */
function loopbackOnly(model: FileModel, wss: NetworkCall): boolean {
  const host = wss.options.find((o) => o.key === 'host');
  if (host?.value.kind === 'string') return LOOPBACK.test(host.value.value);
  const server = model.optionValue(wss, 'server');
  if (!server) return false;
  const origin = model.resolver.resolve(server, model.scopeOf(wss))?.origin;
  const creator = origin && model.callAt(origin);
  if (!creator) return false;
  const listens = model.calls.filter((c) => c.role === 'listen' && (c.createdBy === creator.index || c === creator));
  return listens.length > 0 && listens.every((l) => l.host !== undefined && LOOPBACK.test(l.host));
}

/**
 * Whether the socket a `'connection'` listener receives stays in code this file can see: used through
 * its own methods, kept in collections, passed to local functions (followed). Passing it to an
 * imported function or a constructor hands it to code that may run a heartbeat of its own.
 */
function socketStaysLocal(model: FileModel, fn: ts.SignatureDeclaration, index: number, depth = 0): boolean {
  const param = fn.parameters[index];
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!param || !isIdentifier(param.name) || !body || depth > 4) return !param;
  const name = param.name.text;
  const fnScope = model.facts.scopes.get(fn);
  const binding = fnScope?.bindings.get(name);
  let local = true;
  walkTree(body, (n) => {
    if (!local) return 'stop';
    if (isIdentifier(n) && n.text === name && scopeAt(model, n)?.lookup(name) === binding && n !== param.name) {
      let outer: ts.Node = n;
      while (outer.parent && (isParenthesizedExpression(outer.parent) || isAsExpression(outer.parent) || isNonNullExpression(outer.parent))) outer = outer.parent;
      const p = outer.parent;
      if (p && (isCallExpression(p) || isNewExpression(p)) && p.expression !== outer) {
        if (isNewExpression(p)) {
          local = false;
          return 'stop';
        }
        const scope = scopeAt(model, p);
        const target = scope && localFunctionOf(model, p.expression, scope);
        const argIndex = (p.arguments ?? []).indexOf(outer as ts.Expression);
        if (target && !isClassLike(target)) {
          if (!socketStaysLocal(model, target, argIndex, depth + 1)) local = false;
        } else {
          const callee = unwrapExpression(p.expression);
          const method = isPropertyAccessExpression(callee) ? callee.name.text : undefined;
          if (!method || !COLLECTION_METHODS.has(method)) local = false;
        }
      } else if (p && (isPropertyAssignment(p) || isShorthandPropertyAssignment(p))) {
        // `{ socket }` passed on to something else.
        local = false;
      }
    }
  });
  return local;
}

/** The listener of `server.on('connection', …)` on the object created at `origin`. */
function connectionListeners(model: FileModel, origin: ts.Node): Array<{ fn?: ts.SignatureDeclaration; call: ts.CallExpression }> {
  const out: Array<{ fn?: ts.SignatureDeclaration; call: ts.CallExpression }> = [];
  for (const u of model.usesOf(origin)) {
    if (u.method !== 'on' && u.method !== 'once' && u.method !== 'addListener') continue;
    const ev = u.call.arguments[0];
    if (!ev || !isStringLiteralLike(ev) || ev.text !== 'connection') continue;
    const listener = u.call.arguments[1];
    const fn = listener ? localFunctionOf(model, listener, u.scope) : undefined;
    out.push({ fn: fn && !isClassLike(fn) ? fn : undefined, call: u.call });
  }
  return out;
}

function uniqueName(scope: Scope, base: string): string {
  let name = base;
  for (let i = 2; scope.lookup(name); i++) name = `${base}${i}`;
  return name;
}

/** ws's README heartbeat: ping every 30 s, terminate sockets that did not answer the previous ping. */
function heartbeatFix(context: RuleContext<MessageIds>, server: NetworkCall, listener: ts.SignatureDeclaration | undefined): Fix[] {
  const { model, sourceFile: sf, text } = context;
  const node = model.nodeOf(server);
  const statement = enclosingStatement(node);
  if (!statement || !isVariableStatement(statement)) return [];
  const decl = statement.declarationList.declarations.find((d) => d.initializer && unwrapExpression(d.initializer) === node);
  if (!decl || !isIdentifier(decl.name)) return [];
  const body = listener && (listener as ts.FunctionLikeDeclaration).body;
  const param = listener?.parameters[0];
  if (!body || !isBlock(body) || !param || !isIdentifier(param.name)) return [];
  const scope = model.scopeOf(server);
  const wss = decl.name.text;
  const ws = param.name.text;
  const alive = uniqueName(scope, 'alive');
  const timer = uniqueName(scope, 'heartbeat');
  const isTs = /\.[cm]?tsx?$/i.test(sf.fileName);
  const semi = text.slice(statement.getStart(sf), statement.end).trimEnd().endsWith(';') ? ';' : '';
  const unit = indentUnit(text);
  const lines = [
    `// Ping every 30 s; a socket that did not answer the previous ping is gone (dead peer or dropped NAT entry).`,
    `const ${alive} = new WeakSet${isTs ? '<object>' : ''}()${semi}`,
    `const ${timer} = setInterval(() => {`,
    `${unit}${wss}.clients.forEach((client) => {`,
    `${unit}${unit}if (!${alive}.delete(client)) return client.terminate()${semi}`,
    `${unit}${unit}client.ping()${semi}`,
    `${unit}})${semi}`,
    `}, 30_000)${semi}`,
    `${wss}.on('close', () => clearInterval(${timer}))${semi}`,
  ];
  const first = body.statements[0];
  const firstOnOwnLine = first && text.slice(body.getStart(sf), first.getStart(sf)).includes('\n');
  const inner = firstOnOwnLine ? indentationAt(text, first.getStart(sf)) : indentationAt(text, body.getStart(sf)) + unit;
  const at = body.getStart(sf) + 1;
  const added = `\n${inner}${alive}.add(${ws})${semi}\n${inner}${ws}.on('pong', () => ${alive}.add(${ws}))${semi}`;
  // `{ ws.on(…); }` on one line: the existing statements move to a line of their own.
  const handlerEdit: TextEdit = first && !firstOnOwnLine ? { start: at, end: first.getStart(sf), newText: `${added}\n${inner}` } : { start: at, end: at, newText: added };
  return [{ title: 'Add a ping/pong heartbeat (every 30 s)', edits: [insertLinesAfter(statement, lines, sf), handlerEdit], preferred: true }];
}

/** No `keepAlive` option, or one set to `false`. */
function keepAliveOff(call: NetworkCall): boolean {
  return !call.options.some((o) => o.key === 'keepAlive' && !(o.value.kind === 'boolean' && !o.value.value));
}

function keepAliveFix(context: RuleContext<MessageIds>, call: NetworkCall): Fix[] {
  const { model, sourceFile: sf } = context;
  const title = `Enable TCP keepalive (\`keepAlive: true\`, first probe after ${KEEPALIVE_DELAY.replace('_', ' ')} ms idle)`;
  const existing = call.options.find((o) => o.key === 'keepAlive');
  const obj = model.optionsObject(call);
  const delay = call.options.some((o) => o.key === 'keepAliveInitialDelayMillis') ? '' : `keepAliveInitialDelayMillis: ${KEEPALIVE_DELAY}`;
  if (obj) {
    const edits: TextEdit[] = [];
    if (existing) edits.push({ start: existing.valueRange.start, end: existing.valueRange.end, newText: 'true' });
    const add = [existing ? '' : 'keepAlive: true', delay].filter(Boolean).join(', ');
    if (add) edits.push(addProperty(obj, add, sf));
    return [{ title, edits, preferred: true }];
  }
  const node = model.nodeOf(call);
  if ((node.arguments?.length ?? 0) === 0) return [{ title, edits: [appendArgument(node, `{ keepAlive: true, keepAliveInitialDelayMillis: ${KEEPALIVE_DELAY} }`)], preferred: true }];
  return [];
}

/** Where a raw socket is kept for the long run: a property (`this.socket`), module state, a pool's factory. */
type Storage = { kind: 'property'; path: string } | { kind: 'module' } | { kind: 'pool' };

function storageOf(node: ts.Node): Storage | undefined {
  let outer: ts.Node = node;
  while (outer.parent && (isParenthesizedExpression(outer.parent) || isAsExpression(outer.parent))) outer = outer.parent;
  const p = outer.parent;
  const fn = enclosingFunction(node);
  // this.socket = net.connect(…)
  if (p && isBinaryExpression(p) && p.right === outer && isPropertyAccessExpression(p.left)) return { kind: 'property', path: p.left.getText() };
  if (!fn) return { kind: 'module' };
  // const socket = net.connect(…); … this.socket = socket;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (p && isVariableDeclaration(p) && isIdentifier(p.name) && body) {
    const name = p.name.text;
    let stored: ts.PropertyAccessExpression | undefined;
    walkTree(body, (n) => {
      if (isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && isPropertyAccessExpression(n.left) && isIdentifier(unwrapExpression(n.right)) && (unwrapExpression(n.right) as ts.Identifier).text === name) {
        stored = n.left;
        return 'stop';
      }
    });
    if (stored) return { kind: 'property', path: (stored as ts.PropertyAccessExpression).getText() };
  }
  // generic-pool: `create(cb) { const c = net.connect(…); … cb(null, c) }` or `create: () => …`
  const owner = isMethodDeclaration(fn) ? fn : fn.parent && isPropertyAssignment(fn.parent) ? fn.parent : undefined;
  if (owner && owner.name && isIdentifier(owner.name) && owner.name.text === 'create' && owner.parent && isObjectLiteralExpression(owner.parent)) {
    const call = owner.parent.parent;
    if (call && (isCallExpression(call) || isNewExpression(call))) {
      const callee = unwrapExpression(call.expression);
      const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (/pool/i.test(name)) return { kind: 'pool' };
    }
  }
  return undefined;
}

/**
 * A socket kept in a property is also reached through that property: `this.stream.setKeepAlive(…)`
 * elsewhere in the file is liveness, and `return this.stream` / `resolve(this.stream)` hands it
 * to code that may set keepalive itself (a driver's connector and its connection class).
 */
function propertyLivenessOrHandOff(model: FileModel, path: string): boolean {
  const isPath = (e: ts.Expression) => {
    const u = unwrapExpression(e);
    return isPropertyAccessExpression(u) && u.getText() === path;
  };
  for (const { node } of model.facts.calls) {
    const callee = unwrapExpression(node.expression);
    if (isPropertyAccessExpression(callee) && LIVENESS_METHODS.has(callee.name.text) && isPath(callee.expression)) return true;
    if ((node.arguments ?? []).some(isPath)) return true;
  }
  return someNode(model.sourceFile, (n) => isReturnStatement(n) && !!n.expression && isPath(n.expression));
}

/** Writes from a timer keep traffic flowing: the connection is never idle long. */
function writtenFromTimer(model: FileModel, origin: ts.Node): boolean {
  return model.usesOf(origin).some((u) => {
    if (u.method !== 'write') return false;
    for (let n: ts.Node | undefined = u.call.parent; n; n = n.parent) {
      if (isCallExpression(n) && isIdentifier(n.expression) && n.expression.text === 'setInterval') return true;
    }
    return false;
  });
}

const LIVENESS_METHODS = new Set(['setKeepAlive', 'setTimeout', 'end', 'destroy']);

export default createRule<MessageIds>({
  meta: {
    id: 'long-lived-connection-without-liveness',
    lesson: 'keepalive-and-heartbeats',
    severity: 'warning',
    title: 'Long-lived connection without a liveness check',
    description:
      'TCP does not notice a dead peer or a dropped middlebox entry on an idle connection. NATs, firewalls and load balancers forget idle flows after minutes (AWS NAT Gateway 350 s, Azure LB 4 min) and a crashed host sends no FIN, so both ends keep a half-open socket: reads wait forever and writes vanish into ~15 minutes of retransmissions. Linux keepalive defaults (first probe after 2 h) are far too slow. Long-lived connections need an application heartbeat (WebSocket ping/pong) or TCP keepalive with a short idle delay.',
    messages: {
      wsServer: 'This WebSocket server never pings its clients (ws has no built-in heartbeat): a client that vanished, or whose NAT/LB dropped the idle flow (AWS NAT 350 s), stays open and leaks its socket. Ping every ~30 s and terminate sockets that miss a pong.',
      pgPool: 'This pool keeps idle connections {{idle}} with TCP keepalive off (pg\'s default): a NAT or firewall that drops idle flows (AWS NAT 350 s) leaves half-open sockets, and a query on one hangs ~15 min in retransmits. Enable `keepAlive` with a short initial delay.',
      pgClient: 'This long-lived pg Client has TCP keepalive off (pg\'s default): once a NAT or firewall drops the idle flow (AWS NAT 350 s) the next query hangs ~15 min in retransmits, and a LISTEN client never hears again. Enable `keepAlive` with a short initial delay.',
      socket: 'This long-lived {{api}} socket has neither TCP keepalive nor an idle timeout: a NAT or firewall that drops idle flows (AWS NAT 350 s) leaves it half-open, and writes vanish for ~15 min of retransmits before an error. Call `setKeepAlive(true, 10_000)`.',
    },
    fixable: true,
  },
  check(context) {
    const { model } = context;
    if (context.isTestFile) return;
    let heartbeat: boolean | undefined;
    for (const call of model.calls) {
      const node = model.nodeOf(call);
      if (call.api === 'ws.WebSocketServer') {
        heartbeat ??= fileHasHeartbeat(model);
        if (heartbeat || loopbackOnly(model, call)) continue;
        const listeners = connectionListeners(model, node);
        // Without a visible 'connection' listener the sockets are handled elsewhere.
        if (listeners.length === 0 || listeners.some((l) => !l.fn || !socketStaysLocal(model, l.fn, 0))) continue;
        context.report({
          messageId: 'wsServer',
          range: call.calleeRange,
          related: [{ range: { start: listeners[0].call.getStart(context.sourceFile), end: listeners[0].call.end }, message: 'connections are accepted here without a heartbeat' }],
          fixes: heartbeatFix(context, call, listeners[0].fn),
        });
        continue;
      }
      if (call.library === 'pg' && (call.api === 'pg.Pool' || call.api === 'pg.Client')) {
        if (call.optionsUnknown || !keepAliveOff(call)) continue;
        if (call.api === 'pg.Pool') {
          const idle = call.options.find((o) => o.key === 'idleTimeoutMillis');
          if (!idle || idle.value.kind !== 'number' || (idle.value.value !== 0 && idle.value.value < LONG_IDLE_MS)) continue;
          const text = idle.value.value === 0 ? 'forever (`idleTimeoutMillis: 0`)' : `for ${Math.round(idle.value.value / 1000)} s`;
          context.report({ messageId: 'pgPool', data: { idle: text }, range: call.calleeRange, fixes: keepAliveFix(context, call) });
          continue;
        }
        // A Client kept for the life of the process: made once, stored, connected, never ended.
        const uses = model.usesOf(node);
        if (runFrequency(node, model) !== 'once' || !uses.some((u) => u.method === 'connect') || uses.some((u) => u.method === 'end')) continue;
        context.report({ messageId: 'pgClient', range: call.calleeRange, fixes: keepAliveFix(context, call) });
        continue;
      }
      if ((call.library === 'node:net' || call.library === 'node:tls') && call.role === 'connect') {
        if (call.options.some((o) => (o.key === 'keepAlive' && !(o.value.kind === 'boolean' && !o.value.value)) || o.key === 'timeout')) continue;
        // `new net.Socket()` + `socket.connect(…)`: liveness calls go to the socket object.
        const origin = call.createdBy !== undefined ? model.nodeOf(model.calls[call.createdBy]) : node;
        const owner = isNewExpression(origin) ? origin : node;
        if (model.usesOf(owner).some((u) => LIVENESS_METHODS.has(u.method)) || model.usesOf(node).some((u) => LIVENESS_METHODS.has(u.method))) continue;
        const storage = storageOf(owner);
        if (!storage || writtenFromTimer(model, owner)) continue;
        if (storage.kind === 'property' && propertyLivenessOrHandOff(model, storage.path)) continue;
        if (runFrequency(node, model) === 'per-request') continue;
        const statement = enclosingStatement(node);
        let fixes: Fix[] = [];
        if (statement && isVariableStatement(statement)) {
          const decl = statement.declarationList.declarations.find((d) => d.initializer && unwrapExpression(d.initializer) === node);
          if (decl && isIdentifier(decl.name)) {
            const semi = context.text.slice(statement.getStart(context.sourceFile), statement.end).trimEnd().endsWith(';') ? ';' : '';
            fixes = [{ title: `Enable TCP keepalive (first probe after ${KEEPALIVE_DELAY.replace('_', ' ')} ms idle)`, edits: [insertLinesAfter(statement, [`${decl.name.text}.setKeepAlive(true, ${KEEPALIVE_DELAY})${semi}`], context.sourceFile)], preferred: true }];
          }
        }
        context.report({ messageId: 'socket', data: { api: call.api }, range: call.calleeRange, fixes });
      }
    }
  },
});
