// Serves the built renderer from app://paddock/ instead of file://: a real origin, so the CSP's
// 'self', sender checks and storage all work, and no other local file is reachable.
import path from 'node:path';

/** The file for an app:// request, or null when the path escapes the renderer folder. */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

/** The response with the given Content-Security-Policy header (webRequest does not see app:// responses). */
export function withPolicyHeader(response: Response, policy: string): Response {
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', policy);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
