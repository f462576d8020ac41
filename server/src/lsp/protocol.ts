// Wirelens's own additions to LSP, shared by the server and the VS Code client (which imports this
// file: names only, no LSP library), so the two sides cannot drift apart.

/** Custom request: the lessons behind a document's calls (`api`) and findings (`rule`). */
export const FILE_LESSONS_REQUEST = 'wirelens/fileLessons';

export interface FileLesson {
  lesson: string;
  /** API of the call (`fetch`, `axios.get`) or, for a finding, the rule id in `rule`. */
  api?: string;
  rule?: string;
  /** 1-based line. */
  line: number;
}

/** Notification: a document is not analysed (over wirelens.maxFileBytes, or the analysis could not get through it). */
export const FILE_SKIPPED_NOTIFICATION = 'wirelens/fileSkipped';
export interface FileSkippedParams {
  uri: string;
  reason: string;
}

/** Notification: a document reported skipped is analysed again. */
export const FILE_ANALYSED_NOTIFICATION = 'wirelens/fileAnalysed';
export interface FileAnalysedParams {
  uri: string;
}
