import { describe, expect, it } from 'vitest';
import { unpackedPath } from './unpacked-path';

describe('unpackedPath', () => {
  it('points a path inside app.asar at its unpacked copy, on either separator', () => {
    expect(unpackedPath('/opt/Paddock/resources/app.asar/out/main/writer-worker.mjs')).toBe(
      '/opt/Paddock/resources/app.asar.unpacked/out/main/writer-worker.mjs',
    );
    expect(unpackedPath('C:\\Paddock\\resources\\app.asar\\node_modules\\libsql\\index.js')).toBe(
      'C:\\Paddock\\resources\\app.asar.unpacked\\node_modules\\libsql\\index.js',
    );
  });

  it('leaves every other path alone, including one already unpacked', () => {
    for (const p of ['/repo/out/main/writer-worker.mjs', '/x/app.asar.unpacked/out/main/a.js', '/x/my-app.asar/a.js', '/x/app.asarx/a.js']) {
      expect(unpackedPath(p)).toBe(p);
    }
  });
});
