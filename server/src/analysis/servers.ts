// HTTP servers in a file, as one object each: where it was created, where it listens, the options
// it was built with, the properties written on it and the methods called on it. An Express or Koa
// `app` is not the http.Server: `app.listen()` returns the server, so writes on `app` are kept
// apart (`appWrites`) for rules that point out the mistake.
import ts = require('typescript');
import type { FileModel, MethodUse, PropertyWrite } from './fileModel';
import type { NetworkCall, OptionFact } from './types';

export interface HttpServer {
  framework: 'node' | 'express' | 'koa';
  /** `http.createServer(…)`, `express()`, `new Koa()`. */
  creator?: NetworkCall;
  listens: NetworkCall[];
  /** Nodes whose value is the http.Server itself. */
  origins: ts.Node[];
  /** Options given to `createServer`. */
  options: OptionFact[];
  optionsUnknown: boolean;
  /** Properties written on the http.Server (`server.keepAliveTimeout = …`). */
  writes: PropertyWrite[];
  /** Properties written on the framework's app object instead of the server. */
  appWrites: PropertyWrite[];
  /** Methods called on the http.Server (`close`, `closeIdleConnections`, `on` …). */
  uses: MethodUse[];
}

/** Key of the servers kept on the model (FileModel.memo). */
const SERVERS = {};
const HTTP_LIBS = new Set(['node:http', 'node:https']);

export function httpServers(model: FileModel): HttpServer[] {
  return model.memo(SERVERS, () => findHttpServers(model));
}

function findHttpServers(model: FileModel): HttpServer[] {
  const servers: HttpServer[] = [];
  const listensBy = new Map<number, NetworkCall[]>();
  const unowned: NetworkCall[] = [];
  for (const call of model.calls) {
    if (call.role !== 'listen' || !(HTTP_LIBS.has(call.library) || call.library === 'express' || call.library === 'koa')) continue;
    if (call.createdBy === undefined) unowned.push(call);
    else listensBy.set(call.createdBy, [...(listensBy.get(call.createdBy) ?? []), call]);
  }
  for (const call of model.calls) {
    if (call.role !== 'server') continue;
    const listens = listensBy.get(call.index) ?? [];
    if (HTTP_LIBS.has(call.library)) {
      const origins = [model.nodeOf(call), ...listens.map((l) => model.nodeOf(l))];
      servers.push(build(model, 'node', call, listens, origins, []));
    } else if (call.library === 'express' || call.library === 'koa') {
      const appWrites = [...model.propertyWritesTo(model.nodeOf(call))];
      // Each app.listen() makes its own server.
      for (const l of listens) servers.push(build(model, call.library, call, [l], [model.nodeOf(l)], appWrites));
    }
  }
  for (const l of unowned) servers.push(build(model, l.library === 'koa' ? 'koa' : l.library === 'express' ? 'express' : 'node', undefined, [l], [model.nodeOf(l)], []));
  return servers;
}

function build(model: FileModel, framework: HttpServer['framework'], creator: NetworkCall | undefined, listens: NetworkCall[], origins: ts.Node[], appWrites: PropertyWrite[]): HttpServer {
  const isNode = framework === 'node' && creator !== undefined;
  return {
    framework,
    creator,
    listens,
    origins,
    options: isNode ? creator.options : [],
    optionsUnknown: isNode ? creator.optionsUnknown : false,
    writes: origins.flatMap((o) => model.propertyWritesTo(o)).sort((a, b) => a.assignment.pos - b.assignment.pos),
    appWrites,
    uses: origins.flatMap((o) => model.usesOf(o)),
  };
}

/** Writes of one top-level property (`keepAliveTimeout`), in source order. */
export function writesOf(server: HttpServer, property: string): PropertyWrite[] {
  return server.writes.filter((w) => w.path.length === 1 && w.path[0] === property);
}
