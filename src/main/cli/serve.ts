// `paddock serve`: runs the core and the browser host until SIGINT/SIGTERM. Prints exactly one
// line on stdout on success (the link with the token); everything else goes to stderr.
// Start-up order matters: the data-folder lock first (a second Paddock must never touch the
// database), then the port (a taken port must not cost a migration), then the database.
import { createPaddockCore, type PaddockCore } from '../core';
import { isLoopbackHost, isWildcardHost, networkAddresses } from '../host/access';
import { listenBrowserHost, type BrowserHost, type ListeningHost } from '../host/browser-host';
import { acquireInstanceLock, InstanceLockedError, LOCKED_EXIT_CODE, type InstanceLock } from '../host/instance-lock';
import { findRendererDir } from '../host/static-files';
import type { IpcLogger } from '../ipc/errors';
import { CliError, errorText, formatCliError } from './errors';
import { parseServeArgs, SERVE_USAGE, type ServeOptions } from './serve-options';
import { describeTarget, lockFileOf, prepareFolder, resolveTarget, type DatabaseTarget } from './target';

export { SERVE_USAGE };

const stderrLogger: IpcLogger = {
  error: (message, error) => process.stderr.write(`paddock serve: ${message}${error ? ` ${errorText(error)}` : ''}\n`),
  warn: (message, error) => process.stderr.write(`paddock serve: warning: ${message}${error ? ` ${errorText(error)}` : ''}\n`),
};

const say = (line: string): void => void process.stderr.write(`paddock serve: ${line}\n`);

/**
 * The process ends once everything is closed; a timer a library left behind (the runtime's
 * stop wait) must not keep it alive for seconds, so an unref'd exit backs that up.
 */
function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), 1_000).unref();
  return code;
}

function takeLock(target: DatabaseTarget): InstanceLock | null {
  prepareFolder(target);
  const file = lockFileOf(target);
  if (!file) return null;
  try {
    return acquireInstanceLock(file, { command: 'paddock serve' });
  } catch (error) {
    if (!(error instanceof InstanceLockedError)) throw error;
    throw new CliError(
      error.message,
      LOCKED_EXIT_CODE,
      'Only one Paddock may use a data folder at a time: open the running one, stop it first, or use another --data-dir.',
    );
  }
}

async function listen(options: ServeOptions): Promise<ListeningHost> {
  try {
    return await listenBrowserHost({ host: options.host, port: options.port, token: options.token, rendererDir: findRendererDir(), logger: stderrLogger });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(`port ${options.port} on ${options.host} is already in use`, 1, 'Pick another with --port, or leave --port out to use any free port.');
    }
    if (code === 'EADDRNOTAVAIL') throw new CliError(`${options.host} is not an address of this machine`, 1);
    throw new CliError(`cannot listen on ${options.host}:${options.port}: ${errorText(error)}`, 1);
  }
}

function warnNetwork(options: ServeOptions, port: number): void {
  const where = isWildcardHost(options.host) ? networkAddresses().join(', ') || 'no network address found' : options.host;
  say(`warning: listening on ${options.host}:${port}, reachable from other machines (${where}).`);
  say('warning: traffic is plain HTTP (not encrypted) and anyone with the link can run agents with your API keys and files.');
}

export async function runServe(argv: string[]): Promise<number> {
  let options: ServeOptions | null;
  let target: DatabaseTarget;
  let lock: InstanceLock | null;
  try {
    options = parseServeArgs(argv);
    if (!options) {
      process.stdout.write(SERVE_USAGE);
      return 0;
    }
    target = resolveTarget({ db: options.db, 'data-dir': options.dataDir }, process.env);
    lock = takeLock(target);
  } catch (error) {
    return fail(error);
  }
  const opts = options;
  say(`using ${describeTarget(target)}`);
  if (opts.tokenSource === '--token') say('note: a --token on the command line is visible to other users of this machine; prefer --token-file or PADDOCK_TOKEN');

  let listening: ListeningHost;
  try {
    listening = await listen(opts);
  } catch (error) {
    lock?.release();
    return fail(error);
  }
  let core: PaddockCore;
  // Bound once the contract is attached: the runtime asks whether a window could answer an approval.
  let host: BrowserHost | null = null;
  try {
    core = await createPaddockCore({
      host: 'browser',
      logger: stderrLogger,
      runtime: { isUiAttached: () => (host?.clients() ?? 0) > 0 },
      ...(target.dataDir ? { dataDir: target.dataDir } : { dbUrl: target.location.url, ...(target.location.authToken ? { authToken: target.location.authToken } : {}) }),
    });
  } catch (error) {
    await listening.close();
    lock?.release();
    return exitSoon(fail(new CliError(`cannot open the database: ${errorText(error)}`)));
  }
  host = listening.attach({ dispatch: core.dispatch, subscribe: core.subscribe });
  const running = host;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      say(`${signal}, shutting down`);
      // Sockets first (no new work), then the writer's flush and the database, then the lock.
      void running
        .close()
        .catch((error: unknown) => stderrLogger.error('closing the server', error))
        .then(() => core.close())
        .then(() => {
          lock?.release();
          resolve(exitSoon(0));
        });
    };
    // Handlers before the link: whoever reads the link may signal at once.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // The warning before the link too: whoever waits for the link line has it by then.
    if (!isLoopbackHost(opts.host)) warnNetwork(opts, running.port);
    process.stdout.write(`Paddock is running at ${running.url}\n`);
  });
}

function fail(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(formatCliError('serve', error.message, error.hint));
    return error.exitCode;
  }
  process.stderr.write(formatCliError('serve', errorText(error)));
  return 1;
}
