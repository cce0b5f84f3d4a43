import type { StoredVersion, FhirResource } from '../store/resource.repository';

/** What an interaction answers: status, headers, FHIR JSON body (undefined: none). */
export interface FhirResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** A body already serialised (a stored resource forwarded as is). */
  readonly text?: string;
}

export const etagOf = (v: Pick<StoredVersion, 'versionId'>): string => `W/"${v.versionId}"`;

/** Headers of a response carrying one version of a resource. */
export function versionHeaders(
  base: string,
  v: Pick<StoredVersion, 'resourceType' | 'id' | 'versionId' | 'lastUpdated'>,
): Record<string, string> {
  return {
    ETag: etagOf(v),
    'Last-Modified': v.lastUpdated.toUTCString(),
    Location: `${base}/${v.resourceType}/${v.id}/_history/${v.versionId}`,
  };
}

export function bundle(type: string, entries: unknown[], extra: Record<string, unknown> = {}): FhirResource {
  return { resourceType: 'Bundle', type, ...extra, entry: entries } as FhirResource;
}

/** History entries: tombstones carry only the request and response (R4 history bundles). */
export function historyEntry(base: string, v: StoredVersion): Record<string, unknown> {
  const url = `${base}/${v.resourceType}/${v.id}`;
  return {
    fullUrl: url,
    ...(v.content ? { resource: v.content } : {}),
    request: {
      method: v.deleted ? 'DELETE' : v.versionId === 1 ? 'POST' : 'PUT',
      url: `${v.resourceType}/${v.id}`,
    },
    response: {
      status: v.deleted ? '204' : v.versionId === 1 ? '201' : '200',
      etag: etagOf(v),
      lastModified: v.lastUpdated.toISOString(),
    },
  };
}
