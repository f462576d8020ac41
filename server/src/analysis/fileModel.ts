// The analysis core's view of one parsed file: recognised network calls plus the shared services
// rules ask (what was called on an object, which properties were written to it, where it was made).
import ts = require('typescript');
import { isInRequestHandler } from './context';
import { collectFacts, memoIn, propertyKey, statementMemo, type Assignment, type CallSite, type FactsCache, type FileFacts, type SiteResolution } from './facts';
import type { ArgShape, OpSpec } from './model';
import { LISTENER_METHODS, Resolver, unwrapExpression, type Value } from './resolve';
import type { Scope } from './scope';
import type { NetworkCall, OptionFact, Scheme, TextRange } from './types';
import { flattenOptions, objectLiteralOf, parseUrlPrefix, staticValue, urlPrefix } from './values';
import { lowerBound } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, escapeLeadingUnderscores, isArrowFunction, isBinaryExpression, isCallExpression, isElementAccessExpression, isFunctionExpression, isIdentifier, isNewExpression, isNumericLiteral, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isStringLiteralLike, isTemplateExpression } = ts;

/** A method called on a created object: `req.setTimeout(…)`, `server.on('error', …)`. */
export interface MethodUse {
  method: string;
  call: ts.CallExpression;
  scope: Scope;
}

/** A call that takes a created object as an argument. */
export interface ArgumentUse {
  call: ts.CallExpression | ts.NewExpression;
  index: number;
  scope: Scope;
}

/** A property written on a created object: `server.keepAliveTimeout = 65_000`. */
export interface PropertyWrite {
  /** Property path below the object: `['keepAliveTimeout']`, `['defaults', 'timeout']`. */
  path: string[];
  assignment: ts.BinaryExpression;
  scope: Scope;
}

const SCHEMES: Record<string, Scheme> = {
  http: 'http',
  https: 'https',
  ws: 'ws',
  wss: 'wss',
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mongodb: 'mongodb',
  'mongodb+srv': 'mongodb',
  redis: 'redis',
  rediss: 'redis',
  amqp: 'amqp',
  amqps: 'amqp',
};

export const range = (node: ts.Node, sf?: ts.SourceFile): TextRange => ({ start: node.getStart(sf), end: node.end });

/** Source order, inner call first for chains that start at the same place (`a().listen()`). */
const bySource = (a: CallSite, b: CallSite) => a.node.pos - b.node.pos || a.node.end - b.node.end;
/** Key of a statement's sites in source order (statementMemo), sorted once per statement. */
const IN_SOURCE_ORDER = {};

/** The sites in source order: usually walk order already (then the same array, not a sorted copy). */
function inSourceOrder(sites: readonly CallSite[]): readonly CallSite[] {
  for (let i = 1; i < sites.length; i++) if (bySource(sites[i - 1]!, sites[i]!) > 0) return [...sites].sort(bySource);
  return sites;
}

const NO_IDENTIFIERS: readonly ts.Identifier[] = [];

/** Lists of sites each in walk order (`index` ascending), merged into one in walk order without sorting again. */
export function mergeInWalkOrder(lists: ReadonlyArray<readonly CallSite[]>): CallSite[] {
  const out: CallSite[] = [];
  const next = lists.map(() => 0);
  for (;;) {
    let pick = -1;
    for (let k = 0; k < lists.length; k++) {
      const site = lists[k]![next[k]!];
      if (site && (pick < 0 || site.index < lists[pick]![next[pick]!]!.index)) pick = k;
    }
    if (pick < 0) return out;
    out.push(lists[pick]![next[pick]!++]!);
  }
}

export class FileModel {
  readonly facts: FileFacts;
  readonly resolver: Resolver;
  readonly calls: NetworkCall[] = [];
  /** The syntax node and scope of each call in `calls`, by index. */
  readonly callSites: CallSite[] = [];
  private readonly callIndexByNode = new Map<ts.Node, number>();
  private readonly optionsObjects: Array<ts.ObjectLiteralExpression | undefined> = [];
  private readonly receivers: Array<ts.Node | undefined> = [];
  private readonly methodUses = new Map<ts.Node, MethodUse[]>();
  private propertyWritesByOrigin?: Map<ts.Node, PropertyWrite[]>;
  private readonly callsByNames = new Map<string, CallSite[]>();
  private readonly argumentUsesByNames = new Map<string, Map<ts.Node, ArgumentUse[]>>();
  private readonly sortedIdentifiers = new Map<string, ts.Identifier[]>();
  /** What services worked out once for this model (see `memo`). */
  private readonly memos = new Map<object, unknown>();
  /** Recognised calls made on an object another call created: `createdBy` is set once every call is known. */
  private readonly pendingCreators: Array<[number, ts.Node]> = [];

