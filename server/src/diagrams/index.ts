// Public API of the diagram engine (docs/diagram-format.md §6).
export * from './types';
export { parseDiagram, validateDiagram, type ValidationResult } from './validate';
export { renderSvg, renderTable, type RenderOptions } from './render';
export { resolveSequence, DEFAULT_RTT_MS, DEFAULT_RTT_RANGE, type ResolvedSequence, type ResolvedMessage, type PhaseRun } from './timeline';
export { renderBytes, hexBytes, type BytesRenderOptions } from './bytes';
export { layoutHeader, type HeaderGeometry, type FieldSegment } from './render-header';
export { stackTotals, type StackTotals } from './render-stack';
export { findDiagramReferences, type DiagramReference } from './references';
export { parseTime, formatMs, type LinearTime } from './time';
export { DIAGRAM_CSS } from './styles';
