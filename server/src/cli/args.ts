// Command-line parsing: `--flag value`, `--flag=value`, repeatable flags, `--` to end options.
// Unknown flags and missing values are usage errors with a message that says what to do.

export interface FlagSpec {
  /** True when the flag takes a value. */
  value: boolean;
  /** True when the flag may be given more than once (values are collected). */
  repeatable?: boolean;
  /** Single-letter alias, without the dash. */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Flag name (without dashes) → values (`'true'` for switches). */
  flags: Map<string, string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const byShort = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([name, s]) => [s.short as string, name]));
  const set = (name: string, value: string) => {
    const spec = specs[name];
    const values = flags.get(name) ?? [];
    if (values.length > 0 && !spec.repeatable && spec.value) throw new UsageError(`--${name} was given more than once`);
    flags.set(name, spec.repeatable ? [...values, value] : [value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const spec = specs[name];
      if (!spec) {
        // `--no-color` style negations of switches.
        if (name.startsWith('no-') && specs[name.slice(3)] && !specs[name.slice(3)].value && eq < 0) {
          flags.set(name.slice(3), ['false']);
          continue;
        }
        throw new UsageError(`unknown option --${name}`);
      }
      if (!spec.value) {
        if (eq >= 0) throw new UsageError(`--${name} does not take a value`);
        set(name, 'true');
        continue;
      }
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      set(name, value);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const name = byShort.get(arg.slice(1));
      if (!name) throw new UsageError(`unknown option ${arg}`);
      const spec = specs[name];
      if (!spec.value) {
        set(name, 'true');
        continue;
      }
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      set(name, argv[++i]);
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function switchOn(args: ParsedArgs, name: string): boolean | undefined {
  const v = flag(args, name);
  return v === undefined ? undefined : v === 'true';
}
