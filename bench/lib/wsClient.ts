// A minimal client of the browser host's contract over its WebSocket (the same wire protocol the
// renderer speaks), so benchmarks can create agents, import sessions and watch events from Node.

import WebSocket from 'ws';
import { WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../src/shared/ipc/wire.js';

export interface HostLink {
  origin: string;
  token: string;
}

/** Parses `Paddock is running at http://127.0.0.1:PORT/#token=TOKEN`. */
export function parseHostLine(line: string): HostLink | null {
  const m = /Paddock is running at (http:\/\/[^/\s]+)\/#token=([A-Za-z0-9_-]+)/.exec(line);
  return m ? { origin: m[1]!, token: m[2]! } : null;
}

export class ContractClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  eventsReceived = 0;
  eventBytes = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      const msg = JSON.parse(text) as { type: string; id?: number; result?: { ok: boolean; data?: unknown; error?: { code: string; message: string } } };
      if (msg.type === 'event') {
        this.eventsReceived++;
        this.eventBytes += text.length;
        return;
      }
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.result?.ok) p.resolve(msg.result.data);
      else p.reject(new Error(`${msg.result?.error?.code}: ${msg.result?.error?.message}`));
    });
  }

  static connect(link: HostLink): Promise<ContractClient> {
    const url = `${link.origin.replace(/^http/, 'ws')}${WS_PATH}`;
    const ws = new WebSocket(url, [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${link.token}`], { origin: link.origin, maxPayload: 512 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ContractClient(ws)));
      ws.once('error', reject);
    });
  }

  call<T>(channel: string, payload?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  close(): void {
    this.ws.close();
  }
}
