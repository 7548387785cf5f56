// A thin adapter over Electron's safeStorage (OS keychain-backed encryption) so plain-Node
// code can store secrets such as API keys without importing electron. The runtime decides
// where the ciphertext lives; this only encrypts and decrypts.
import type { SafeStorage } from 'electron';

export interface SecretBox {
  /** False on systems without a usable keychain (e.g. Linux without a secret service). */
  isAvailable(): boolean;
  /** Returns base64 ciphertext. */
  encrypt(plainText: string): string;
  decrypt(cipherTextBase64: string): string;
}

export function createSafeStorageSecretBox(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>): SecretBox {
  return {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt(plainText) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('Secure storage is not available on this system');
      return safeStorage.encryptString(plainText).toString('base64');
    },
    decrypt(cipherTextBase64) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('Secure storage is not available on this system');
      return safeStorage.decryptString(Buffer.from(cipherTextBase64, 'base64'));
    },
  };
}
