// Typed failures of an import or export. A bad line names its line number (details.line), so
// the user can open the file at the place that is wrong.
import { PaddockError } from '../../shared/ipc/result.js';

export interface LineErrorDetails {
  line: number;
  format: string;
}

export function lineError(format: string, line: number, message: string): PaddockError {
  return new PaddockError('VALIDATION', `Line ${line}: ${message}`, { line, format } satisfies LineErrorDetails);
}

export function cancelled(what: 'import' | 'export'): PaddockError {
  return new PaddockError('CONFLICT', `The ${what} was cancelled; nothing was kept`, { cancelled: true });
}

export function isCancelled(e: unknown): boolean {
  return e instanceof PaddockError && typeof e.details === 'object' && e.details !== null && (e.details as { cancelled?: unknown }).cancelled === true;
}
