// Errors of a run, turned into the one readable line shown on the error node and the session.
import { APICallError, RetryError } from 'ai';

/** Thrown inside a run when the user stopped it (or the app is shutting down). */
export class RunStopped extends Error {
  constructor(readonly reason: 'stop' | 'shutdown') {
    super(reason === 'stop' ? 'Stopped by the user' : 'The app closed while the session ran');
    this.name = 'RunStopped';
  }
}

/** A problem with the agent's setup (no model, unknown provider...): the run cannot start. */
export class RunConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunConfigError';
  }
}

function providerDetail(e: APICallError): string {
  const data = e.data as { error?: { message?: string } } | undefined;
  return data?.error?.message ?? e.message;
}

/** "Authentication failed (HTTP 401): invalid x-api-key. Check the API key..." */
export function describeProviderError(err: unknown): string {
  let e = err;
  if (RetryError.isInstance(e)) e = e.lastError;
  if (APICallError.isInstance(e)) {
    const detail = providerDetail(e);
    switch (e.statusCode) {
      case 401:
      case 403:
        return `Authentication failed (HTTP ${e.statusCode}): ${detail}. Check the provider's API key in Settings.`;
      case 404:
        return `Not found (HTTP 404): ${detail}. Check the model name and the provider's base URL.`;
      case 429:
        return `Rate limited by the provider (HTTP 429): ${detail}. Wait a moment and resume.`;
      case undefined: {
        const cause = (e.cause as { code?: string; message?: string } | undefined) ?? {};
        return `Could not reach the provider at ${e.url}${cause.code ? ` (${cause.code})` : ''}: ${cause.message ?? detail}`;
      }
      default:
        return `The provider returned an error (HTTP ${e.statusCode}): ${detail}`;
    }
  }
  if (e instanceof Error) {
    const cause = (e as { cause?: { code?: string } }).cause;
    return cause?.code ? `${e.message} (${cause.code})` : e.message;
  }
  if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}
