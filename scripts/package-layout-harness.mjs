// Run by scripts/package-layout.check.ts under plain Node: starts the packaged log writer's worker
// from app.asar.unpacked, as worker-connection.ts does, and sends it three requests over its wire
// protocol. Prints the replies as JSON; any load failure lands on stderr with a non-zero exit.
import { MessageChannel, Worker } from 'node:worker_threads';

const [workerFile, driverPath, dbPath] = process.argv.slice(2);
const { port1, port2 } = new MessageChannel();
const signal = new SharedArrayBuffer(4);
const worker = new Worker(workerFile, { workerData: { driverPath, path: dbPath, timeout: 5000, port: port2, signal }, transferList: [port2] });
worker.on('error', (error) => {
  console.error(`worker failed: ${error.stack ?? error}`);
  process.exit(2);
});
const replies = [];
port1.on('message', (reply) => {
  replies.push(reply);
  if (replies.length < 3) return;
  console.log(JSON.stringify(replies));
  void worker.terminate().then(() => process.exit(0));
});
port1.postMessage({ id: 1, op: 'execute', stmt: { sql: 'CREATE TABLE t (v TEXT)', args: [] } });
port1.postMessage({ id: 2, op: 'batch', stmts: [{ sql: 'INSERT INTO t VALUES (?)', args: ['packed'] }], mode: 'write' });
port1.postMessage({ id: 3, op: 'execute', stmt: { sql: 'SELECT v FROM t', args: [] } });
