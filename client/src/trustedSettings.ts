// Settings in Restricted Mode. The manifest lists, under capabilities.untrustedWorkspaces
// .restrictedConfigurations, the settings a workspace must not choose while it is untrusted:
// `wirelens.lessonsBaseUrl` (where every diagnostic's "more" link sends the user) and
// `wirelens.maxFileBytes` (the limit that keeps the server away from a checkout's huge files).
// VS Code already hides workspace values of restricted settings from extensions; this module applies
// the same rule again to what the client sends the server, so a host that does not (an older VS Code,
// a fork) cannot let a workspace pick them either. No `vscode` import: the logic is unit-tested alone.

/** What `WorkspaceConfiguration.inspect(key)` reports (the levels this module reads). */
export interface SettingInspection {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  globalLanguageValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

/**
 * The keys (relative to `section`) the manifest restricts in untrusted workspaces, e.g.
 * `['lessonsBaseUrl', 'maxFileBytes']` for `wirelens`. Read from the manifest so there is one list.
 */
export function restrictedKeys(manifest: unknown, section: string): string[] {
  const capabilities = (manifest as { capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: unknown } } } | undefined)?.capabilities;
  const listed = capabilities?.untrustedWorkspaces?.restrictedConfigurations;
  if (!Array.isArray(listed)) return [];
  const prefix = `${section}.`;
  return listed.filter((k): k is string => typeof k === 'string' && k.startsWith(prefix)).map((k) => k.slice(prefix.length));
}

/** The value the user chose (user settings, language-specific first); undefined when only the workspace or the default has one. */
export function userLevelValue(inspection: SettingInspection | undefined): unknown {
  if (!inspection) return undefined;
  return inspection.globalLanguageValue !== undefined ? inspection.globalLanguageValue : inspection.globalValue;
}

/** True when the workspace (or a folder of it) sets the key: in Restricted Mode that value is not used. */
export function setByWorkspace(inspection: SettingInspection | undefined): boolean {
  if (!inspection) return false;
  return [inspection.workspaceValue, inspection.workspaceFolderValue, inspection.workspaceLanguageValue, inspection.workspaceFolderLanguageValue].some((v) => v !== undefined);
}

export interface TrustContext {
  trusted: boolean;
  /** Keys of the section that only user settings may set while the workspace is untrusted. */
  restricted: readonly string[];
  inspect(key: string): SettingInspection | undefined;
}

/**
 * The section as the server should see it. Trusted: unchanged. Untrusted: each restricted key takes
 * the user's value, or is left out (the server then applies its default); other keys are kept, since
 * they are numbers, globs and severities that cannot make anything run or send the user anywhere.
 */
export function applyWorkspaceTrust(section: unknown, trust: TrustContext): unknown {
  if (trust.trusted || !section || typeof section !== 'object' || Array.isArray(section)) return section;
  const out: Record<string, unknown> = { ...(section as Record<string, unknown>) };
  for (const key of trust.restricted) {
    const user = userLevelValue(trust.inspect(key));
    if (user === undefined) delete out[key];
    else out[key] = user;
  }
  return out;
}

/** The restricted keys a workspace tries to set (to say, once, that they are ignored until it is trusted). */
export function ignoredWorkspaceKeys(trust: TrustContext): string[] {
  if (trust.trusted) return [];
  return trust.restricted.filter((key) => setByWorkspace(trust.inspect(key)));
}
