// The capture viewer's HTML document: a strict policy (nothing but our nonce'd script, and styles and
// images from the extension), one stylesheet per entry of `styleUris`, and an empty shell the script
// fills from the host's messages. The same builder serves the VS Code webview and the browser test,
// so both run the same markup under the same policy as the lesson panel (html.ts). Kept free of VS Code
// imports for that reason.
import { contentSecurityPolicy, escapeHtml } from '../../../server/src/lessons/html';

export interface CapturePageOptions {
  /** `webview.cspSource` in VS Code; the test server's origin in the browser test. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUris: readonly string[];
  /** The file's name, for the document title. */
  title: string;
}

export function renderCapturePage(options: CapturePageOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} — Wirelens capture</title>
${options.styleUris.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
</head>
<body class="wl-capture">
<main id="capture" class="wl-cap" aria-busy="true">
<p class="wl-cap-status" role="status">Reading the capture…</p>
</main>
<script nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
