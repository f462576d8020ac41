// Regenerates test/lessons/fixtures/vscode-themes.json: the --vscode-* variables and body classes a
// real VS Code gives a webview in each default theme, read from the built-in Markdown preview (a
// webview) in code-server. The browser test applies them so the lesson page is checked under the
// exact colours (and the exact gaps: some theme colours are undefined in high contrast) it gets in
// VS Code. Needs the e2e toolchain (`bash .ci/setup-e2e.sh`). Run:
//   node --import tsx test/lessons/capture-vscode-themes.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeServer, RunDir, launchChromium, requireE2eTools } from '../e2e/setup';

const THEMES: Record<string, string> = {
  light: 'Default Light Modern',
  dark: 'Default Dark Modern',
  'high-contrast': 'Default High Contrast',
  'high-contrast-light': 'Default High Contrast Light',
};

interface CapturedTheme {
  kind: string;
  name: string;
  bodyClasses: string[];
  vars: Record<string, string>;
}

async function captureTheme(theme: string): Promise<CapturedTheme> {
  const tools = requireE2eTools();
  const run = new RunDir('themes');
  const workspace = path.join(run.root, 'ws');
  mkdirSync(workspace);
  writeFileSync(path.join(workspace, 'a.md'), '# Theme probe\n\ntext\n');
  const settingsFile = path.join(run.userData, 'User', 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, 'utf8')), 'workbench.colorTheme': theme }));
  const server = await CodeServer.start(tools, run);
  const context = await launchChromium(tools, run);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.workbenchUrl(workspace));
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'a.md' }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('a.md');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'a.md' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .monaco-editor').waitFor();
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Markdown: Open Preview to the Side');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Preview to the Side' }).first().waitFor();
    await page.keyboard.press('Enter');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('h1').waitFor({ timeout: 60_000 });
    return await frame.locator('html').evaluate((html) => {
      const vars: Record<string, string> = {};
      const style = (html as HTMLElement).style;
      for (let i = 0; i < style.length; i++) {
        const name = style.item(i);
        if (name.startsWith('--vscode-')) vars[name] = style.getPropertyValue(name).trim();
      }
      const body = document.body;
      return {
        kind: body.dataset.vscodeThemeKind ?? '',
        name: body.dataset.vscodeThemeName ?? '',
        bodyClasses: body.className.split(/\s+/).filter((c) => c.startsWith('vscode-') && c !== 'vscode-body'),
        vars,
      };
    });
  } finally {
    await context.close();
    await server.stop();
    run.remove();
  }
}

async function main(): Promise<void> {
  const themes: Record<string, CapturedTheme> = {};
  for (const [key, theme] of Object.entries(THEMES)) {
    themes[key] = await captureTheme(theme);
    console.log(`${key}: ${themes[key].name}, ${Object.keys(themes[key].vars).length} variables`);
  }
  const out = {
    source: 'Captured from the webview of VS Code 1.139.1 (code-server 4.139.1) with test/lessons/capture-vscode-themes.ts: the --vscode-* variables VS Code sets on a webview document, per default theme.',
    themes,
  };
  writeFileSync(path.join(__dirname, 'fixtures', 'vscode-themes.json'), `${JSON.stringify(out)}\n`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
