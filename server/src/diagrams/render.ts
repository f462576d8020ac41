// Entry point of the renderer: any diagram document → SVG string, plus its text alternative.
// Pure string building: runs in Node (tests, site generation) and in the webview bundle alike.
import { renderHeaderSvg } from './render-header';
import { renderSequenceSvg } from './render-sequence';
import { renderStackSvg } from './render-stack';
import { DIAGRAM_CSS } from './styles';
import type { Diagram } from './types';

export { renderTable } from './table';

export interface RenderOptions {
  /** RTT in ms for sequence diagrams (the lesson's RTT control); default the document's `rtt` (else 50). */
  rtt?: number;
  /** Step-through for sequence diagrams: message N is current, earlier past, later dimmed; 0 = nothing sent yet. */
  step?: number;
  /** Fixed vertical scale (px per ms) for sequence diagrams, e.g. to keep one scale while the RTT changes. */
  pxPerMs?: number;
  /** Put DIAGRAM_CSS inside the SVG for standalone files (not in the webview: its CSP forbids inline styles). */
  embedStyles?: boolean;
  /** Prefix of the ids of <title>/<desc>; default the document id. Set it when one page shows a diagram twice. */
  idPrefix?: string;
}

export function renderSvg(diagram: Diagram, options: RenderOptions = {}): string {
  const common = { idPrefix: options.idPrefix, embeddedCss: options.embedStyles ? DIAGRAM_CSS : undefined };
  switch (diagram.kind) {
    case 'sequence':
      return renderSequenceSvg(diagram, { ...common, rtt: options.rtt, step: options.step, pxPerMs: options.pxPerMs });
    case 'header':
      return renderHeaderSvg(diagram, common);
    case 'stack':
      return renderStackSvg(diagram, common);
  }
}
