// One style for every command-line failure: `paddock <cmd>: <message>`, then a hint line when
// there is something to do about it. No stack traces unless PADDOCK_DEBUG is set.

/** A failure the command line reports and exits on; exitCode 2 for bad usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string, command: string) {
    super(message, 2, `Run "paddock ${command} --help" for the options.`);
  }
}

/** The text of an error for a terminal: its message, with the stack only when debugging. */
export function errorText(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (!(error instanceof Error)) return String(error);
  return env.PADDOCK_DEBUG && error.stack ? error.stack : error.message;
}

export function formatCliError(command: string, message: string, hint?: string): string {
  return `paddock${command ? ` ${command}` : ''}: ${message}\n${hint ? `${hint}\n` : ''}`;
}
