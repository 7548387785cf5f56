// Typed errors of the log store. Callers (IPC handlers) map `code` to their result envelope.

export type LogsErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_CURSOR'
  | 'SESSION_NOT_FOUND'
  | 'NODE_NOT_FOUND'
  | 'WRITER_CLOSED'
  | 'FLUSH_FAILED'
  | 'WRITE_REJECTED';

export class LogsError extends Error {
  constructor(
    readonly code: LogsErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LogsError';
  }
}
