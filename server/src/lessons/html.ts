// What every Wirelens webview page (lesson panel, static site, capture viewer) shares: escaping of
// text put into HTML, and the content security policy. No imports, so the capture viewer's bundle can
// use it without the lesson renderer.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * No inline script or style, no remote content, no connections: scripts only with the page's nonce
 * (or, on the static site without one, from the site itself), styles, images and fonts only from
 * `cspSource` (the webview's resource origin, or the site).
 */
export function contentSecurityPolicy(cspSource: string, nonce?: string): string {
  const scripts = nonce ? `'nonce-${nonce}'` : cspSource;
  return [`default-src 'none'`, `script-src ${scripts}`, `style-src ${cspSource}`, `img-src ${cspSource} data:`, `font-src ${cspSource}`].join('; ');
}
