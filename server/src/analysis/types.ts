// Facts the analysis core produces. Pure data: offsets into the document text (UTF-16 code
// units, as TypeScript and LSP count them), no editor or protocol types.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface TextRange {
  start: number;
  end: number;
}

export interface TextEdit extends TextRange {
  newText: string;
}

/** A mechanical fix a rule offers; the LSP layer adds the generic actions (lesson, disable). */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface RelatedLocation {
  range: TextRange;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: TextRange;
  lesson: string;
  related: RelatedLocation[];
  fixes: Fix[];
}

/** What the configuration says; the defaults are in `config.ts`. */
export interface AnalysisConfig {
  /** Round-trip time used to turn round trips into milliseconds. */
  rttMs: number;
  /** Node major version the code runs on (drives version-dependent defaults). */
  nodeMajor: number;
  /** Idle timeout of the load balancer in front of servers, in ms. */
  loadBalancerIdleTimeoutMs: number;
  /** True when the user set the load balancer idle timeout explicitly. */
  loadBalancerIdleTimeoutConfigured: boolean;
  /** Per-rule severity overrides. */
  rules: Record<string, SeveritySetting>;
}

export type Transport = 'tcp' | 'udp' | 'none';

/** The network protocol stack a call ends up using. */
export type Scheme =
  | 'http'
  | 'https'
  | 'h2'
  | 'h2c'
  | 'ws'
  | 'wss'
  | 'tcp'
  | 'tls'
  | 'udp'
  | 'dns'
  | 'postgres'
  | 'mysql'
  | 'mongodb'
  | 'redis'
  | 'amqp'
  | 'kafka'
  | 'grpc';

/** What a recognised call does on the network. */
export type CallRole =
  /** Sends a request and waits for its response (fetch, http.request, axios.get, pool.query ...). */
  | 'request'
  /** Opens a connection (net.connect, new WebSocket, client.connect, amqp.connect ...). */
  | 'connect'
  /** Creates a client, agent or pool that later calls use (axios.create, new Pool, new Agent ...). */
  | 'client'
  /** Creates a server (http.createServer, express(), net.createServer ...). */
  | 'server'
  /** Starts listening (server.listen, app.listen). */
  | 'listen'
  /** Sends a datagram (dgram send). */
  | 'send'
  /** Resolves a name (dns.lookup, dns.resolve*). */
  | 'dns';

/** A statically known value of an option or argument. */
export type StaticValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'undefined' }
  | { kind: 'object' }
  | { kind: 'function' }
  | { kind: 'unknown' };

export interface OptionFact {
  /** Dotted key inside the options object, e.g. `timeout`, `headers.connection`, `connect.timeout`. */
  key: string;
  value: StaticValue;
  /** The property assignment (key and value) in the source. */
  range: TextRange;
  valueRange: TextRange;
}

/** One recognised networking call site. */
export interface NetworkCall {
  /** Stable within one analysis: index in `FileAnalysis.calls`. */
  index: number;
  /** Qualified API name as users know it: `fetch`, `http.request`, `axios.get`, `pg.Pool#query`. */
  api: string;
  /** Package or module: `fetch`, `node:http`, `undici`, `axios`, `pg` ... */
  library: string;
  role: CallRole;
  transport: Transport;
  /** The protocol stack, when known statically (from the module, URL literal or options). */
  scheme?: Scheme;
  host?: string;
  port?: number;
  /** The whole call or `new` expression. */
  range: TextRange;
  /** The callee (e.g. `axios.get`); hovers attach here. */
  calleeRange: TextRange;
  /** Options given at the call, flattened (`connect.timeout`); an instance's own options are on `createdBy`. */
  options: OptionFact[];
  /** True when an argument that may hold options is not statically known (a parameter, a call result). */
  optionsUnknown: boolean;
  /** The object literal holding the options, when there is one (fixes insert into it). */
  optionsRange?: TextRange;
  /** Where the client/agent/pool/server this call goes through was created, when it is in this file. */
  createdBy?: number;
  /** Node of the argument list end, for fixes that add an argument. */
  argsEnd: number;
  /** True when the call is inside a function that handles incoming requests. */
  inRequestHandler: boolean;
}

export interface FileAnalysis {
  fileName: string;
  calls: NetworkCall[];
  findings: Finding[];
  /** True when the text pre-filter proved there is nothing to analyse (no parse happened). */
  skipped: boolean;
  /** Parse diagnostics count (the analysis still runs over what parsed). */
  syntaxErrors: number;
  /** Rules that failed on this file (the others still ran). */
  internalErrors?: string[];
  /**
   * Set when the file could not be analysed at all (calls and findings are then empty): why, in
   * words for the user, e.g. code nested too deeply for the parser. The stack is in `internalErrors`.
   */
  failure?: string;
}
