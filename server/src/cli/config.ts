// Settings for the CLI: the same settings as the editor (`wirelens.*`), read from `wirelens.json`
// or the `"wirelens"` key of package.json in the file's folder or the nearest folder above it, up
// to the git root. The Node version falls back to `engines.node` of the nearest package.json, then
// to the running Node. Command-line flags override the file. Bad values are reported as warnings
// that name the file and the setting, and the defaults apply.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNodeMajor, resolveConfig, type RawSettings } from '../analysis/config';
import type { AnalysisConfig, SeveritySetting } from '../analysis/types';
import { RULE_IDS } from '../rules';
import { compileGlobs } from './glob';
import { DEFAULT_LESSONS_BASE_URL, isValidLessonsBaseUrl } from './lessonUrl';
import { readRegularFile } from '../lsp/regularFile';

export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

const KNOWN_KEYS = new Set(['$schema', 'rttMs', 'nodeVersion', 'loadBalancerIdleTimeoutMs', 'rules', 'exclude', 'lessonsBaseUrl', 'maxFileBytes']);

/** What the command line says; undefined means "not given". */
export interface CliOverrides {
  rttMs?: number;
  nodeMajor?: number;
  rules: Record<string, SeveritySetting>;
  /** An explicit settings file (`--config`): used for every file instead of the search. */
  configFile?: string;
}

export interface FileSettings {
  analysis: AnalysisConfig;
  /** True when the path (relative to the settings folder) is excluded by `exclude`. */
  isExcluded(absolutePath: string): boolean;
  lessonsBaseUrl: string;
  maxFileBytes: number;
  /** Where the settings came from, for messages: `examples/wirelens.json`, or undefined for defaults. */
  source?: string;
}

interface SettingsSource {
  /** The settings file, or undefined when none was found (defaults). */
  file?: string;
  /** The folder exclude globs are relative to. */
  dir: string;
  raw: Record<string, unknown>;
  /** How to name the settings in messages (`wirelens.json`, `package.json "wirelens"`). */
  label: string;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

export class SettingsResolver {
  private readonly sourceByDir = new Map<string, SettingsSource>();
  private readonly settingsBySource = new Map<SettingsSource, Omit<FileSettings, 'analysis'>>();
  private readonly enginesByDir = new Map<string, number | undefined>();
  private readonly resolvedByKey = new Map<string, FileSettings>();
  private explicit?: SettingsSource;

