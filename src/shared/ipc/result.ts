// The result envelope every contract call returns, in both hosts. Electron forwards only an
// error's message across IPC and a WebSocket carries only JSON, so failures travel as data with
// a stable code and are turned back into a thrown PaddockError on the renderer side.

/**
 * BUSY: another connection or program holds the database right now; nothing was changed and the
 * same call may simply be tried again (the renderer does so on its own, see ipc/busy-retry.ts).
 */
export const ERROR_CODES = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'BUSY', 'INTERNAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Envelope<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorInfo };

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/** What the renderer-side API throws when a call fails; `code` is stable, `message` is for humans. */
export class PaddockError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'PaddockError';
    this.code = code;
    this.details = details;
  }

  static fromInfo(info: ErrorInfo): PaddockError {
    return new PaddockError(info.code, info.message, info.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Checks that something received from the other side is a well-formed envelope; a transport
 * turns anything else into an INTERNAL failure instead of handing garbage to the UI.
 */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.ok === true) return 'data' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as Record<string, unknown>;
  return isErrorCode(e.code) && typeof e.message === 'string';
}
