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

export interface BrowserHostOptions extends ListenOptions {
  dispatch: Dispatch;
  subscribe: EventSource;
}

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
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

/** Bound to its port and serving static files, but no contract yet (no WebSocket upgrades). */
export interface ListeningHost {
  port: number;
  url: string;
  server: Server;
  /** Starts answering the contract over /ws. Once only. */
  attach(api: { dispatch: Dispatch; subscribe: EventSource }): BrowserHost;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  return (await listenBrowserHost(options)).attach(options);
}

/**
 * Binds the port first, so `paddock serve` learns the port is taken before it opens (and
 * migrates) the database; the contract is attached once the core is ready.
 */
export async function listenBrowserHost(options: ListenOptions): Promise<ListeningHost> {
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${displayHost(options.host)}:${port}/#token=${options.token}`;
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    port,
    url,
    server,
    close: closeServer,
    attach: ({ dispatch, subscribe }) => {
      const sockets = attachSocketServer({
        server,
        token: options.token,
        policy: () => ({ boundHost: options.host, port }),
        dispatch,
        subscribe,
        logger,
      });
      return {
        port,
        url,
        server,
        clients: () => sockets.clients(),
        close: async () => {
          await sockets.close();
          await closeServer();
        },
      };
    },
  };
}
