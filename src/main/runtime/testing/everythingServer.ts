// Test-only: where the real reference MCP server (@modelcontextprotocol/server-everything, a
// devDependency) lives, to start it over stdio with `node <entry> stdio`.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const EVERYTHING_SERVER_ENTRY = path.join(path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');
