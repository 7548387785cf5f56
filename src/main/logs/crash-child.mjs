// Child process for the durability test (durability.test.ts): streams deltas through the real
// LogWriter until the parent kills it with SIGKILL. Every accepted delta is reported on stdout as
// "accepted <index> <epoch ms>" (stdout to a pipe is synchronous on Linux, so each line is out
// before the next delta); the parent checks every delta accepted >= 100 ms before the kill is
// in the database.
//
// argv: <bundled writer module> <database url> <session id>

import { pathToFileURL } from 'node:url';

const [bundle, url, sessionId] = process.argv.slice(2);
const { LogWriter } = await import(pathToFileURL(bundle).href);

const writer = await LogWriter.open({ url });
writer.on('error', (e) => process.stderr.write(`writer error: ${e.message}\n`));

const user = writer.startNode({ sessionId, kind: 'user_message', role: 'user', status: 'complete', content: 'go' });
const node = writer.startNode({ sessionId, parentId: user, kind: 'assistant_message', role: 'assistant' });
process.stdout.write(`ready ${node}\n`);

// Side traffic like a real agent: now and then a tool call starts and finishes while the
// message streams (rarely, so the 50 ms timer, not node ends, drives most flushes).
let n = 0;
let tool = null;
function step() {
  for (let k = 0; k < 3; k++) {
    writer.appendDelta(node, `d${n};`);
    process.stdout.write(`accepted ${n} ${Date.now()}\n`);
    n++;
  }
  if (n % 600 === 0) {
    if (tool) writer.finishNode(tool, { status: 'complete', toolResult: { ok: n } });
    tool = writer.startNode({ sessionId, parentId: node, kind: 'action', toolName: 'probe' });
    writer.appendDelta(tool, `{"n":${n}}`);
  }
  setTimeout(step, 1);
}
step();
