// The package version, bundled in at build time (esbuild inlines the one JSON field used).
import { version } from '../../../package.json';

export const WIRELENS_VERSION: string = version;
export const WIRELENS_INFORMATION_URI = 'https://wirelens.dev/';
