// Serves the built renderer. Static files hold no user data (everything comes over the
// authenticated WebSocket), so they are served without the token; paths are confined to the
// renderer folder and unknown routes fall back to index.html for the single-page app.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Same policy as the Electron window: our own scripts only, and connections only back to this
 * host (named explicitly for ws:, which older engines do not count as 'self').
 */
export function contentSecurityPolicy(hostHeader: string | undefined): string {
  const host = hostHeader && /^[A-Za-z0-9.\-:[\]]{1,300}$/.test(hostHeader) ? hostHeader : null;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${host ? ` ws://${host}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const ERROR_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Where the built renderer is: $PADDOCK_RENDERER_DIR, else `out/renderer` found from the CLI
 * bundle (dist/cli.mjs), the source tree (src/main/host) or the working directory.
 */
export function findRendererDir(env: NodeJS.ProcessEnv = process.env, here: string = import.meta.url): string | null {
  const hereDir = path.dirname(fileURLToPath(here));
  const candidates = [
    env.PADDOCK_RENDERER_DIR,
    path.resolve(hereDir, '..', 'out', 'renderer'),
    path.resolve(hereDir, '..', '..', '..', 'out', 'renderer'),
    path.resolve(process.cwd(), 'out', 'renderer'),
  ];
  for (const dir of candidates) {
    if (dir && existsSync(path.join(dir, 'index.html'))) return path.resolve(dir);
  }
  return null;
}

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Paddock is not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#eee;padding:.1em .3em}</style>
</head><body><h1>Paddock's interface is not built yet</h1>
<p>The server is running, but there is no built renderer in <code>out/renderer</code>.</p>
<p>Run <code>npm run build</code> in the Paddock folder, then start <code>npx paddock serve</code> again.</p></body></html>`;

export function createStaticHandler(rendererDir: string | null) {
  const root = rendererDir ? path.resolve(rendererDir) : null;
  return function serveStatic(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    if (!root) {
      send(res, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE, { 'Content-Security-Policy': ERROR_PAGE_POLICY });
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
      return;
    }
    if (pathname.includes('\0')) {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
      return;
    }
    let file = path.resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      send(res, 403, 'text/plain; charset=utf-8', 'Forbidden');
      return;
    }
    let stats = existsSync(file) ? statSync(file) : null;
    if (stats?.isDirectory()) {
      file = path.join(file, 'index.html');
      stats = existsSync(file) ? statSync(file) : null;
    }
    if (!stats || !stats.isFile()) {
      // Routes of the single-page app load index.html; a missing asset is a plain 404.
      if (path.extname(pathname)) {
        send(res, 404, 'text/plain; charset=utf-8', 'Not found');
        return;
      }
      file = path.join(root, 'index.html');
      stats = statSync(file);
    }
    const ext = path.extname(file).toLowerCase();
    const isHtml = ext === '.html';
    // Vite's hashed assets never change; everything else is revalidated to pick up a new build.
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': stats.size,
        'Cache-Control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(isHtml ? { 'Content-Security-Policy': contentSecurityPolicy(req.headers.host) } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };
}
