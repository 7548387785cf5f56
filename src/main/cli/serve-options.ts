// `paddock serve`'s command line: flags, the token (flag, file or environment) and the rule that
// a bind other than loopback must be asked for explicitly.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { generateToken, isLoopbackHost, isValidToken } from '../host/access';
import { CliError, UsageError } from './errors';

export const SERVE_USAGE = `Usage: paddock serve [options]

Options:
  --host HOST          address to listen on (default 127.0.0.1). Any address other than loopback
                       (0.0.0.0, ::, a LAN address) also needs --allow-network
  --allow-network      allow --host to expose Paddock to other machines (plain HTTP: use only on a
                       network you trust; anyone with the link can run agents with your keys)
  --port PORT          port to listen on (default 0 = any free port)
  --data-dir DIR       the data folder, DIR/paddock.db (default: $PADDOCK_DATA_DIR or the desktop
                       app's folder; created if missing)
  --db PATH|URL        a database file (its folder must exist) or a libsql://, https://, file: URL
                       instead of DIR/paddock.db (auth token: $PADDOCK_DB_AUTH_TOKEN)
  --token TOKEN        the access token (16-256 of A-Z a-z 0-9 _ -). Visible to other local users
                       in the process list: prefer --token-file or $PADDOCK_TOKEN
  --token-file PATH    read the token from PATH, a regular file only you can read (chmod 600)
  -h, --help           this text

Without a token option or $PADDOCK_TOKEN, a new random token is made at every start.
Prints one line on stdout, the link to open: Paddock is running at http://HOST:PORT/#token=TOKEN
Only one Paddock may use a data folder at a time (exit code 3 when another one holds it).
`;

export interface ServeOptions {
  host: string;
  port: number;
  allowNetwork: boolean;
  token: string;
  /** Where the token came from, to warn about a token on the command line. */
  tokenSource: '--token' | '--token-file' | 'PADDOCK_TOKEN' | 'random';
  dataDir: string | undefined;
  db: string | undefined;
}

const TOKEN_RULE = '16-256 characters of A-Z a-z 0-9 _ -';

/** Reads a token file that must be a regular file no one but its owner can read or write. */
export function readTokenFile(file: string, platform: NodeJS.Platform = process.platform): string {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO must be refused below, not block the start waiting for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (platform === 'win32' ? 0 : fs.constants.O_NONBLOCK));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read --token-file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`, 2);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new CliError(`--token-file ${file} is not a regular file`, 2);
    // Windows has no such mode bits (the file's ACL decides); elsewhere only 0600 or stricter.
    const loose = stat.mode & 0o777 & ~0o600;
    if (platform !== 'win32' && loose !== 0) {
      throw new CliError(
        `--token-file ${file} has mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}: other users could read the token`,
        2,
        `Make it private first: chmod 600 ${file}`,
      );
    }
    const token = fs.readFileSync(fd, 'utf8').trim();
    if (!isValidToken(token)) throw new CliError(`the token in --token-file ${file} must be ${TOKEN_RULE}`, 2);
    return token;
  } finally {
    fs.closeSync(fd);
  }
}

function pickToken(values: { token?: string | undefined; 'token-file'?: string | undefined }, env: NodeJS.ProcessEnv): Pick<ServeOptions, 'token' | 'tokenSource'> {
  if (values.token !== undefined && values['token-file'] !== undefined) throw new UsageError('give either --token or --token-file, not both', 'serve');
  if (values.token !== undefined) {
    if (!isValidToken(values.token)) throw new UsageError(`--token must be ${TOKEN_RULE}`, 'serve');
    return { token: values.token, tokenSource: '--token' };
  }
  if (values['token-file'] !== undefined) return { token: readTokenFile(values['token-file']), tokenSource: '--token-file' };
  if (env.PADDOCK_TOKEN !== undefined && env.PADDOCK_TOKEN !== '') {
    if (!isValidToken(env.PADDOCK_TOKEN)) throw new UsageError(`PADDOCK_TOKEN must be ${TOKEN_RULE}`, 'serve');
    return { token: env.PADDOCK_TOKEN, tokenSource: 'PADDOCK_TOKEN' };
  }
  return { token: generateToken(), tokenSource: 'random' };
}

/** Parses the flags; throws CliError (usage errors exit 2). Returns null for --help. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'allow-network': { type: 'boolean' },
        'data-dir': { type: 'string' },
        db: { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, 'serve');
  }
  if (values.help) return null;
  const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${String(values.port)}`, 'serve');
  const host = values.host !== undefined && values.host.length > 0 ? values.host : '127.0.0.1';
  const allowNetwork = values['allow-network'] ?? false;
  if (!isLoopbackHost(host) && !allowNetwork) {
    throw new CliError(
      `--host ${host} would make Paddock reachable from other machines, and anyone who gets the link could run agents with your keys and files`,
      2,
      'Add --allow-network if that is what you want, or leave --host out to stay on this machine (127.0.0.1).',
    );
  }
  return { host, port, allowNetwork, ...pickToken(values, env), dataDir: values['data-dir'], db: values.db };
}
