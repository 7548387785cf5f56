// The packaged-layout check (scripts/package-layout.check.ts): apart from the unit suite because it
// needs the build (`npm run build`) and builds a package, so `npm test` runs it after the build.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/package-layout.check.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
