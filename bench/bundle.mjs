// Builds what baseline (b) measures: server/src/analysis/index.ts bundled with esbuild the way
// esbuild.mjs bundles the language server (CommonJS, node20, TypeScript compiler inside), into
// bench/.cache/analysis.cjs. Returns undefined when the analysis entry point does not exist yet.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './corpus.mjs';

export const analysisEntry = join(repoRoot, 'server/src/analysis/index.ts');
export const analysisBundle = join(cacheDir, 'analysis.cjs');

export async function buildAnalysisBundle() {
  if (!existsSync(analysisEntry)) return { bundle: undefined, reason: 'server/src/analysis/index.ts does not exist' };
  const esbuild = createRequire(join(repoRoot, 'package.json'))('esbuild');
  try {
    await esbuild.build({
      entryPoints: [analysisEntry],
      outfile: analysisBundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // The shipped server is minified (npm run package); so is what we time.
      minify: true,
      logLevel: 'silent',
    });
  } catch (err) {
    return { bundle: undefined, reason: `esbuild failed: ${err.message.split('\n')[0]}` };
  }
  const mod = createRequire(import.meta.url)(analysisBundle);
  if (typeof mod.analyzeText !== 'function') return { bundle: undefined, reason: 'server/src/analysis/index.ts exports no analyzeText' };
  return { bundle: analysisBundle, reason: undefined };
}
