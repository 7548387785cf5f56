import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSafeStorageSecretBox } from '../electron/secrets';
import { createEncryptedFileSecretStore, createFileSecretStore, SecretStoreError } from './secretStore';

const dirs: string[] = [];
function tmpFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-secrets-'));
  dirs.push(dir);
  return path.join(dir, 'secrets.json');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Stands in for Electron's safeStorage: a reversible transform that never leaves the plain text. */
function fakeSafeStorage(available = true): Parameters<typeof createSafeStorageSecretBox>[0] & { calls: number } {
  const f = {
    calls: 0,
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => {
      f.calls++;
      return Buffer.from(`enc:${Buffer.from(s).reverse().toString('hex')}`);
    },
    decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').reverse().toString(),
  };
  return f;
}

/** The Electron host's store: what main.ts builds from safeStorage. */
const safeStorageStore = (file: string, ss: ReturnType<typeof fakeSafeStorage>) => createEncryptedFileSecretStore(file, createSafeStorageSecretBox(ss));

describe('file secret store (browser host)', () => {
  it('writes the key file with mode 0600 and reads keys back', async () => {
    const file = tmpFile();
    const store = createFileSecretStore(file);
    await store.set('p1', 'sk-abc');
    await store.set('p2', 'sk-def');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(await store.get('p1')).toBe('sk-abc');
    expect(await store.has('p2')).toBe(true);
    await store.delete('p1');
    expect(await store.get('p1')).toBeNull();
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    // A fresh instance (next start) sees the same keys.
    expect(await createFileSecretStore(file).get('p2')).toBe('sk-def');
  });

  it('tightens a key file that was loosened', async () => {
    const file = tmpFile();
    await createFileSecretStore(file).set('p', 'k');
    fs.chmodSync(file, 0o644);
    expect(await createFileSecretStore(file).get('p')).toBe('k');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('concurrent saves do not lose each other', async () => {
    const store = createFileSecretStore(tmpFile());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`p${i}`, `k${i}`)));
    for (let i = 0; i < 20; i++) expect(await store.get(`p${i}`)).toBe(`k${i}`);
  });

  it('a damaged file is a clear error, not a crash', async () => {
    const file = tmpFile();
    fs.writeFileSync(file, '{nope', { mode: 0o600 });
    await expect(createFileSecretStore(file).get('x')).rejects.toThrow(SecretStoreError);
  });
});

describe('safeStorage secret store (Electron host)', () => {
  it('stores only ciphertext and decrypts on read', async () => {
    const file = tmpFile();
    const ss = fakeSafeStorage();
    const store = safeStorageStore(file, ss);
    await store.set('p1', 'sk-very-secret');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-very-secret');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(ss.calls).toBe(1);
    expect(await store.get('p1')).toBe('sk-very-secret');
  });

  it("works through the Electron host's SecretBox adapter (what main.ts passes)", async () => {
    const file = tmpFile();
    const store = createEncryptedFileSecretStore(file, createSafeStorageSecretBox(fakeSafeStorage()));
    await store.set('p', 'sk-through-box');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-through-box');
    expect(await store.get('p')).toBe('sk-through-box');
  });

  it('refuses to store when encryption is unavailable', async () => {
    const store = safeStorageStore(tmpFile(), fakeSafeStorage(false));
    await expect(store.set('p', 'k')).rejects.toThrow(/keychain/);
  });

  it('does not misread a plain key file', async () => {
    const file = tmpFile();
    await createFileSecretStore(file).set('p', 'plain');
    await expect(safeStorageStore(file, fakeSafeStorage()).get('p')).rejects.toThrow(SecretStoreError);
  });
});
