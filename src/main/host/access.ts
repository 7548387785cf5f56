// Who may talk to the browser host. The token (random per start) is the real gate; the Origin
// check stops other web pages in the same browser from even trying (cross-site WebSocket
// hijacking), including through DNS rebinding, where a foreign name resolves to 127.0.0.1 and
// the Host header matches the attacker's Origin.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { TOKEN_PATTERN, WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/ipc';

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

export function isValidToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Constant-time comparison; hashing first makes lengths equal so length is not leaked either. */
export function tokensMatch(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The token offered as a `paddock.token.<token>` subprotocol, or null. */
export function tokenFromProtocolHeader(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const protocol = part.trim();
    if (protocol.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return protocol.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isLoopback(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  return LOOPBACK_NAMES.has(h) || h.startsWith('127.');
}

export interface OriginPolicy {
  /** The --host the server is bound to. */
  boundHost: string;
  port: number;
}

/**
 * Only the host's own origin may open the WebSocket. A request without Origin comes from a
 * non-browser client (no page can omit it), which is fine: it still needs the token.
 */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (port !== policy.port) return false;
  const originHost = stripBrackets(url.hostname).toLowerCase();
  const bound = stripBrackets(policy.boundHost).toLowerCase();
  if (isLoopback(bound)) return isLoopback(originHost);
  if (originHost === bound) return true;
  if (WILDCARD_HOSTS.has(policy.boundHost) || WILDCARD_HOSTS.has(bound)) {
    // Reachable under any local address: accept the address the browser used, but only an IP
    // literal or a loopback name: a DNS name could be a rebinding attacker's.
    if (!hostHeader) return false;
    let requested: string;
    try {
      requested = stripBrackets(new URL(`http://${hostHeader}`).hostname).toLowerCase();
    } catch {
      return false;
    }
    return requested === originHost && (isIP(originHost) !== 0 || isLoopback(originHost));
  }
  return false;
}

/** The address printed to the user: a wildcard bind is reachable on loopback. */
export function displayHost(boundHost: string): string {
  if (WILDCARD_HOSTS.has(boundHost)) return '127.0.0.1';
  return isIP(boundHost) === 6 ? `[${boundHost}]` : boundHost;
}