  constructor(
    private readonly overrides: CliOverrides,
    private readonly cwd: string,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Loads an explicit `--config` file. Returns an error message when it cannot be used (a usage
   * error: the user named it, so silently falling back to defaults would hide the mistake).
   */
  loadExplicit(file: string): string | undefined {
    const abs = path.resolve(this.cwd, file);
    const loaded = this.readSettingsFile(abs, path.basename(abs) === 'package.json');
    if (typeof loaded === 'string') return loaded;
    if (!loaded) return `${file} has no "wirelens" settings`;
    this.explicit = loaded;
    return undefined;
  }

  /** The settings that apply to one file. */
  forFile(absolutePath: string): FileSettings {
    const dir = path.dirname(absolutePath);
    const source = this.explicit ?? this.findSource(dir);
    const engines = this.enginesNodeMajor(dir);
    const key = `${source.file ?? source.dir}\0${engines ?? ''}`;
    let resolved = this.resolvedByKey.get(key);
    if (!resolved) {
      resolved = this.resolve(source, engines);
      this.resolvedByKey.set(key, resolved);
    }
    return resolved;
  }

  private resolve(source: SettingsSource, enginesMajor: number | undefined): FileSettings {
    const { config, problems } = resolveConfig(source.raw as RawSettings, RULE_IDS, enginesMajor);
    const where = source.file ? this.display(source.file) : undefined;
    let shared = this.settingsBySource.get(source);
    if (!shared) {
      const extraProblems: string[] = [];
      for (const key of Object.keys(source.raw)) {
        if (!KNOWN_KEYS.has(key)) extraProblems.push(`unknown setting "${key}" (known: ${[...KNOWN_KEYS].filter((k) => k !== '$schema').join(', ')}); ignoring it.`);
      }
      let lessonsBaseUrl = DEFAULT_LESSONS_BASE_URL;
      const base = source.raw.lessonsBaseUrl;
      if (base !== undefined && base !== null && base !== '') {
        if (typeof base === 'string' && isValidLessonsBaseUrl(base)) lessonsBaseUrl = base;
        else extraProblems.push(`wirelens.lessonsBaseUrl must be an http(s) URL (got ${JSON.stringify(base)}); using ${DEFAULT_LESSONS_BASE_URL}.`);
      }
      let maxFileBytes = DEFAULT_MAX_FILE_BYTES;
      const max = source.raw.maxFileBytes;
      if (max !== undefined && max !== null) {
        if (typeof max === 'number' && Number.isFinite(max) && max > 0) maxFileBytes = max;
        else extraProblems.push(`wirelens.maxFileBytes must be a positive number of bytes (got ${JSON.stringify(max)}); using ${DEFAULT_MAX_FILE_BYTES}.`);
      }
      let patterns: string[] = [];
      const exclude = source.raw.exclude;
      if (exclude !== undefined && exclude !== null) {
        if (Array.isArray(exclude) && exclude.every((p) => typeof p === 'string')) patterns = exclude as string[];
        else extraProblems.push('wirelens.exclude must be an array of glob strings; ignoring it.');
      }
      const excluded = compileGlobs(patterns, (pattern, problem) => extraProblems.push(`wirelens.exclude: the pattern ${JSON.stringify(pattern)} ${problem}; ignoring it.`));
      const dir = source.dir;
      shared = {
        isExcluded: (abs: string) => {
          const rel = path.relative(dir, abs);
          if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
          return excluded(toPosix(rel));
        },
        lessonsBaseUrl,
        maxFileBytes,
        source: where,
      };
      this.settingsBySource.set(source, shared);
      // Each settings file's problems are reported once, however many files it applies to.
      const prefix = source.file && path.basename(source.file) === 'package.json' ? `${where} ("wirelens" key)` : where ?? 'settings';
      for (const p of [...problems, ...extraProblems]) this.warn(`${prefix}: ${p}`);
    }
    const analysis: AnalysisConfig = { ...config, rules: { ...config.rules, ...this.overrides.rules } };
    if (this.overrides.rttMs !== undefined) analysis.rttMs = this.overrides.rttMs;
    if (this.overrides.nodeMajor !== undefined) analysis.nodeMajor = this.overrides.nodeMajor;
    return { analysis, isExcluded: shared.isExcluded, lessonsBaseUrl: shared.lessonsBaseUrl, maxFileBytes: shared.maxFileBytes, source: shared.source };
  }

  /** The nearest settings from `dir` upwards, stopping after the git root (or the filesystem root). */
  private findSource(dir: string): SettingsSource {
    const visited: string[] = [];
    let current = dir;
    let found: SettingsSource | undefined;
    for (;;) {
      const cached = this.sourceByDir.get(current);
      if (cached) {
        found = cached;
        break;
      }
      visited.push(current);
      const fromWirelensJson = this.readSettingsFile(path.join(current, 'wirelens.json'), false);
      const fromFile = fromWirelensJson ?? this.readSettingsFile(path.join(current, 'package.json'), true);
      if (typeof fromFile === 'string') {
        // A settings file that is there but broken: say so and use the defaults (the message says
        // that too) rather than silently picking up settings from further up.
        this.warn(fromFile);
        found = { dir: current, raw: {}, label: 'defaults' };
        break;
      }
      if (fromFile) {
        found = fromFile;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current || fs.existsSync(path.join(current, '.git'))) break;
      current = parent;
    }
    found ??= { dir, raw: {}, label: 'defaults' };
    for (const d of visited) this.sourceByDir.set(d, found);
    return found;
  }

  /**
   * Reads `wirelens.json` (the whole object) or package.json's `"wirelens"` key. Undefined when the
   * file is absent (or a package.json without the key); a message when it is unusable.
   */
  private readSettingsFile(file: string, packageJson: boolean): SettingsSource | string | undefined {
    let text: string;
    try {
      text = readRegularFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || (packageJson && code === 'ENOTREG')) return undefined;
      return `${this.display(file)}: cannot read settings (${(err as Error).message}); using defaults.`;
    }
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      // A broken package.json is someone else's problem unless it is the settings file.
      if (packageJson) return undefined;
      return `${this.display(file)}: not valid JSON (${(err as Error).message}); using defaults.`;
    }
    const raw = packageJson ? (json as { wirelens?: unknown } | null)?.wirelens : json;
    if (raw === undefined) return undefined;
    const label = packageJson ? 'package.json "wirelens"' : 'wirelens.json';
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return `${this.display(file)}: ${packageJson ? 'the "wirelens" key' : 'the settings'} must be an object; using defaults.`;
    }
    return { file, dir: path.dirname(file), raw: raw as Record<string, unknown>, label };
  }

  /** `engines.node` of the nearest package.json above `dir` (the first package.json found decides). */
  private enginesNodeMajor(dir: string): number | undefined {
    const visited: string[] = [];
    let current = dir;
    let result: number | undefined;
    for (;;) {
      if (this.enginesByDir.has(current)) {
        result = this.enginesByDir.get(current);
        break;
      }
      visited.push(current);
      let json: { engines?: { node?: unknown } } | undefined;
      try {
        json = JSON.parse(readRegularFile(path.join(current, 'package.json')).replace(/^\uFEFF/, '')) as typeof json;
      } catch {
        json = undefined;
      }
      if (json && typeof json === 'object') {
        result = typeof json.engines?.node === 'string' ? parseNodeMajor(json.engines.node) : undefined;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const d of visited) this.enginesByDir.set(d, result);
    return result;
  }

  private display(file: string): string {
    const rel = path.relative(this.cwd, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? toPosix(rel) : file;
  }
}
