// Settings shared by the editor and the CLI: defaults, and validation that names the bad setting
// and falls back to the default instead of failing.
import type { AnalysisConfig, SeveritySetting } from './types';

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

export function defaultConfig(): AnalysisConfig {
  return {
    rttMs: 50,
    nodeMajor: Number(process.versions.node.split('.')[0]) || 20,
    loadBalancerIdleTimeoutMs: 60_000,
    loadBalancerIdleTimeoutConfigured: false,
    rules: {},
  };
}

export interface RawSettings {
  rttMs?: unknown;
  nodeVersion?: unknown;
  loadBalancerIdleTimeoutMs?: unknown;
  rules?: unknown;
}

export interface ConfigResult {
  config: AnalysisConfig;
  /** Human-readable problems, each naming the setting (`wirelens.rttMs must be …`). */
  problems: string[];
}

/** Node major from `20`, `"v20.11.1"`, `">=18"`, `"^20 || ^22"` (the lowest major named). */
export function parseNodeMajor(value: string): number | undefined {
  const majors = [...value.matchAll(/(\d+)(?:\.\d+)*/g)].map((m) => Number(m[1])).filter((n) => n >= 4 && n < 100);
  return majors.length ? Math.min(...majors) : undefined;
}

export function resolveConfig(raw: RawSettings, knownRules: readonly string[], fallbackNodeMajor?: number): ConfigResult {
  const config = defaultConfig();
  if (fallbackNodeMajor) config.nodeMajor = fallbackNodeMajor;
  const problems: string[] = [];
  if (raw.rttMs !== undefined && raw.rttMs !== null) {
    if (typeof raw.rttMs === 'number' && Number.isFinite(raw.rttMs) && raw.rttMs > 0 && raw.rttMs <= 10_000) config.rttMs = raw.rttMs;
    else problems.push(`wirelens.rttMs must be a number of milliseconds between 0 and 10000 (got ${JSON.stringify(raw.rttMs)}); using ${config.rttMs}.`);
  }
  if (raw.nodeVersion !== undefined && raw.nodeVersion !== null && raw.nodeVersion !== '') {
    const major = typeof raw.nodeVersion === 'number' ? raw.nodeVersion : typeof raw.nodeVersion === 'string' ? parseNodeMajor(raw.nodeVersion) : undefined;
    if (major !== undefined && Number.isInteger(major) && major >= 4 && major < 100) config.nodeMajor = major;
    else problems.push(`wirelens.nodeVersion must be a Node version such as "20" or "22.4" (got ${JSON.stringify(raw.nodeVersion)}); using ${config.nodeMajor}.`);
  }
  if (raw.loadBalancerIdleTimeoutMs !== undefined && raw.loadBalancerIdleTimeoutMs !== null) {
    const v = raw.loadBalancerIdleTimeoutMs;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
      config.loadBalancerIdleTimeoutMs = v;
      config.loadBalancerIdleTimeoutConfigured = true;
    } else {
      problems.push(`wirelens.loadBalancerIdleTimeoutMs must be a positive number of milliseconds (got ${JSON.stringify(v)}); using ${config.loadBalancerIdleTimeoutMs}.`);
    }
  }
  if (raw.rules !== undefined && raw.rules !== null) {
    if (typeof raw.rules !== 'object' || Array.isArray(raw.rules)) {
      problems.push('wirelens.rules must be an object mapping rule ids to off, hint, info, warning or error; ignoring it.');
    } else {
      for (const [id, sev] of Object.entries(raw.rules as Record<string, unknown>)) {
        if (!knownRules.includes(id)) problems.push(`wirelens.rules: unknown rule "${id}"; ignoring it.`);
        else if (typeof sev !== 'string' || !SEVERITY_SETTINGS.includes(sev as SeveritySetting)) {
          problems.push(`wirelens.rules.${id} must be one of ${SEVERITY_SETTINGS.join(', ')} (got ${JSON.stringify(sev)}); using the rule's default.`);
        } else config.rules[id] = sev as SeveritySetting;
      }
    }
  }
  return { config, problems };
}
