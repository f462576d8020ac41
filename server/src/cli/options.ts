// Validation of the options `check` and `explain` share. Each failure is a usage error whose
// message says what a valid value looks like.
import { parseNodeMajor, SEVERITY_SETTINGS } from '../analysis/config';
import type { SeveritySetting } from '../analysis/types';
import { RULE_IDS } from '../rules';
import { flag, UsageError, type FlagSpec, type ParsedArgs } from './args';
import type { CliOverrides } from './config';

export const SETTINGS_FLAGS: Record<string, FlagSpec> = {
  rtt: { value: true },
  node: { value: true },
  rule: { value: true, repeatable: true },
  config: { value: true },
  help: { value: false, short: 'h' },
};

export function parseRtt(value: string): number {
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 10_000) {
    throw new UsageError(`--rtt must be a round-trip time in milliseconds, greater than 0 and at most 10000 (got ${JSON.stringify(value)})`);
  }
  return n;
}

export function parseNode(value: string): number {
  const major = /^\s*v?\d+(\.\d+){0,2}\s*$/.test(value) ? parseNodeMajor(value) : undefined;
  if (major === undefined) throw new UsageError(`--node must be a Node.js version such as 20 or 22.4 (got ${JSON.stringify(value)})`);
  return major;
}

export function parseRuleOverride(value: string): [string, SeveritySetting] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--rule must look like <rule-id>=<severity>, e.g. outbound-request-without-timeout=off (got ${JSON.stringify(value)})`);
  const id = value.slice(0, eq).trim();
  const severity = value.slice(eq + 1).trim();
  if (!RULE_IDS.includes(id)) throw new UsageError(`--rule: unknown rule "${id}"; known rules: ${RULE_IDS.join(', ')}`);
  if (!SEVERITY_SETTINGS.includes(severity as SeveritySetting)) {
    throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITY_SETTINGS.join(', ')} (got ${JSON.stringify(severity)})`);
  }
  return [id, severity as SeveritySetting];
}

export function overridesFrom(args: ParsedArgs): CliOverrides {
  const rtt = flag(args, 'rtt');
  const node = flag(args, 'node');
  const rules: Record<string, SeveritySetting> = {};
  for (const r of args.flags.get('rule') ?? []) {
    const [id, severity] = parseRuleOverride(r);
    rules[id] = severity;
  }
  return {
    ...(rtt !== undefined ? { rttMs: parseRtt(rtt) } : {}),
    ...(node !== undefined ? { nodeMajor: parseNode(node) } : {}),
    rules,
    ...(flag(args, 'config') !== undefined ? { configFile: flag(args, 'config') } : {}),
  };
}
