// Maps whatever a service throws to the contract's stable error codes. Known, user-facing
// failures keep their message; anything unexpected becomes INTERNAL with a reference id and
// the full error goes to the log only (it may hold paths or SQL the UI should not show).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fail, isErrorCode, PaddockError, type Envelope, type ErrorCode } from '../../shared/ipc';
import { isBusyError } from '../db/errors';
import { LogsError, type LogsErrorCode } from '../logs/errors';

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

/** The log store's own codes, in the contract's terms; writer failures stay INTERNAL. */
const LOGS_ERROR_CODES: Record<LogsErrorCode, ErrorCode> = {
  INVALID_INPUT: 'VALIDATION',
  INVALID_CURSOR: 'VALIDATION',
  SESSION_NOT_FOUND: 'NOT_FOUND',
  NODE_NOT_FOUND: 'NOT_FOUND',
  WRITE_REJECTED: 'CONFLICT',
  WRITER_CLOSED: 'INTERNAL',
  FLUSH_FAILED: 'INTERNAL',
};

export const BUSY_MESSAGE =
  "Paddock's database is busy: another program (or another Paddock) is holding it. Nothing was changed; Paddock tries again.";

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

export function errorToEnvelope(error: unknown, channel: string, logger: IpcLogger): Envelope<never> {
  if (error instanceof PaddockError) return fail(error.code, error.message, error.details);
  if (error instanceof z.ZodError) return validationFailure(error, `data for ${channel}`);
  if (error instanceof LogsError && LOGS_ERROR_CODES[error.code] !== 'INTERNAL') {
    return fail(LOGS_ERROR_CODES[error.code], error.message);
  }
  const code = codeOf(error);
  // RepositoryError (src/main/repositories) and the log store carry contract codes directly.
  if (error instanceof Error && isErrorCode(code) && code !== 'INTERNAL') {
    // RepositoryError names it `detail`; others `details`.
    const details = (error as { detail?: unknown }).detail ?? (error as { details?: unknown }).details;
    return fail(code, error.message, details);
  }
  // Another connection or program holds the database: nothing was changed, a retry may work.
  if (isBusyError(error)) {
    logger.warn?.(`${channel}: the database is busy`, error);
    return fail('BUSY', BUSY_MESSAGE);
  }
  // A constraint the repositories did not anticipate is still the caller's conflict, not a crash.
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    logger.warn?.(`${channel}: unmapped constraint violation`, error);
    return fail('CONFLICT', 'The change conflicts with existing data');
  }
  const reference = randomUUID().slice(0, 8);
  logger.error(`${channel} failed (ref ${reference})`, error);
  return fail('INTERNAL', `Something went wrong in Paddock (ref ${reference}). The details are in the log.`);
}
