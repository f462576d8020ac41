// Parts of the client that activation does not need ship as bundles of their own in dist/ (see
// esbuild.mjs) and are required on first use: the capture viewer when a capture opens, the language
// client right after activate() returns. Activation then loads only the small dist/client.js.
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** Requires dist/<name>.js of the extension at `extensionPath` (Node caches it after the first call). */
export function requireBundle<T>(extensionPath: string, name: string): T {
  const file = path.join(extensionPath, 'dist', `${name}.js`);
  return createRequire(file)(file) as T;
}
