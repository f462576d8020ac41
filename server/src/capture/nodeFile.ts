// Node-only: read a capture file from disk as a stream (1 MiB chunks) so memory stays bounded however
// large the file is. Kept apart from the rest of server/src/capture, which also bundles for the browser.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CaptureAnalysis } from './analysisTypes';
import { createPipeline, emptyAnalysis, failedFileInfo, finishSafely, type CaptureOptions } from './api';
import { captureSummary, type CaptureSummary } from './summary';

export async function analyzeCaptureFile(path: string, options: CaptureOptions = {}): Promise<CaptureAnalysis> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return emptyAnalysis(failedFileInfo(`cannot read ${path}: not a regular file`));
  } catch (error) {
    return emptyAnalysis(failedFileInfo(`cannot read ${path}: ${describe(error)}`));
  }
  const { reader, analyzer } = createPipeline(options);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      if (!reader.push(chunk as Uint8Array)) break;
    }
  } catch (error) {
    reader.abort(`cannot read ${path}: ${describe(error)}`);
  }
  return finishSafely(reader, analyzer);
}

export interface CaptureFileSummary {
  /** The `wirelens capture --format json` document. */
  summary: CaptureSummary;
  /** Everything the analysis found (conversations with TCP details, app hints, file facts). */
  analysis: CaptureAnalysis;
  /** Why reading stopped early or could not start (null when the whole file was read). */
  error: string | null;
  warnings: string[];
}

/**
 * Summarises a capture file for the CLI: never rejects; problems come back in `error`/`warnings`.
 * Packet rows are not kept (only the summary is needed), so memory stays flat on large files.
 */
export async function summarizeCaptureFile(path: string, options: CaptureOptions = {}): Promise<CaptureFileSummary> {
  const analysis = await analyzeCaptureFile(path, { ...options, limits: { maxRowsPerConversation: 0, ...options.limits } });
  return { summary: captureSummary(analysis), analysis, error: analysis.error, warnings: analysis.warnings };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
