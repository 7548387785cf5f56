// `paddock serve`: one HTTP server on one port, serving the built renderer and the contract
// over a WebSocket at /ws. Plain Node; the Electron host uses the same dispatcher instead.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatch } from '../ipc/dispatcher';
import { consoleLogger, type IpcLogger } from '../ipc/errors';
import { displayHost } from './access';
import type { EventSource } from '../ipc/events';
import { attachSocketServer } from './socket-server';
import { createStaticHandler } from './static-files';

export interface BrowserHostOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  dispatch: Dispatch;
  subscribe: EventSource;
  rendererDir: string | null;
  logger?: IpcLogger;
}

export interface BrowserHost {
  port: number;
  /** The link to open, with the token in the fragment (never sent to the server by browsers). */
  url: string;
  server: Server;
  /** Open, authenticated WebSocket connections (windows that can answer an approval). */
  clients(): number;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const logger = options.logger ?? consoleLogger;
  const serveStatic = createStaticHandler(options.rendererDir);
  const server = createServer((req, res) => {
    try {
      serveStatic(req, res);
    } catch (error) {
      logger.error('static file error', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  // Slow-loris style clients should not pin sockets forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  let port = options.port;
  const sockets = attachSocketServer({
    server,
    token: options.token,
    policy: () => ({ boundHost: options.host, port }),
    dispatch: options.dispatch,
    subscribe: options.subscribe,
    logger,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${displayHost(options.host)}:${port}/#token=${options.token}`,
    server,
    clients: () => sockets.clients(),
    close: async () => {
      await sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
