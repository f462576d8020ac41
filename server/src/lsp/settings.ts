// Per-document settings: the `wirelens` section from the client (scoped to the document), plus
// the Node version from the nearest package.json's `engines.node` when the user set none.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig, type RawSettings } from '../analysis/config';
import { parseNodeMajor } from '../analysis/config';
import type { AnalysisConfig } from '../analysis/types';
import { RULE_IDS } from '../rules';
import { DEFAULT_LESSONS_BASE_URL } from '../lessons/links';
import { readRegularFile } from './regularFile';

export interface ServerSettings {
  analysis: AnalysisConfig;
  lessonsBaseUrl: string;
  maxFileBytes: number;
  problems: string[];
}

const engineCache = new Map<string, number | undefined>();

/** `engines.node` of the nearest package.json above a file: URI (none for virtual documents). */
export function enginesNodeMajor(uri: string): number | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let dir: string;
  try {
    dir = path.dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
  const visited: string[] = [];
  for (let i = 0; i < 40; i++) {
    if (engineCache.has(dir)) {
      const v = engineCache.get(dir);
      for (const d of visited) engineCache.set(d, v);
      return v;
    }
    visited.push(dir);
    const pkg = path.join(dir, 'package.json');
    let found: number | undefined;
    let stop = false;
    try {
      const json = JSON.parse(readRegularFile(pkg)) as { engines?: { node?: unknown } };
      stop = true;
      if (typeof json.engines?.node === 'string') found = parseNodeMajor(json.engines.node);
    } catch {
      // no package.json here (or unreadable): keep walking up
    }
    if (stop) {
      for (const d of visited) engineCache.set(d, found);
      return found;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of visited) engineCache.set(d, undefined);
  return undefined;
}

export function clearEngineCache(): void {
  engineCache.clear();
}

export function toServerSettings(raw: unknown, uri: string): ServerSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as RawSettings & { lessonsBaseUrl?: unknown; maxFileBytes?: unknown };
  const { config, problems } = resolveConfig(section, RULE_IDS, enginesNodeMajor(uri));
  let lessonsBaseUrl = DEFAULT_LESSONS_BASE_URL;
  if (typeof section.lessonsBaseUrl === 'string' && section.lessonsBaseUrl !== '') {
    if (/^https?:\/\//.test(section.lessonsBaseUrl)) lessonsBaseUrl = section.lessonsBaseUrl;
    else problems.push(`wirelens.lessonsBaseUrl must be an http(s) URL (got ${JSON.stringify(section.lessonsBaseUrl)}); using ${DEFAULT_LESSONS_BASE_URL}.`);
  }
  let maxFileBytes = 1_000_000;
  if (section.maxFileBytes !== undefined && section.maxFileBytes !== null) {
    if (typeof section.maxFileBytes === 'number' && section.maxFileBytes > 0) maxFileBytes = section.maxFileBytes;
    else problems.push(`wirelens.maxFileBytes must be a positive number of bytes (got ${JSON.stringify(section.maxFileBytes)}); using 1000000.`);
  }
  return { analysis: config, lessonsBaseUrl, maxFileBytes, problems };
}
