// The language status item: the server's state (starting, running, restarted after a crash, stopped)
// and, for the document in front, whether it was analysed at all (too large for wirelens.maxFileBytes,
// or code the parser could not get through). Clicking it opens the Wirelens output channel, where the
// details are logged.
// No vscode-languageclient import: this is part of dist/client.js, which activation loads, and the
// language client is a bundle of its own (languageClient.ts reports its states here).
import * as vscode from 'vscode';

/** What the item shows, for tests and bug reports. */
export interface StatusSnapshot {
  text: string;
  detail?: string;
  severity: 'information' | 'warning' | 'error';
  command?: string;
  /** Times the server stopped while running (crashes), and times it came back after one. */
  crashes: number;
  restarts: number;
}

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

const SEVERITY_NAMES = new Map<vscode.LanguageStatusSeverity, StatusSnapshot['severity']>([
  [vscode.LanguageStatusSeverity.Information, 'information'],
  [vscode.LanguageStatusSeverity.Warning, 'warning'],
  [vscode.LanguageStatusSeverity.Error, 'error'],
]);

export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  /** Documents the server said it does not analyse, with its reason. */
  private readonly skipped = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private state: ServerState = 'starting';
  private crashes = 0;
  private restarts = 0;
  private readonly changed = new vscode.EventEmitter<StatusSnapshot>();
  /** Fires whenever the item changes (tests wait on it). */
  readonly onDidChange = this.changed.event;

  constructor(selector: vscode.DocumentSelector, showOutputCommand: string) {
    this.item = vscode.languages.createLanguageStatusItem('wirelens.status', selector);
    this.item.name = 'Wirelens';
    this.item.command = { title: 'Show output', command: showOutputCommand };
    this.subscriptions.push(
      this.item,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((d) => this.skipped.delete(d.uri.toString()) && this.render()),
    );
    this.render();
  }

  /** The client's new state. A crash shows as running → stopped → starting → running again. */
  serverState(state: ServerState): void {
    if (state === 'running') {
      this.state = 'running';
      this.restarts = this.crashes;
    } else if (state === 'stopped') {
      if (this.state === 'running') this.crashes++;
      this.state = 'stopped';
      // A new server process tells us again what it skips.
      this.skipped.clear();
    } else this.state = state;
    this.render();
  }

  fileSkipped(uri: string, reason: string): void {
    this.skipped.set(uri, reason);
    this.render();
  }

  fileAnalysed(uri: string): void {
    if (this.skipped.delete(uri)) this.render();
  }

  snapshot(): StatusSnapshot {
    return { text: this.item.text, detail: this.item.detail, severity: SEVERITY_NAMES.get(this.item.severity) ?? 'information', command: this.item.command?.command, crashes: this.crashes, restarts: this.restarts };
  }

  private set(text: string, severity: vscode.LanguageStatusSeverity, detail: string, busy = false): void {
    this.item.text = text;
    this.item.severity = severity;
    this.item.detail = detail;
    this.item.busy = busy;
    this.changed.fire(this.snapshot());
  }

  private render(): void {
    const { Information, Warning, Error } = vscode.LanguageStatusSeverity;
    const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
    const restarted = times(this.restarts);
    switch (this.state) {
      case 'starting':
        return this.set(this.crashes ? '$(sync~spin) Wirelens restarting' : '$(loading~spin) Wirelens starting', this.crashes ? Warning : Information, this.crashes ? `The language server stopped unexpectedly (${times(this.crashes)}); restarting it. See the output` : 'Starting the language server', true);
      case 'failed':
        return this.set('$(error) Wirelens failed to start', Error, 'The language server could not start; see the output');
      case 'stopped':
        return this.set('$(error) Wirelens stopped', Error, this.crashes ? `The language server stopped unexpectedly ${times(this.crashes)} and is no longer restarted; see the output` : 'The language server stopped; see the output');
      case 'running': {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        const reason = active === undefined ? undefined : this.skipped.get(active);
        if (reason !== undefined) return this.set('$(warning) Wirelens: this file is not analysed', Warning, `Not analysed: ${reason}`);
        if (this.restarts) return this.set(`$(pulse) Wirelens (restarted ×${this.restarts})`, Warning, `The language server stopped unexpectedly and was restarted ${restarted}; see the output`);
        return this.set('$(pulse) Wirelens', Information, 'Analysing networking calls');
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
