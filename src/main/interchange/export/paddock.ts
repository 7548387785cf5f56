// Paddock's own session JSON (format "paddock.session", the document sessions.export returns and
// sessions.import reads), written streamed: one node or chunk per line, so the importer can read
// it back line by line. Chunks follow all nodes in the document; they are spooled to a
// temporary file beside the target during the node pass and copied in at the end.
import fs from 'node:fs';
import { EXPORT_FORMAT_VERSION, SESSION_EXPORT_FORMAT } from '../../../shared/ipc/export-format.js';
import type { LogPageWithChunks } from '../../logs/stream-export.js';
import { TextOut } from './out.js';
import type { ExportHeader, SessionExporter } from './types.js';

export const PADDOCK_NODES_OPEN = '"nodes":[';
export const PADDOCK_CHUNKS_OPEN = '],"chunks":[';

export class PaddockJsonExporter implements SessionExporter {
  readonly #spoolPath: string;
  #spool: TextOut | null = null;
  #nodes = 0;
  #chunks = 0;

  constructor(target: string) {
    this.#spoolPath = `${target}.chunks.tmp`;
  }

  begin(h: ExportHeader, out: TextOut): void {
    const head = { format: SESSION_EXPORT_FORMAT, version: EXPORT_FORMAT_VERSION, exportedAt: h.exportedAt, session: h.session, agent: { id: h.session.agentId, name: h.agentName, pinnedVersion: h.pinnedVersion } };
    const json = JSON.stringify(head);
    void out.write(`${json.slice(0, -1)},${PADDOCK_NODES_OPEN}\n`);
    this.#spool = TextOut.toFile(this.#spoolPath);
  }

  async page(p: LogPageWithChunks, out: TextOut): Promise<void> {
    for (const n of p.nodes) await out.write(`${this.#nodes++ === 0 ? '' : ',\n'}${JSON.stringify(n)}`);
    for (const c of p.chunks) await this.#spool!.write(`${this.#chunks++ === 0 ? '' : ',\n'}${JSON.stringify(c)}`);
  }

  async end(out: TextOut): Promise<void> {
    await out.write(`\n${PADDOCK_CHUNKS_OPEN}\n`);
    await this.#spool!.close();
    await out.flush();
    await out.pipeFrom(fs.createReadStream(this.#spoolPath));
    await out.write('\n]}\n');
    await fs.promises.rm(this.#spoolPath, { force: true });
  }

  async discard(): Promise<void> {
    this.#spool?.destroy();
    await fs.promises.rm(this.#spoolPath, { force: true });
  }
}

