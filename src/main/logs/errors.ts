// Errors of the log store: a DataError (src/main/db/errors.ts) with the store's finer codes,
// which the writer's listeners and tests tell apart; `kind` is the stable data-layer code the
// IPC layer maps.

import { DataError, type DataErrorCode } from '../db/errors.js';

export type LogsErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_CURSOR'
  | 'SESSION_NOT_FOUND'
  | 'NODE_NOT_FOUND'
  | 'WRITER_CLOSED'
  | 'FLUSH_FAILED'
  | 'WRITE_REJECTED';

const KIND: Record<LogsErrorCode, DataErrorCode> = {
  INVALID_INPUT: 'VALIDATION',
  INVALID_CURSOR: 'VALIDATION',
  SESSION_NOT_FOUND: 'NOT_FOUND',
  NODE_NOT_FOUND: 'NOT_FOUND',
  WRITE_REJECTED: 'CONFLICT',
  // Failures of the write path the caller cannot fix.
  WRITER_CLOSED: 'UNAVAILABLE',
  FLUSH_FAILED: 'UNAVAILABLE',
};

export class LogsError extends DataError<LogsErrorCode> {
  constructor(code: LogsErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'LogsError';
  }

  override get kind(): DataErrorCode {
    return KIND[this.code];
  }
}
