// The parts of a libsql Client the data layer uses, as two handles (Signal Desktop's ReadableDB /
// WritableDB): a module that only reads says so in its type, and tests or a read replica can
// hand it something smaller than a Client.

import type { Client } from '@libsql/client';

/** Single statements: every read, and writes that need no transaction. */
export type ReadHandle = Pick<Client, 'execute'>;

/** Adds batch(): several statements in one transaction ('write' mode). */
export type WriteHandle = Pick<Client, 'execute' | 'batch'>;
