// Entry points that need no Node APIs (they also run in the webview): analyse a capture held in memory
// or arriving as chunks (a Blob stream, a fetch body). Errors come back in `analysis.error`, never thrown.

import type { CaptureAnalysis } from './analysisTypes';
import { CaptureAnalyzer, type AnalyzerOptions } from './analyzer';
import { emptyFileInfo, type CaptureFileInfo, type ReaderLimits } from './fileTypes';
import { CaptureReader } from './reader';

export interface CaptureOptions extends AnalyzerOptions {
  reader?: Partial<ReaderLimits>;
  /** Chunk size used when slicing an in-memory capture (default 1 MiB). */
  chunkBytes?: number;
}

export function createPipeline(options: CaptureOptions = {}): { reader: CaptureReader; analyzer: CaptureAnalyzer } {
  const analyzer = new CaptureAnalyzer(options);
  const reader = new CaptureReader({ onRecord: (record) => analyzer.addRecord(record) }, options.reader);
  return { reader, analyzer };
}

export function analyzeCapture(bytes: Uint8Array, options: CaptureOptions = {}): CaptureAnalysis {
  const { reader, analyzer } = createPipeline(options);
  const step = Math.max(1, options.chunkBytes ?? 1 << 20);
  for (let at = 0; at < bytes.length; at += step) {
    if (!reader.push(bytes.subarray(at, at + step))) break;
  }
  return finishSafely(reader, analyzer);
}

export async function analyzeCaptureChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: CaptureOptions = {}): Promise<CaptureAnalysis> {
  const { reader, analyzer } = createPipeline(options);
  try {
    for await (const chunk of chunks) {
      if (!reader.push(chunk)) break;
    }
  } catch (error) {
    reader.abort(`cannot read the capture: ${error instanceof Error ? error.message : String(error)}`);
  }
  return finishSafely(reader, analyzer);
}

/** File-level facts only (sections, interfaces, block counts, packet count): no packet decoding. */
export function readCaptureInfo(bytes: Uint8Array, limits: Partial<ReaderLimits> = {}): CaptureFileInfo {
  const reader = new CaptureReader({}, limits);
  reader.push(bytes);
  return reader.end();
}

export function finishSafely(reader: CaptureReader, analyzer: CaptureAnalyzer): CaptureAnalysis {
  const file = reader.end();
  try {
    return analyzer.finish(file);
  } catch (error) {
    return emptyAnalysis({ ...file, error: file.error ?? `internal error while summarising: ${error instanceof Error ? error.message : String(error)}` });
  }
}

export function emptyAnalysis(file: CaptureFileInfo): CaptureAnalysis {
  return {
    file,
    packets: file.packets,
    durationMs: 0,
    conversations: [],
    otherPackets: 0,
    otherKinds: {},
    malformedPackets: 0,
    warnings: file.warnings,
    error: file.error,
  };
}

export function failedFileInfo(message: string): CaptureFileInfo {
  return emptyFileInfo(message);
}
