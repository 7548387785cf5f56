// What the log writer's failures look like in Paddock's log. The writer retries a failed flush
// with backoff for as long as it takes (a full disk, a database another program holds), and
// reports every attempt; printed as they come, that was a stack trace every few seconds for as
// long as the disk stayed full. Here a run of failures of one kind is said once, in words, and
// the recovery is said when the next commit goes through.
import { classifySqliteError, type SqliteErrorClass } from '../db/errors';
import type { LogsError } from '../logs/errors';
import type { LogWriter } from '../logs/writer';

export interface HealthLogger {
  warn?(message: string, error?: unknown): void;
}

/** Told when saving logs starts failing (a sentence for the user) and when it works again (null). */
export type StorageProblemListener = (problem: string | null) => void;

const WHY: Partial<Record<SqliteErrorClass, string>> = {
  full: 'the disk is full',
  busy: 'another program is holding the database',
  readonly: 'the database cannot be written (read-only file or folder)',
  corrupt: 'the database file is damaged',
  cantopen: 'the database file cannot be opened',
};

/** Watches a writer's 'error' and 'commit' events; returns a function that stops watching. */
export function watchWriterHealth(writer: LogWriter, logger: HealthLogger, onProblem?: StorageProblemListener): () => void {
  let failing: SqliteErrorClass | null = null;
  let failures = 0;
  const onError = (error: LogsError) => {
    if (error.code !== 'FLUSH_FAILED') {
      logger.warn?.(`log writer: ${error.message}`);
      return;
    }
    const kind = classifySqliteError(error.details?.cause ?? error);
    failures++;
    if (kind === failing) return;
    failing = kind;
    const why = WHY[kind] ?? error.message.replace(/^Log flush failed \(will retry\): /, '');
    const problem = `Session logs cannot be saved right now: ${why}. They are kept in memory and saved as soon as it is possible again.`;
    logger.warn?.(problem.charAt(0).toLowerCase() + problem.slice(1));
    onProblem?.(problem);
  };
  const onCommit = () => {
    if (failing === null) return;
    logger.warn?.(`session logs are being saved again (after ${failures} failed attempt${failures === 1 ? '' : 's'}).`);
    failing = null;
    failures = 0;
    onProblem?.(null);
  };
  writer.on('error', onError);
  writer.on('commit', onCommit);
  return () => {
    writer.off('error', onError);
    writer.off('commit', onCommit);
  };
}
