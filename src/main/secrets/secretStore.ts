// API keys live outside the database: a file readable only by the user (mode 0600) beside it.
// On the desktop each value is additionally encrypted with Electron safeStorage (the OS keychain
// holds the key); the browser host relies on the file mode. Keys only flow renderer -> main.
import fs from 'node:fs';
import path from 'node:path';

export interface SecretStore {
  get(id: string): Promise<string | null>;
  set(id: string, value: string): Promise<void>;
  delete(id: string): Promise<void>;
  has(id: string): Promise<boolean>;
}

interface Codec {
  encode(plain: string): string;
  decode(stored: string): string;
  /** Written into the file so a store never misreads values written by the other kind. */
  format: 'plain-0600' | 'safeStorage';
}

interface SecretFile {
  version: 1;
  format: Codec['format'];
  secrets: Record<string, string>;
}

export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

const FILE_MODE = 0o600;

class FileBackedStore implements SecretStore {
  // One write at a time, so two saves never lose each other's key.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly codec: Codec,
  ) {}

  private read(): SecretFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, format: this.codec.format, secrets: {} };
      throw err;
    }
    // Tighten a file someone loosened (e.g. copied with a default umask).
    if (process.platform !== 'win32' && (fs.statSync(this.file).mode & 0o077) !== 0) fs.chmodSync(this.file, FILE_MODE);
    let parsed: SecretFile;
    try {
      parsed = JSON.parse(text) as SecretFile;
    } catch {
      throw new SecretStoreError(`The key file ${this.file} is damaged (not JSON); re-enter your API keys or restore it.`);
    }
    if (parsed.format !== this.codec.format) {
      throw new SecretStoreError(`The key file ${this.file} was written as ${parsed.format}, this store reads ${this.codec.format}.`);
    }
    return { version: 1, format: parsed.format, secrets: parsed.secrets ?? {} };
  }

  private write(data: SecretFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    // Created 0600 from the first byte (not chmod after), then renamed over the old file.
    const fd = fs.openSync(tmp, 'w', FILE_MODE);
    try {
      fs.writeFileSync(fd, JSON.stringify(data));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(tmp, FILE_MODE);
    fs.renameSync(tmp, this.file);
  }

  private serial<T>(fn: () => T): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  get(id: string): Promise<string | null> {
    return this.serial(() => {
      const stored = this.read().secrets[id];
      return stored === undefined ? null : this.codec.decode(stored);
    });
  }

  has(id: string): Promise<boolean> {
    return this.serial(() => id in this.read().secrets);
  }

  set(id: string, value: string): Promise<void> {
    return this.serial(() => {
      const data = this.read();
      data.secrets[id] = this.codec.encode(value);
      this.write(data);
    });
  }

  delete(id: string): Promise<void> {
    return this.serial(() => {
      const data = this.read();
      if (!(id in data.secrets)) return;
      delete data.secrets[id];
      this.write(data);
    });
  }
}

/** Browser host: keys in `<dataDir>/secrets.json`, mode 0600. */
export function createFileSecretStore(file: string): SecretStore {
  return new FileBackedStore(file, { format: 'plain-0600', encode: (s) => s, decode: (s) => s });
}

/** Encrypts single values (the Electron adapter's safeStorage box has exactly this shape). */
export interface SecretBoxLike {
  isAvailable(): boolean;
  /** Returns text safe to store (e.g. base64 ciphertext). */
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

/** Each value encrypted by the box (the OS keychain on the desktop), stored in a 0600 file. */
export function createEncryptedFileSecretStore(file: string, box: SecretBoxLike): SecretStore {
  return new FileBackedStore(file, {
    format: 'safeStorage',
    encode: (plain) => {
      if (!box.isAvailable()) {
        throw new SecretStoreError('The system keychain is not available, so the key cannot be stored encrypted.');
      }
      return box.encrypt(plain);
    },
    decode: (stored) => box.decrypt(stored),
  });
}

/** For tests and for runs without any persistence. */
export function createMemorySecretStore(): SecretStore {
  const m = new Map<string, string>();
  return {
    get: async (id) => m.get(id) ?? null,
    set: async (id, v) => void m.set(id, v),
    delete: async (id) => void m.delete(id),
    has: async (id) => m.has(id),
  };
}
