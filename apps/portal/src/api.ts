/**
 * The portal talks to the platform's public APIs only (the same ones any client uses): FHIR at
 * /fhir, auth at /auth, scheduling at /scheduling. Errors carry the server's message
 * (OperationOutcome diagnostics or `message`) so pages can say what happened.
 */
import { session } from './shell/session-store';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export type FhirResource = { resourceType: string; id?: string; [key: string]: unknown };
export interface Bundle<T = FhirResource> {
  resourceType: 'Bundle';
  total?: number;
  entry?: { resource?: T; search?: { mode?: string } }[];
  link?: { relation: string; url: string }[];
}

function messageOf(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as {
      issue?: { diagnostics?: string; details?: { text?: string } }[];
      message?: string | string[];
      error_description?: string;
    };
    const issue = b.issue?.find((i) => i.diagnostics ?? i.details?.text);
    if (issue) return issue.diagnostics ?? issue.details?.text ?? '';
    if (Array.isArray(b.message)) return b.message.join('; ');
    if (b.message) return b.message;
    if (b.error_description) return b.error_description;
  }
  return `HTTP ${status}`;
}

/**
 * The portal's own copy of GET answers that carry an ETag: the server marks patient data
 * `no-store` (no browser or proxy cache), so the portal keeps the last answer in memory — per
 * signed-in user, never on disk — and revalidates it (If-None-Match → 304, no body on a weak link).
 */
const kept = new Map<string, { etag: string; text: string }>();
const KEPT_MAX = 200;
session.subscribe(() => {
  if (!session.token) kept.clear();
});

function keep(key: string, etag: string, text: string): void {
  kept.delete(key);
  kept.set(key, { etag, text });
  if (kept.size > KEPT_MAX) kept.delete(kept.keys().next().value as string);
}

export async function api<T = unknown>(
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<T> {
  const headers = new Headers(init.headers);
  const token = await session.accessToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', path.startsWith('/fhir') ? 'application/fhir+json' : 'application/json');
    body = JSON.stringify(init.json);
  }
  if (!headers.has('Accept')) headers.set('Accept', 'application/fhir+json, application/json');
  const method = (init.method ?? 'GET').toUpperCase();
  const key = method === 'GET' && body === undefined ? `${session.claims?.sub ?? ''} ${path}` : undefined;
  const prior = key !== undefined ? kept.get(key) : undefined;
  if (prior && !headers.has('If-None-Match')) headers.set('If-None-Match', prior.etag);
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, body });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 401) session.expired();
  if (res.status === 304 && prior && key !== undefined) {
    keep(key, prior.etag, prior.text);
    return JSON.parse(prior.text) as T;
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, parsed), parsed);
  if (key !== undefined) {
    const etag = res.headers.get('ETag');
    if (etag && text) keep(key, etag, text);
    else kept.delete(key);
  }
  return parsed as T;
}

export const fhir = {
  read: <T = FhirResource>(type: string, id: string) => api<T>(`/fhir/${type}/${encodeURIComponent(id)}`),
  search: <T = FhirResource>(type: string, params: Record<string, string | string[]> = {}) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
    return api<Bundle<T>>(`/fhir/${type}?${q.toString()}`);
  },
  /** The same search with the criteria in a form body (`POST _search`): identifiers stay out of URLs and logs. */
  searchByPost: <T = FhirResource>(type: string, params: Record<string, string | string[]> = {}) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return api<Bundle<T>>(`/fhir/${type}/_search`, { method: 'POST', body });
  },
  create: <T = FhirResource>(resource: FhirResource, headers?: Record<string, string>) =>
    api<T>(`/fhir/${resource.resourceType}`, { method: 'POST', json: resource, headers }),
  update: <T = FhirResource>(resource: FhirResource) =>
    api<T>(`/fhir/${resource.resourceType}/${resource.id ?? ''}`, { method: 'PUT', json: resource }),
};

/** The resources of a search Bundle (matches only, not included ones unless asked). */
export function resources<T = FhirResource>(bundle: Bundle<T> | undefined, includeIncluded = false): T[] {
  return (bundle?.entry ?? [])
    .filter((e) => includeIncluded || e.search?.mode !== 'include')
    .map((e) => e.resource)
    .filter((r): r is T => r !== undefined);
}

/** A person's name as written in Vietnamese: family, middle and given name. */
export function humanName(
  r: { name?: { text?: string; family?: string; given?: string[] }[] } | undefined,
): string {
  const n = r?.name?.[0];
  if (!n) return '';
  return n.text ?? [n.family, ...(n.given ?? [])].filter(Boolean).join(' ');
}
