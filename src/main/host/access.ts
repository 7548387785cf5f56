// Who may talk to the browser host. The token (random per start) is the real gate; the Origin
// check stops other web pages in the same browser from even trying (cross-site WebSocket
// hijacking), including through DNS rebinding, where a foreign name resolves to 127.0.0.1 and
// the Host header matches the attacker's Origin.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import os from 'node:os';
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
  return LOOPBACK_NAMES.has(h) || (isIP(h) === 4 && h.startsWith('127.'));
}

/** True when binding to `host` keeps Paddock on this machine (127.x, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return isLoopback(host);
}

export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(host.toLowerCase());
}

/** This machine's addresses other machines can reach (IPv4 first), for a wildcard bind. */
export function networkAddresses(interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): string[] {
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const external = all.filter((a) => !a.internal && !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')));
  return [...external.filter((a) => a.family === 'IPv4'), ...external.filter((a) => a.family === 'IPv6')].map((a) => a.address);
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

/**
 * The host printed in the link: the bound address itself; for a wildcard bind, the first address
 * other machines can use (that is what the bind was for), or loopback on a machine without one.
 */
export function displayHost(boundHost: string, addresses: () => string[] = networkAddresses): string {
  const host = isWildcardHost(boundHost) ? (addresses()[0] ?? '127.0.0.1') : stripBrackets(boundHost);
  return isIP(host) === 6 ? `[${host}]` : host;
}
