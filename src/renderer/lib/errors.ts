// Turns whatever a failed call threw into a sentence for the UI. PaddockError carries a stable
// code (VALIDATION, NOT_FOUND, ...) that stores branch on; everything else is unexpected.
import { PaddockError, type ErrorCode } from '../../shared/ipc/result';

export function errorMessage(error: unknown): string {
  if (error instanceof PaddockError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'Something went wrong.';
}

export function errorCode(error: unknown): ErrorCode | null {
  if (error instanceof PaddockError) return error.code;
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code as ErrorCode;
  }
  return null;
}