  /** `factsCache`: an open document's, so that only the statements an edit re-created are walked again. */
  constructor(
    readonly sourceFile: ts.SourceFile,
    factsCache?: FactsCache,
  ) {
    this.facts = collectFacts(sourceFile, factsCache);
    this.resolver = new Resolver(this.facts);
    const statements = this.facts.statements;
    if (statements) {
      // An open document: statement by statement (source order), keeping what the sites of statements
      // an edit did not touch resolved to, and visiting only the sites that came to something.
      const generation = this.facts.resolutionGeneration!;
      for (const part of statements) {
        const kept = part.sitesThatMatter?.generation === generation ? part.sitesThatMatter.sites : undefined;
        const sites = kept ?? statementMemo(part, IN_SOURCE_ORDER, () => inSourceOrder(part.calls));
        const matter: CallSite[] = [];
        for (const site of sites) {
          let resolution: SiteResolution | undefined = site.resolution?.generation === generation ? site.resolution : undefined;
          if (!resolution) site.resolution = resolution = this.resolveSite(site, generation);
          if (this.visitSite(site, resolution) && !kept) matter.push(site);
        }
        if (!kept) part.sitesThatMatter = { generation, sites: matter };
      }
    } else {
      for (const site of inSourceOrder(this.facts.calls)) this.visitSite(site, this.resolveSite(site));
    }
    for (const [index, origin] of this.pendingCreators) {
      const creator = this.callIndexByNode.get(origin);
      if (creator !== undefined && creator !== index) this.calls[index].createdBy = creator;
    }
  }

  /**
   * A service's answer for this model, computed on first use (`key`: one object per kind of answer).
   * Kept on the model so that it goes with it: in a WeakMap keyed by the model, an answer that holds
   * syntax nodes keeps the whole tree of a file already analysed alive until the next full garbage
   * collection (over the corpus, 35 MiB more peak memory).
   */
  memo<T>(key: object, compute: () => T): T {
    return memoIn(this.memos, key, compute);
  }

  /** The recognised call at this node, if any. */
  callAt(node: ts.Node): NetworkCall | undefined {
    const i = this.callIndexByNode.get(node);
    return i === undefined ? undefined : this.calls[i];
  }

  nodeOf(call: NetworkCall): ts.CallExpression | ts.NewExpression {
    return this.callSites[call.index].node;
  }

  /** Where the object a method call was made on was created (`new net.Socket()` for `sock.connect()`), recognised or not. */
  receiverOrigin(call: NetworkCall): ts.Node | undefined {
    return this.receivers[call.index];
  }

  /** The object literal holding the call's options (fixes insert into it). */
  optionsObject(call: NetworkCall): ts.ObjectLiteralExpression | undefined {
    return this.optionsObjects[call.index];
  }

