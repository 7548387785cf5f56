import { defineDomain, request, returns } from '../define';
import { noInputSchema } from '../schemas';

export interface DbProblem {
  code: string;
  migration: string | null;
  message: string;
  severity: 'error' | 'warning';
}

export interface DbStatus {
  /** Where the data lives: an embedded file, memory (tests) or a remote libsql server. */
  location: 'file' | 'memory' | 'remote';
  /** The file path for an embedded database, the URL without credentials otherwise. */
  target: string;
  /** Id of the newest applied migration, null on an empty database. */
  current: number | null;
  applied: number;
  pending: number;
  problems: DbProblem[];
  /** The schema differs from what the migrations produced (edited by hand?). */
  drift: boolean;
}

export const dbDomain = defineDomain({
  requests: {
    status: request(noInputSchema, returns<DbStatus>()),
  },
  events: {},
});

/** The request channels this file declares (the core serves them; see src/main/ipc/handlers.ts). */
export type DbChannel = `db.${keyof typeof dbDomain.requests & string}`;
