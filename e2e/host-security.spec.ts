// The browser host's gate: the WebSocket needs the printed token and our own Origin, and a page
// opened without the token gets no data. Each refusal is paired with the same attempt done
// right, so the test fails if the host refuses everything (or accepts everything).
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../src/shared/ipc/wire';
import { browserHostOnly, expect, test } from './fixtures';
import { startHost } from './support/host-process';
import { probeSocket, request } from './support/ws-probe';

test.describe('browser host access', () => {
  test('serve prints exactly one line and honours --token', async ({ app }) => {
    const host = browserHostOnly(app);
    expect(host.stdoutLines()).toEqual([`Paddock is running at ${host.url}`]);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{16,}$/);

    const dir = await mkdtemp(join(tmpdir(), 'paddock-e2e-token-'));
    const token = 'e2e-fixed-token-0123456789abcdef';
    const fixed = await startHost({ dataDir: dir, token });
    try {
      expect(fixed.token).toBe(token);
      expect(fixed.token).not.toBe(host.token);
      expect((await probeSocket(fixed.port, { token: host.token, origin: fixed.origin })).opened).toBe(false);
      const good = await probeSocket(fixed.port, { token, origin: fixed.origin });
      expect(good.opened).toBe(true);
      if (good.opened) good.socket.close();
    } finally {
      await fixed.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the WebSocket refuses a missing token, a wrong token and a foreign Origin', async ({ app }) => {
    const host = browserHostOnly(app);
    const ownOrigin = `http://127.0.0.1:${host.port}`;

    const missing = await probeSocket(host.port, { token: null, origin: ownOrigin });
    expect(missing).toMatchObject({ opened: false, status: 401 });

    const wrong = await probeSocket(host.port, { token: `${host.token.slice(0, -4)}AAAA`, origin: ownOrigin });
    expect(wrong).toMatchObject({ opened: false, status: 401 });

    for (const origin of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, `http://attacker.test:${host.port}`, 'null']) {
      const foreign = await probeSocket(host.port, { token: host.token, origin });
      expect(foreign, `Origin ${origin}`).toMatchObject({ opened: false, status: 403 });
    }

    // The same handshake with the right token and our own Origin works and answers requests.
    const good = await probeSocket(host.port, { token: host.token, origin: ownOrigin });
    expect(good.opened).toBe(true);
    if (!good.opened) return;
    try {
      const answer = await request(good.socket, 'app.info');
      expect(answer).toMatchObject({ ok: true });
    } finally {
      good.socket.close();
    }
  });

  test('a page served from another origin cannot open the socket even with the token', async ({ app }) => {
    const host = browserHostOnly(app);
    // A stand-in for a malicious site open in the same browser: it knows (or guessed) the token.
    const foreign: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    try {
      const page = await app.newIsolatedPage();
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      const attempt = (p: typeof page) =>
        p.evaluate(
          ([url, protocols]) =>
            new Promise<string>((resolve) => {
              const ws = new WebSocket(url, [...protocols]);
              ws.onopen = () => {
                ws.close();
                resolve('open');
              };
              ws.onclose = () => resolve('refused');
            }),
          [`ws://127.0.0.1:${host.port}${WS_PATH}`, [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${host.token}`]] as const,
        );
      expect(await attempt(page)).toBe('refused');
      // The app's own page, same browser, same token: allowed.
      expect(await attempt(app.page)).toBe('open');
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  test('a page opened without the token shows no data', async ({ app }) => {
    const host = browserHostOnly(app);
    const secret = `Private agent ${Date.now()}`;
    await app.call('agents.create', { name: secret });
    // Positive control: with the token, the agent is listed.
    await app.page.reload();
    await expect(app.page.getByText(secret).first()).toBeVisible();

    const stranger = await app.newIsolatedPage();
    await stranger.goto(host.baseUrl);
    await expect(stranger.getByText(/token/i).first()).toBeVisible();
    await expect(stranger.getByText(secret)).toHaveCount(0);
    // And the page cannot fetch anything itself: every call fails with FORBIDDEN.
    const code = await stranger.evaluate(async () => {
      const api = (globalThis as unknown as { paddock?: { agents: { list: () => Promise<unknown> } } }).paddock;
      if (!api) return 'no api';
      try {
        await api.agents.list();
        return 'ok';
      } catch (error) {
        return (error as { code?: string }).code ?? String(error);
      }
    });
    expect(code).toBe('FORBIDDEN');
  });
});
