// The writer's one connection, replaced after a failure: after a failed batch the connection may
// be poisoned (see LogWriterOptions.reopen), so it is dropped and the next use opens a new one.

import type { WriterConnection } from '../worker-connection.js';

export class ConnectionSlot {
  constructor(
    private client: WriterConnection | null,
    /** Whether close() closes the current client: given by the caller, or one the writer opened. */
    private ownsClient: boolean,
    private readonly reopen: (() => Promise<WriterConnection>) | null,
  ) {}

  /** The connection now, or null after a failure discarded it. */
  get current(): WriterConnection | null {
    return this.client;
  }

  async get(): Promise<WriterConnection> {
    if (!this.client) {
      this.client = await this.reopen!();
      this.ownsClient = true;
    }
    return this.client;
  }

  /** After a failure the connection may be poisoned (see LogWriterOptions.reopen): replace it. */
  discard(): void {
    if (!this.reopen || !this.client) return;
    if (this.ownsClient) {
      try {
        this.client.close();
      } catch {
        // closing a broken connection may fail; it is dropped either way
      }
    }
    this.client = null;
  }

  close(): void {
    if (this.ownsClient) this.client?.close();
  }
}