  /** The value expression of a top-level option (`agent: keepAliveAgent` → `keepAliveAgent`). */
  optionValue(call: NetworkCall, key: string): ts.Expression | undefined {
    const obj = this.optionsObjects[call.index];
    for (const p of obj?.properties ?? []) {
      if (isPropertyAssignment(p) && propertyKey(p.name) === key) return p.initializer;
      if (isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
    }
    return undefined;
  }

  scopeOf(call: NetworkCall): Scope {
    return this.callSites[call.index].scope;
  }

  /**
   * Call expressions (not `new`) whose callee ends in `name`: `setTimeout(…)`, `sock.write(…)`,
   * `(0, x.pipe)(…)`. In source-walk order, like `facts.calls`. Rules looking for one method ask here
   * instead of scanning every call of the file (a 10,000-line file has thousands).
   */
  callsNamed(...names: string[]): readonly CallSite[] {
    const byCallee = this.facts.callsByCallee;
    if (names.length === 1) return byCallee.get(names[0]!) ?? [];
    const key = names.join(' ');
    let merged = this.callsByNames.get(key);
    if (!merged) {
      merged = mergeInWalkOrder(names.map((n) => byCallee.get(n) ?? []));
      this.callsByNames.set(key, merged);
    }
    return merged;
  }

  /**
   * The identifiers named `name` in `region` (it and its descendants), in source order: the candidates
   * for a binding's references, found by binary search in the facts' index instead of a walk.
   */
  identifiersWithin(name: string, region: ts.Node): readonly ts.Identifier[] {
    const ids = this.identifiersInSourceOrder(escapeLeadingUnderscores(name) as string);
    const out: ts.Identifier[] = [];
    for (let i = lowerBound(ids.length, (k) => ids[k]!.pos, region.pos); i < ids.length && ids[i]!.pos < region.end; i++) {
      const id = ids[i]!;
      if (id.end <= region.end) out.push(id);
    }
    return out;
  }

  private identifiersInSourceOrder(key: string): readonly ts.Identifier[] {
    // Walk order is source order except for subtrees the walk deferred (very deep nesting). Facts kept
    // by statement exist only when nothing was deferred: their lists are used as they are.
    if (this.facts.statements) return this.facts.identifiers.get(key) ?? NO_IDENTIFIERS;
    let sorted = this.sortedIdentifiers.get(key);
    if (!sorted) {
      sorted = [...(this.facts.identifiers.get(key) ?? [])].sort((a, b) => a.pos - b.pos);
      this.sortedIdentifiers.set(key, sorted);
    }
    return sorted;
  }

  /** Methods called on the object created at `origin` (through any variable that holds it). */
  usesOf(origin: ts.Node): readonly MethodUse[] {
    return this.methodUses.get(origin) ?? [];
  }

  /**
   * Calls that receive the object created at `origin` as an argument, among calls whose callee ends in
   * one of `names` (`a.pipe(socket)`, `pipeline(a, socket)`): resolving every argument of every call
   * in a large file costs milliseconds, and askers want one method (or one region: RequestHandoffs).
   */
  argumentUsesIn(origin: ts.Node, ...names: string[]): readonly ArgumentUse[] {
    const key = names.join(' ');
    let index = this.argumentUsesByNames.get(key);
    if (!index) this.argumentUsesByNames.set(key, (index = this.indexArgumentUses(this.callsNamed(...names))));
    return index.get(origin) ?? [];
  }

  private indexArgumentUses(sites: readonly CallSite[]): Map<ts.Node, ArgumentUse[]> {
    const byOrigin = new Map<ts.Node, ArgumentUse[]>();
    for (const site of sites) {
      const args = site.node.arguments ?? [];
      args.forEach((arg, index) => {
        const e = unwrapExpression(arg);
        if (!isIdentifier(e) && !isPropertyAccessExpression(e)) return;
        const value = this.resolver.resolve(e, site.scope);
        if (!value?.origin || value.viaMember) return;
        let list = byOrigin.get(value.origin);
        if (!list) byOrigin.set(value.origin, (list = []));
        list.push({ call: site.node, index, scope: site.scope });
      });
    }
    return byOrigin;
  }

  /** Events listened to on the object created at `origin` (`.on('error', …)`, `.once`, `.addListener`). */
  listenedEvents(origin: ts.Node): Set<string> {
    const events = new Set<string>();
    for (const u of this.usesOf(origin)) {
      if (!LISTENER_METHODS.has(u.method)) continue;
      const ev = u.call.arguments[0];
      if (ev && isStringLiteralLike(ev)) events.add(ev.text);
    }
    return events;
  }

  /** Properties assigned on the object created at `origin`. */
  propertyWritesTo(origin: ts.Node): readonly PropertyWrite[] {
    if (!this.propertyWritesByOrigin) {
      this.propertyWritesByOrigin = new Map();
      // An open document keeps what each assignment of a kept statement writes to (like call sites).
      const generation = this.facts.resolutionGeneration;
      for (const a of this.facts.assignments) {
        let write = generation !== undefined && a.write?.generation === generation ? a.write : undefined;
        if (!write) {
          write = { generation: generation ?? -1, ...this.writtenObject(a) };
          if (generation !== undefined) a.write = write;
        }
        if (!write.origin) continue;
        let list = this.propertyWritesByOrigin.get(write.origin);
        if (!list) this.propertyWritesByOrigin.set(write.origin, (list = []));
        list.push({ path: [...write.path!], assignment: a.node, scope: a.scope });
      }
    }
    return this.propertyWritesByOrigin.get(origin) ?? [];
  }

  /** `a.b.c = v`: the nearest base that is a created object, with the rest as the path below it. */
  private writtenObject(a: Assignment): { origin?: ts.Node; path?: string[] } {
    const path: string[] = [];
    let base: ts.Expression = a.target;
    while (isPropertyAccessExpression(base) || isElementAccessExpression(base)) {
      const key = isPropertyAccessExpression(base) ? base.name.text : isStringLiteralLike(base.argumentExpression) ? base.argumentExpression.text : undefined;
      if (key === undefined) break;
      path.unshift(key);
      base = unwrapExpression(base.expression);
      const value = this.resolver.resolve(base, a.scope);
      if (value?.origin && !value.viaMember) return { origin: value.origin, path };
    }
    return {};
  }

  private resolveSite(site: CallSite, generation = -1): SiteResolution & { generation: number } {
    return { call: this.resolver.resolveCall(site.node, site.scope), receiver: this.methodReceiver(site), generation };
  }

  /** Records what a resolved site is (a recognised call, a method use); true when it is something. */
  private visitSite(site: CallSite, resolution: SiteResolution): boolean {
    const used = this.recordMethodUse(site, resolution.receiver);
    const resolved = resolution.call;
    const opSpec = resolved?.spec.op;
    if (!opSpec) return used;
    const call = this.describe(site, opSpec);
    this.callIndexByNode.set(site.node, call.index);
    this.calls.push(call);
    this.callSites.push(site);
    if (resolved.receiver?.origin) {
      this.pendingCreators.push([call.index, resolved.receiver.origin]);
      this.receivers[call.index] = resolved.receiver.origin;
    }
    return true;
  }

  /** For a method call `x.m(…)`: what `x` is. */
  private methodReceiver(site: CallSite): Value | undefined {
    if (!isCallExpression(site.node)) return undefined;
    const callee = unwrapExpression(site.node.expression);
    return isPropertyAccessExpression(callee) ? this.resolver.resolve(callee.expression, site.scope) : undefined;
  }

  private recordMethodUse(site: CallSite, receiver: Value | undefined): boolean {
    if (!receiver?.origin) return false;
    const callee = unwrapExpression(site.node.expression) as ts.PropertyAccessExpression;
    let list = this.methodUses.get(receiver.origin);
    if (!list) this.methodUses.set(receiver.origin, (list = []));
    list.push({ method: callee.name.text, call: site.node as ts.CallExpression, scope: site.scope });
    return true;
  }

  private describe(site: CallSite, op: OpSpec): NetworkCall {
    const { node, scope } = site;
    const sf = this.sourceFile;
    const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const shape: ArgShape = op.args ?? {};
    const call: NetworkCall = {
      index: this.calls.length,
      api: op.api,
      library: op.library,
      role: op.role,
      transport: op.transport,
      scheme: op.scheme,
      range: range(node, sf),
      calleeRange: calleeRange(node, sf),
      options: [],
      optionsUnknown: false,
      argsEnd: argsEnd(node),
      inRequestHandler: isInRequestHandler(node),
    };

    for (const i of shape.url ?? []) {
      const arg = args[i];
      if (!arg || objectLiteralOf(arg, scope)) continue;
      const prefix = urlPrefix(arg, scope);
      if (prefix === undefined) break;
      const url = parseUrlPrefix(prefix.text, prefix.complete);
      if (url.scheme && SCHEMES[url.scheme]) call.scheme = refineScheme(op, SCHEMES[url.scheme]);
      if (url.host) call.host = url.host;
      if (url.port !== undefined) call.port = url.port;
      break;
    }
    for (const i of shape.options ?? []) {
      const arg = args[i];
      if (!arg) continue;
      const obj = objectLiteralOf(arg, scope);
      if (!obj) {
        // `createServer(app)`: a lone argument of a server factory is its request handler.
        const loneHandler = op.role === 'server' && args.length === 1;
        if (!isUrlLike(arg, scope) && !isFunctionArg(arg) && !loneHandler) call.optionsUnknown = true;
        continue;
      }
      call.options = flattenOptions(obj, scope);
      call.optionsRange = range(obj, sf);
      this.optionsObjects[call.index] = obj;
      if (call.options.some((o) => o.key.endsWith('...'))) call.optionsUnknown = true;
      break;
    }
    if (op.api === 'socket.send') {
      // send(msg, [offset, length,] port, address, cb): five or more arguments carry offset and length.
      const hasRange = args.length >= 5 || (args.length === 4 && !isFunctionArg(args[3]) && staticValue(args[3], scope).kind !== 'string' && staticValue(args[2], scope).kind === 'number' && staticValue(args[1], scope).kind === 'number');
      const port = staticValue(args[hasRange ? 3 : 1], scope);
      const host = staticValue(args[hasRange ? 4 : 2], scope);
      if (port.kind === 'number') call.port = port.value;
      if (host.kind === 'string') call.host = host.value;
    }
    if (shape.port !== undefined) {
      const port = staticValue(args[shape.port], scope);
      if (port.kind === 'number') call.port = port.value;
    }
    if (shape.host !== undefined && call.host === undefined) {
      const host = staticValue(args[shape.host], scope);
      if (host.kind === 'string') call.host = host.value;
    }
    applyAddressOptions(call, call.options);
    if (op.library === 'node:net' && op.role === 'connect' && isIpcConnect(call, args, scope)) {
      call.transport = 'none';
      call.scheme = undefined;
    }
    return call;
  }
}

/** `https.request` with `http://` stays https-less: the scheme follows the URL for generic clients only. */
function refineScheme(op: OpSpec, fromUrl: Scheme): Scheme {
  if (op.library === 'node:http' || op.library === 'node:https') return op.scheme ?? fromUrl;
  return fromUrl;
}

function applyAddressOptions(call: NetworkCall, options: OptionFact[]): void {
  for (const o of options) {
    if ((o.key === 'host' || o.key === 'hostname') && o.value.kind === 'string' && call.host === undefined) call.host = o.value.value;
    if (o.key === 'port' && o.value.kind === 'number' && call.port === undefined) call.port = o.value.value;
    if (o.key === 'protocol' && o.value.kind === 'string') {
      const p = o.value.value.replace(/:$/, '');
      if (p === 'http' || p === 'https') call.scheme = call.library === 'node:http' || call.library === 'node:https' ? call.scheme : p;
    }
  }
}

const URL_NAME = /(url|uri|href|endpoint|link|address|host|hostname|path|origin|target|port|socketPath)s?$/i;

/** An argument that is a URL or address rather than an options object. */
function isUrlLike(arg: ts.Expression, scope: Scope): boolean {
  const e = unwrapExpression(arg);
  if (isStringLiteralLike(e) || isTemplateExpression(e) || isNumericLiteral(e)) return true;
  if (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken) return true;
  if (isNewExpression(e) && isIdentifier(e.expression) && e.expression.text === 'URL') return true;
  if (isIdentifier(e)) return URL_NAME.test(e.text) || staticValue(e, scope).kind === 'string';
  if (isPropertyAccessExpression(e)) return URL_NAME.test(e.name.text);
  if (isCallExpression(e)) {
    const callee = e.expression;
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
    return /url|uri|href|format|join|resolve|toString/i.test(name);
  }
  return false;
}

/** `net.connect('/run/app.sock')`, `net.connect({ path })`: a Unix socket or named pipe, not the network. */
function isIpcConnect(call: NetworkCall, args: ts.NodeArray<ts.Expression>, scope: Scope): boolean {
  if (call.options.some((o) => o.key === 'path')) return true;
  const first = args[0] && unwrapExpression(args[0]);
  if (!first) return false;
  const v = staticValue(first, scope);
  if (v.kind === 'string') return !/^\d+$/.test(v.value);
  const name = isIdentifier(first) ? first.text : isPropertyAccessExpression(first) ? first.name.text : '';
  return /(socket)?path$/i.test(name);
}

function isFunctionArg(arg: ts.Expression): boolean {
  const e = unwrapExpression(arg);
  return isArrowFunction(e) || isFunctionExpression(e);
}

function calleeRange(node: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): TextRange {
  const callee = node.expression;
  // For `a.b.c(…)` the hover target is the member name; the whole callee still counts.
  if (isNewExpression(node)) return { start: node.getStart(sf), end: callee.end };
  return range(callee, sf);
}

function argsEnd(node: ts.CallExpression | ts.NewExpression): number {
  // The offset just before the closing parenthesis.
  return node.end - 1;
}
