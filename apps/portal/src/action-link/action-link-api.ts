import { ApiError } from '../api';

export type LinkAction = 'confirm' | 'cancel';

export interface LinkPreview {
  appointment: { start: string; end: string; status: string };
  offers: LinkAction[];
  expiresAt: string;
}

/** The token of an action link `/a#<token>`: in the fragment, which the browser never sends. */
export function tokenFromHash(hash: string): string | undefined {
  return /^#([A-Za-z0-9_-]{16,128})$/.exec(hash)?.[1];
}

/** The code of a refused link (`SCHEDULING.LINK_USED` ...), or undefined for a network or other error. */
export function linkErrorCode(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || !err.body || typeof err.body !== 'object') return undefined;
  const code = (err.body as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Public calls: no Authorization header (whoever holds the link may use it, signed in or not). */
async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/scheduling/action-links/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, `HTTP ${res.status}`, parsed);
  return parsed as T;
}

/** What the link is for; never spends it. */
export const previewLink = (token: string): Promise<LinkPreview> => post('preview', { token });

/** Confirms or cancels, once. */
export const actOnLink = (token: string, action: LinkAction): Promise<LinkPreview> =>
  post('use', { token, action });
