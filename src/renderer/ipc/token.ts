// The browser host prints a link with `#token=...`. The fragment never reaches the server's
// logs; we move it to sessionStorage (so a reload still works) and out of the address bar (so
// it is not bookmarked, shared in a screenshot or kept in history).
const STORAGE_KEY = 'paddock.token';

export interface TokenLocation {
  hash: string;
  pathname: string;
  search: string;
}

export interface TokenEnvironment {
  location: TokenLocation;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  replaceUrl: (url: string) => void;
}

export function takeToken(env: TokenEnvironment): string | null {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    try {
      env.storage?.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    params.delete('token');
    const rest = params.toString();
    env.replaceUrl(`${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  try {
    return env.storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
