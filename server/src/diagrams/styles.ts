// The diagram stylesheet. Colours come only from theme variables (every VS Code theme colour is a
// `--vscode-*` variable; `charts.*` exist for exactly this), so light, dark and high-contrast themes all
// work; the fallbacks are for the static site. Ship this as a file for the webview: its CSP allows
// stylesheets from the extension only, not inline <style>. Contains no "<" (it may be put in CDATA).

const FG = 'var(--vscode-charts-foreground, var(--vscode-foreground, #424242))';
const LINES = 'var(--vscode-charts-lines, rgba(128, 128, 128, 0.6))';
const MUTED = 'var(--vscode-descriptionForeground, #717171)';
const BG = 'var(--vscode-editor-background, #ffffff)';
const COLORS = {
  red: 'var(--vscode-charts-red, #e51400)',
  blue: 'var(--vscode-charts-blue, #1a85ff)',
  yellow: 'var(--vscode-charts-yellow, #bf8803)',
  // Not the theme variable directly: see --wl-orange below.
  orange: 'var(--wl-orange)',
  green: 'var(--vscode-charts-green, #388a34)',
  purple: 'var(--vscode-charts-purple, #652d90)',
};

export const DIAGRAM_CSS = `
.wl-diagram { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: 12px; max-width: 100%; height: auto; --wl-color: ${FG};
  --wl-orange: var(--vscode-charts-orange, #b35900); }
/* VS Code's charts.orange is translucent (rgba(234, 92, 0, 0.33) in the default themes, 1.6:1 as a
   line on white): keep its hue, drop the alpha (3.5:1 on white, 4.7:1 on the dark editor). */
@supports (color: rgb(from red r g b / 1)) {
  .wl-diagram { --wl-orange: rgb(from var(--vscode-charts-orange, #b35900) r g b / 1); }
}
/* The high-contrast themes define no charts.orange at all: an opaque orange that keeps 3:1 (lines)
   against their background and stays apart from their yellow and red. */
body.vscode-high-contrast .wl-diagram { --wl-orange: #ffa657; }
body.vscode-high-contrast-light .wl-diagram { --wl-orange: #b35900; }
.wl-diagram text { fill: ${FG}; }
.wl-diagram .wl-host-addr, .wl-diagram .wl-time, .wl-diagram .wl-detail, .wl-diagram .wl-span-duration,
.wl-diagram .wl-phase-duration, .wl-diagram .wl-bit-number, .wl-diagram .wl-offset, .wl-diagram .wl-field-size,
.wl-diagram .wl-layer-note { fill: ${MUTED}; font-size: 10.5px; }
.wl-diagram .wl-chip-text, .wl-diagram .wl-bit-number { font-size: 10px; }
.wl-diagram .wl-time, .wl-diagram .wl-offset, .wl-diagram .wl-detail, .wl-diagram .wl-bit-number {
  font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-variant-numeric: tabular-nums; }

.wl-diagram .wl-lifeline { stroke: ${LINES}; stroke-width: 1; stroke-dasharray: 4 3; }
.wl-diagram .wl-lifeline-break { stroke: ${LINES}; stroke-width: 1.5; fill: none; }
.wl-diagram .wl-host-box { fill: ${BG}; stroke: ${LINES}; }
.wl-diagram .wl-host-name { font-weight: 600; }
.wl-diagram .wl-total { font-weight: 600; }

.wl-diagram .wl-phase-dns { --wl-color: ${COLORS.purple}; }
.wl-diagram .wl-phase-tcp { --wl-color: ${COLORS.blue}; }
.wl-diagram .wl-phase-tls { --wl-color: ${COLORS.green}; }
.wl-diagram .wl-phase-quic { --wl-color: ${COLORS.green}; }
.wl-diagram .wl-phase-request { --wl-color: ${COLORS.orange}; }
.wl-diagram .wl-phase-response { --wl-color: ${COLORS.yellow}; }
.wl-diagram .wl-phase-close { --wl-color: ${COLORS.red}; }
.wl-diagram .wl-lost { --wl-color: ${COLORS.red}; }

.wl-diagram .wl-arrow { stroke: var(--wl-color); stroke-width: 1.5; }
.wl-diagram .wl-arrowhead { fill: var(--wl-color); stroke: none; }
.wl-diagram .wl-retransmit .wl-arrow { stroke-dasharray: 7 4; }
.wl-diagram .wl-loss-mark { stroke: ${COLORS.red}; stroke-width: 2.5; fill: none; }
.wl-diagram .wl-label-bg { fill: ${BG}; fill-opacity: 0.88; stroke: none; }
.wl-diagram .wl-label-main { font-weight: 600; }
.wl-diagram .wl-chip { fill: none; stroke: var(--wl-color); }

.wl-diagram .wl-bracket { fill: none; stroke: var(--wl-color); stroke-width: 1.5; }
.wl-diagram .wl-span-rtt { --wl-color: ${COLORS.blue}; }
.wl-diagram .wl-span-handshake { --wl-color: ${COLORS.green}; }
.wl-diagram .wl-span-timer { --wl-color: ${COLORS.orange}; }
.wl-diagram .wl-span-idle { --wl-color: ${COLORS.purple}; }
.wl-diagram .wl-span-wait { --wl-color: ${COLORS.yellow}; }
.wl-diagram .wl-break-band { fill: ${LINES}; fill-opacity: 0.15; }
.wl-diagram .wl-break-text { font-style: italic; font-size: 10.5px; }

.wl-diagram .wl-phase-bar { fill: var(--wl-color); fill-opacity: 0.18; stroke: var(--wl-color); }
.wl-diagram .wl-phase-name { font-weight: 600; }
.wl-diagram .wl-state-bg { fill: ${BG}; stroke: ${COLORS.purple}; }
.wl-diagram .wl-state-text, .wl-diagram .wl-span-label, .wl-diagram .wl-wire-bytes { font-size: 10.5px; }
.wl-diagram .wl-note-text { font-size: 10.5px; font-style: italic; }
.wl-diagram .wl-note-dot { fill: ${FG}; }

.wl-diagram .wl-tick { stroke: ${LINES}; }
.wl-diagram .wl-tick-byte { stroke: ${FG}; }
.wl-diagram .wl-field-box { fill: ${BG}; stroke: ${FG}; stroke-width: 1; }
.wl-diagram .wl-field-var { stroke-dasharray: 5 3; }
.wl-diagram .wl-field:hover .wl-field-box { fill: var(--vscode-list-hoverBackground, rgba(128, 128, 128, 0.15)); }

.wl-diagram .wl-layer-0 { --wl-color: ${COLORS.blue}; }
.wl-diagram .wl-layer-1 { --wl-color: ${COLORS.green}; }
.wl-diagram .wl-layer-2 { --wl-color: ${COLORS.orange}; }
.wl-diagram .wl-layer-3 { --wl-color: ${COLORS.purple}; }
.wl-diagram .wl-layer-4 { --wl-color: ${COLORS.yellow}; }
.wl-diagram .wl-layer-5 { --wl-color: ${COLORS.red}; }
.wl-diagram .wl-layer-header, .wl-diagram .wl-layer-trailer, .wl-diagram .wl-wire-header, .wl-diagram .wl-wire-trailer {
  fill: var(--wl-color); fill-opacity: 0.25; stroke: var(--wl-color); }
.wl-diagram .wl-layer-carried { fill: none; stroke: var(--wl-color); stroke-dasharray: 4 3; }
.wl-diagram .wl-payload-box, .wl-diagram .wl-wire-payload { fill: ${FG}; fill-opacity: 0.12; stroke: ${FG}; }
.wl-diagram .wl-wire-summary { font-weight: 600; }

/* Step-through: past plain, current emphasised, future dimmed. */
.wl-diagram .wl-future { opacity: 0.28; }
.wl-diagram .wl-current .wl-arrow { stroke-width: 3; }
.wl-diagram .wl-current .wl-label-bg { stroke: var(--vscode-focusBorder, ${COLORS.blue}); stroke-width: 1.5; fill-opacity: 1; }
.wl-diagram .wl-current.wl-time { font-weight: 700; fill: ${FG}; }

/* High contrast: borders instead of tints, and dimming that stays readable. */
body.vscode-high-contrast .wl-diagram .wl-future, body.vscode-high-contrast-light .wl-diagram .wl-future { opacity: 0.55; }
body.vscode-high-contrast .wl-diagram .wl-future .wl-arrow { stroke-dasharray: 2 4; }
body.vscode-high-contrast .wl-diagram .wl-label-bg, body.vscode-high-contrast-light .wl-diagram .wl-label-bg {
  fill-opacity: 1; stroke: var(--vscode-contrastBorder, currentColor); stroke-width: 1; }
body.vscode-high-contrast .wl-diagram .wl-phase-bar, body.vscode-high-contrast-light .wl-diagram .wl-phase-bar { fill-opacity: 0; stroke-width: 2; }

/* Motion only for readers who have not asked for less of it. */
@media (prefers-reduced-motion: no-preference) {
  .wl-diagram [data-step] { transition: opacity 0.2s ease; }
}
body.vscode-reduce-motion .wl-diagram, body.vscode-reduce-motion .wl-diagram * { transition: none !important; animation: none !important; }

/* Byte view of one message. */
.wl-bytes h4 { margin: 0.4em 0; }
.wl-byte-ranges { list-style: none; padding: 0; margin: 0; font-size: 0.92em; }
.wl-byte-ranges li { padding: 0.15em 0; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.25)); }
.wl-byte-ranges .wl-offset { display: inline-block; min-width: 3.5em; text-align: end; color: ${MUTED}; font-family: var(--vscode-editor-font-family, monospace); }
.wl-byte-ranges .wl-hex { font-family: var(--vscode-editor-font-family, monospace); color: ${COLORS.blue}; }
.wl-byte-ranges .wl-field-name { font-weight: 600; }
.wl-byte-ranges .wl-size, .wl-byte-ranges .wl-note { color: ${MUTED}; }
.wl-byte-ranges li.wl-unlabelled .wl-field-name { font-weight: normal; font-style: italic; }

/* The text alternative. */
.wl-diagram-table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
.wl-diagram-table caption { text-align: start; font-weight: 600; padding-bottom: 0.3em; }
.wl-diagram-table th, .wl-diagram-table td {
  border: 1px solid var(--vscode-editorWidget-border, var(--vscode-contrastBorder, rgba(128, 128, 128, 0.35)));
  padding: 0.2em 0.5em; text-align: start; vertical-align: top; }
.wl-diagram-table td.wl-num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.wl-diagram-table tr.wl-lost-row td { color: var(--vscode-errorForeground, ${COLORS.red}); }
`;
