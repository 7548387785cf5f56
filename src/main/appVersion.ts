// The running Paddock's version, from package.json (bundled in by esbuild / Vite, so the packaged
// app does not read package.json at run time). Written into every schema_migrations row.
import pkg from '../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;
