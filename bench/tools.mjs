// The comparison tooling for baseline (c): ESLint 9 with eslint-plugin-n and eslint-plugin-security
// (their recommended flat configs) and @typescript-eslint/parser for TypeScript files. Installed
// at pinned versions into bench/.cache/tools, apart from the project's node_modules, with a flat
// config written there by the bench.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { benchDir, cacheDir, corpusDir, installPinned } from './corpus.mjs';

export const toolsDir = join(cacheDir, 'tools');
export const eslintConfigPath = join(toolsDir, 'eslint.config.mjs');

export const TOOL_PACKAGES = {
  eslint: '9.39.5',
  'eslint-plugin-n': '18.5.0',
  'eslint-plugin-security': '4.1.0',
  '@typescript-eslint/parser': '8.73.0',
  // Peer dependencies of the parser and of eslint-plugin-n; the same TypeScript the project uses.
  typescript: '5.9.3',
  'ts-declaration-location': '1.0.7',
};

// The corpus lives under node_modules, which ESLint ignores by default: un-ignore it, or ESLint
// would skip every file and look very fast. Each .js file is parsed as Node would load it: as an ES
// module where the nearest package.json says "type": "module", as CommonJS elsewhere (the same
// split eslint-plugin-n's flat/recommended makes, but per package instead of once for the folder
// ESLint runs in). A file parsed the wrong way fails with a fatal parse error and costs almost
// nothing, which would flatter ESLint. TypeScript sources go through @typescript-eslint/parser
// (syntax only, no type information: Wirelens never type-checks either).
function flatConfig(scopes, overrides) {
  return `// Written by bench/tools.mjs: the ESLint configuration baseline (c) runs with.
import n from 'eslint-plugin-n';
import security from 'eslint-plugin-security';
import tsParser from '@typescript-eslint/parser';

// Folders (relative to the corpus) whose nearest package.json sets "type", shallowest first,
// so a nested package.json overrides its parent's as it does for Node.
const packageScopes = ${JSON.stringify(scopes, null, 2)};

const script = n.configs['flat/recommended-script'];
const esm = n.configs['flat/recommended-module'];

// .js files whose syntax says otherwise than their package.json (ESM in a CommonJS package, as
// bundler-oriented dist/esm folders often are), found by parsing them both ways the way Node's
// module syntax detection decides.
const detected = ${JSON.stringify(overrides, null, 2)};

export default [
  { ignores: ['!**/node_modules/'] },
  { files: ['**/*.js', '**/*.cjs', '**/*.cts'], ...script },
  ...packageScopes.map(({ dir, type }) => ({ files: [dir + '/**/*.js'], ...(type === 'module' ? esm : script) })),
  ...(detected.module.length ? [{ files: detected.module, ...esm }] : []),
  ...(detected.commonjs.length ? [{ files: detected.commonjs, ...script }] : []),
  { files: ['**/*.mjs', '**/*.ts', '**/*.mts'], ...esm },
  security.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    languageOptions: { parser: tsParser },
  },
];
`;
}

/** Every folder in the corpus whose package.json sets "type", shallowest first. */
function packageScopes(root) {
  const scopes = [];
  const visit = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin') continue;
      const sub = dir ? `${dir}/${entry.name}` : entry.name;
      const manifest = join(root, sub, 'package.json');
      if (existsSync(manifest)) {
        try {
          const { type } = JSON.parse(readFileSync(manifest, 'utf8'));
          if (type === 'module' || type === 'commonjs') scopes.push({ dir: sub, type });
        } catch {
          // A malformed or template package.json: Node would not honour it either.
        }
      }
      visit(sub);
    }
  };
  visit('node_modules');
  // Sort by depth; stable for equal depths, so the walk's order breaks ties.
  return scopes.sort((a, b) => a.dir.split('/').length - b.dir.split('/').length);
}

/** The type a .js file gets from its nearest package.json (scopes are shallowest first). */
function scopeTypeOf(relPath, scopes) {
  let type = 'commonjs';
  for (const s of scopes) if (relPath.startsWith(s.dir + '/')) type = s.type;
  return type;
}

/**
 * .js files that only parse the other way (module vs CommonJS) than their package scope says,
 * as glob patterns relative to the corpus: a whole folder's `*.js` when every .js file there is
 * affected, single files otherwise. Files that parse neither way are left alone (real syntax errors
 * or non-standard syntax; reported by the ESLint pass).
 */
function detectModuleSyntax(corpusFiles, scopes) {
  const espree = createRequire(join(toolsDir, 'package.json'))('espree');
  const parses = (text, sourceType) => {
    try {
      espree.parse(text, { ecmaVersion: 'latest', sourceType, ecmaFeatures: { globalReturn: sourceType === 'commonjs' } });
      return true;
    } catch {
      return false;
    }
  };
  const flips = { module: new Map(), commonjs: new Map() };
  const jsPerDir = new Map();
  for (const { path } of corpusFiles) {
    if (!path.endsWith('.js')) continue;
    const rel = relative(corpusDir, path);
    const dir = dirname(rel);
    jsPerDir.set(dir, (jsPerDir.get(dir) ?? 0) + 1);
    const declared = scopeTypeOf(rel, scopes);
    const other = declared === 'module' ? 'commonjs' : 'module';
    const text = readFileSync(path, 'utf8');
    if (parses(text, declared) || !parses(text, other)) continue;
    const byDir = flips[other];
    byDir.set(dir, [...(byDir.get(dir) ?? []), rel]);
  }
  const patterns = (byDir) => [...byDir].flatMap(([dir, rels]) => (rels.length === jsPerDir.get(dir) ? [`${dir}/*.js`] : rels)).sort();
  return { module: patterns(flips.module), commonjs: patterns(flips.commonjs) };
}

/** Installs the tools and writes the flat config for the corpus files given. */
export function ensureTools(corpusFiles) {
  const installed = installPinned(toolsDir, TOOL_PACKAGES, join(benchDir, 'tools.package-lock.json'), 'tools');
  const scopes = packageScopes(corpusDir);
  // Parsing every .js file twice takes a few seconds: cache the result per corpus lockfile and file list.
  const key = createHash('sha256').update(readFileSync(join(corpusDir, 'package-lock.json'))).update(corpusFiles.map((f) => f.path).join('\n')).digest('hex');
  const cachePath = join(toolsDir, 'module-detection.json');
  let overrides;
  if (existsSync(cachePath)) {
    const cached = JSON.parse(readFileSync(cachePath, 'utf8'));
    if (cached.key === key) overrides = cached.overrides;
  }
  if (!overrides) {
    overrides = detectModuleSyntax(corpusFiles, scopes);
    writeFileSync(cachePath, JSON.stringify({ key, overrides }));
  }
  writeFileSync(eslintConfigPath, flatConfig(scopes, overrides));
  return installed;
}
