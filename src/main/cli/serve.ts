// `paddock serve`: runs the core and the browser host until SIGINT/SIGTERM. Prints exactly one
// line on success (the link with the token); everything else goes to stderr.
import { parseArgs } from 'node:util';
import { createPaddockCore, type PaddockCore } from '../core';
import { generateToken, isValidToken } from '../host/access';
import { startBrowserHost, type BrowserHost } from '../host/browser-host';
import { defaultDataDir } from '../host/data-dir';
import { findRendererDir } from '../host/static-files';
import type { IpcLogger } from '../ipc/errors';
import { createRuntimePlugin } from '../runtime/service';

export const SERVE_USAGE = `Usage: paddock serve [options]

Options:
  --host HOST        address to listen on (default 127.0.0.1; 0.0.0.0 exposes Paddock to your network)
  --port PORT        port to listen on (default 0 = any free port)
  --data-dir DIR     where the database lives (default: $PADDOCK_DATA_DIR or the desktop app's folder)
  --db URL           a libsql database URL instead of DIR/paddock.db (auth token: $PADDOCK_DB_AUTH_TOKEN)
  --token TOKEN      the access token (default: a new random one per start; 16-256 of A-Z a-z 0-9 _ -)
`;

const stderrLogger: IpcLogger = {
  error: (message, error) => process.stderr.write(`paddock: ${message}${error ? ` ${formatError(error)}` : ''}\n`),
  warn: (message, error) => process.stderr.write(`paddock: warning: ${message}${error ? ` ${formatError(error)}` : ''}\n`),
};

function formatError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

interface ServeOptions {
  host: string;
  port: number;
  dataDir: string;
  dbUrl: string | undefined;
  token: string;
}

function parseServeArgs(argv: string[]): ServeOptions | { error: string } | { help: true } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        db: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { error: `--port must be a number from 0 to 65535, got ${String(values.port)}` };
  const token = typeof values.token === 'string' ? values.token : generateToken();
  if (!isValidToken(token)) return { error: '--token must be 16-256 characters of A-Z a-z 0-9 _ -' };
  const host = typeof values.host === 'string' && values.host.length > 0 ? values.host : '127.0.0.1';
  return {
    host,
    port,
    token,
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir(),
    dbUrl: typeof values.db === 'string' ? values.db : undefined,
  };
}

export async function runServe(argv: string[]): Promise<number> {
  const parsed = parseServeArgs(argv);
  if ('help' in parsed) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    process.stderr.write(`paddock serve: ${parsed.error}\n\n${SERVE_USAGE}`);
    return 2;
  }
  let core: PaddockCore;
  // Bound once the server is up: the runtime asks whether a window could answer an approval.
  let host: BrowserHost | null = null;
  try {
    core = await createPaddockCore({
      host: 'browser',
      logger: stderrLogger,
      plugins: [createRuntimePlugin({ isUiAttached: () => (host?.clients() ?? 0) > 0 })],
      ...(parsed.dbUrl
        ? { dbUrl: parsed.dbUrl, ...(process.env.PADDOCK_DB_AUTH_TOKEN ? { authToken: process.env.PADDOCK_DB_AUTH_TOKEN } : {}) }
        : { dataDir: parsed.dataDir }),
    });
  } catch (error) {
    process.stderr.write(`paddock serve: cannot open the database: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    host = await startBrowserHost({
      host: parsed.host,
      port: parsed.port,
      token: parsed.token,
      dispatch: core.dispatch,
      subscribe: core.subscribe,
      rendererDir: findRendererDir(),
      logger: stderrLogger,
    });
  } catch (error) {
    await core.close();
    process.stderr.write(`paddock serve: cannot listen on ${parsed.host}:${parsed.port}: ${(error as Error).message}\n`);
    return 1;
  }
  const running = host;
  process.stdout.write(`Paddock is running at ${running.url}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`paddock serve: ${signal}, shutting down\n`);
      // Sockets first (no new work), then the writer's flush and the database.
      void running
        .close()
        .catch((error: unknown) => stderrLogger.error('closing the server', error))
        .then(() => core.close())
        .then(() => {
          // Everything is flushed and closed; a timer some library left behind must not keep
          // the process alive (unref'd: it only fires if something else still holds the loop).
          setTimeout(() => process.exit(0), 1_000).unref();
          resolve(0);
        });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
