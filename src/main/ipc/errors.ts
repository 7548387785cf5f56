// Maps whatever a service throws to the contract's stable error codes. Known, user-facing
// failures keep their message; anything unexpected becomes INTERNAL with a reference id and
// the full error goes to the log only (it may hold paths or SQL the UI should not show).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fail, PaddockError, type Envelope, type ErrorCode } from '../../shared/ipc';
import { DataError, classifySqliteError, isBusyError, type DataErrorCode } from '../db/errors';

export interface IpcLogger {
  error(message: string, error?: unknown): void;
  warn?(message: string, error?: unknown): void;
}

export const consoleLogger: IpcLogger = {
  error: (message, error) => console.error(`[ipc] ${message}`, error ?? ''),
  warn: (message, error) => console.warn(`[ipc] ${message}`, error ?? ''),
};

const MAX_REPORTED_ISSUES = 20;

/** A readable one-liner plus structured issues for the UI to place next to fields. */
export function validationFailure(error: z.ZodError, subject: string): Envelope<never> {
  const issues = error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    code: issue.code,
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return fail('VALIDATION', `Invalid ${subject}: ${summary}${more}`, { issues });
}

/**
 * The data layer's stable codes in the contract's terms. Storage failures the caller cannot fix
 * (disk full, damaged file, a closed log writer…) stay INTERNAL: logged with a reference id.
 */
const DATA_ERROR_CODES: Record<DataErrorCode, ErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  VALIDATION: 'VALIDATION',
  BUSY: 'BUSY',
  FULL: 'INTERNAL',
  CORRUPT: 'INTERNAL',
  READ_ONLY: 'INTERNAL',
  CANT_OPEN: 'INTERNAL',
  UNAVAILABLE: 'INTERNAL',
};

export const BUSY_MESSAGE =
  "Paddock's database is busy: another program (or another Paddock) is holding it. Nothing was changed; Paddock tries again.";

export function errorToEnvelope(error: unknown, channel: string, logger: IpcLogger): Envelope<never> {
  if (error instanceof PaddockError) return fail(error.code, error.message, error.details);
  if (error instanceof z.ZodError) return validationFailure(error, `data for ${channel}`);
  if (error instanceof DataError) {
    const code = DATA_ERROR_CODES[error.kind];
    if (code === 'BUSY') return fail('BUSY', BUSY_MESSAGE);
    if (code !== 'INTERNAL') return fail(code, error.message, error.details);
  }
  // Another connection or program holds the database: nothing was changed, a retry may work.
  if (isBusyError(error)) {
    logger.warn?.(`${channel}: the database is busy`, error);
    return fail('BUSY', BUSY_MESSAGE);
  }
  // A constraint the repositories did not anticipate is still the caller's conflict, not a crash.
  if (classifySqliteError(error) === 'constraint') {
    logger.warn?.(`${channel}: unmapped constraint violation`, error);
    return fail('CONFLICT', 'The change conflicts with existing data');
  }
  const reference = randomUUID().slice(0, 8);
  logger.error(`${channel} failed (ref ${reference})`, error);
  return fail('INTERNAL', `Something went wrong in Paddock (ref ${reference}). The details are in the log.`);
}
