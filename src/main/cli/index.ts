// The `paddock` command line: dispatches to a subcommand. Bundled by scripts/build-cli.mjs into
// dist/cli.mjs, which bin/paddock.mjs runs on plain Node 20.

import { APP_VERSION } from '../appVersion.js';
import { runDb } from './db.js';
import { errorText, formatCliError } from './errors.js';

export const USAGE = `Usage: paddock <command> [options]

Commands:
  db <status|migrate|rollback|validate|plan|repair|backup|fingerprint>   manage the database
  serve                                                                  run Paddock
  --version                                                              print the version

Run "paddock db --help" or "paddock serve --help" for their options.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'db':
      return runDb(rest);
    case 'serve': {
      const { runServe } = await import('./serve.js');
      return runServe(rest);
    }
    case '--version':
    case '-v':
      process.stdout.write(`${APP_VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`paddock: unknown command "${command}"\nRun "paddock --help" for the commands.\n`);
      return 2;
  }
}

/** Entry used by bin/paddock.mjs. Sets the exit code instead of exiting so output is flushed. */
export async function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    process.stderr.write(formatCliError(argv[0] === 'db' || argv[0] === 'serve' ? argv[0] : '', errorText(e)));
    process.exitCode = 1;
  }
}
