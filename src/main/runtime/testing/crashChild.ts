// Child process for the runtime crash test (runner.crash.test.ts), bundled with esbuild: runs the
// real runtime on a real file database against the parent's provider test server, until the
// parent SIGKILLs it. argv: <database url> <session id> <secrets file> <message>
import { openClient } from '../../db/connection';
import { LogWriter } from '../../logs/writer';
import { createFileSecretStore } from '../../secrets/secretStore';
import { createStandaloneRuntime } from './standalone';

const [url, sessionId, secretsFile, message] = process.argv.slice(2) as [string, string, string, string];
const client = await openClient({ url });
const writer = await LogWriter.open({ url });
writer.on('error', (e) => process.stderr.write(`writer error: ${e.message}\n`));
const { runtime } = createStandaloneRuntime({
  client,
  writer,
  secrets: createFileSecretStore(secretsFile),
  maxRetries: 0,
});
await runtime.start({ sessionId, message });
process.stdout.write('started\n');
// Stay alive until killed (the run continues in the background).
setInterval(() => undefined, 1000);
