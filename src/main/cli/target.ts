// Which database a command works on, resolved the same way for `db` and `serve`: --db (a path
// or a libsql URL), else --data-dir, else $PADDOCK_DATA_DIR, else the desktop app's folder.
import fs from 'node:fs';
import path from 'node:path';
import { localPathOf, locationFromPath, type DatabaseLocation } from '../db/connection.js';
import { DATABASE_FILE } from '../core.js';
import { defaultDataDir } from '../host/data-dir.js';
import { lockFileFor } from '../host/instance-lock.js';
import { CliError } from './errors.js';

export interface DatabaseTarget {
  location: DatabaseLocation;
  /** The database file, or null for a remote (libsql://, https://) database. */
  file: string | null;
  /** The folder given with --data-dir / $PADDOCK_DATA_DIR / the default, else null. */
  dataDir: string | null;
  /** How it was chosen, for the note printed on stderr. */
  source: '--db' | '--data-dir' | 'PADDOCK_DATA_DIR' | 'default';
}

const URL_PATTERN = /^(libsql|https?|wss?|file):/i;

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

export function resolveTarget(values: { db?: string | undefined; 'data-dir'?: string | undefined }, env: NodeJS.ProcessEnv): DatabaseTarget {
  if (values.db !== undefined && values['data-dir'] !== undefined) throw new CliError('give either --db or --data-dir, not both', 2);
  if (values.db !== undefined) {
    if (values.db === '') throw new CliError('--db needs a path or a URL', 2);
    const location = URL_PATTERN.test(values.db)
      ? { url: values.db, ...(env.PADDOCK_DB_AUTH_TOKEN ? { authToken: env.PADDOCK_DB_AUTH_TOKEN } : {}) }
      : locationFromPath(values.db);
    const file = localPathOf(location.url);
    if (file && statOrNull(file)?.isDirectory()) throw new CliError(`--db ${values.db} is a folder; use --data-dir ${values.db} for DIR/${DATABASE_FILE}`, 2);
    return { location, file, dataDir: null, source: '--db' };
  }
  const [dir, source] =
    values['data-dir'] !== undefined
      ? ([values['data-dir'], '--data-dir'] as const)
      : env.PADDOCK_DATA_DIR
        ? ([env.PADDOCK_DATA_DIR, 'PADDOCK_DATA_DIR'] as const)
        : ([defaultDataDir(env), 'default'] as const);
  if (dir === '') throw new CliError('--data-dir needs a folder', 2);
  const dataDir = path.resolve(dir);
  const stat = statOrNull(dataDir);
  if (stat && !stat.isDirectory()) throw new CliError(`${source === 'default' ? 'the data folder' : source} ${dataDir} is not a folder`, 2);
  const file = path.join(dataDir, DATABASE_FILE);
  return { location: locationFromPath(file), file, dataDir, source };
}

/** Where the data lives, for the note on stderr (never the URL's query: it may hold a token). */
export function describeTarget(target: DatabaseTarget): string {
  if (!target.file) {
    const url = new URL(target.location.url);
    return `remote database ${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname} (no folder lock: make sure only one Paddock uses it)`;
  }
  const chosen = target.source === 'default' ? ' (the default data folder)' : target.source === 'PADDOCK_DATA_DIR' ? ' (from PADDOCK_DATA_DIR)' : '';
  return `database ${target.file}${chosen}`;
}

/**
 * Makes sure the folder the database goes in exists: a data folder is created (a first start),
 * the folder of a --db file must already exist (a typo should not create folders).
 */
export function prepareFolder(target: DatabaseTarget): void {
  if (!target.file) return;
  if (target.dataDir) {
    fs.mkdirSync(target.dataDir, { recursive: true });
    return;
  }
  const parent = path.dirname(target.file);
  if (!statOrNull(parent)?.isDirectory()) throw new CliError(`the folder of --db ${target.file} does not exist: ${parent}`, 2, 'Create it first, or check the path.');
}

export function lockFileOf(target: DatabaseTarget): string | null {
  return target.file ? lockFileFor(target.file) : null;
}
