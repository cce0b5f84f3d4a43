import { vi } from 'vitest';

/** A FHIR JSON answer of the stubbed server. */
export const fhirAnswer = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/fhir+json' } });

export interface FetchCall {
  url: string;
  method: string;
  headers: Headers;
  body?: unknown;
}

/**
 * Component tests' server: replaces `fetch`, records every call (JSON and form bodies parsed) in the
 * returned array, and answers with `route`, or 404 when it has nothing. `vi.unstubAllGlobals()`
 * restores the real one.
 */
export function stubFetch(route: (call: FetchCall) => Response | undefined): FetchCall[] {
  const calls: FetchCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      const call: FetchCall = {
        url,
        method: init.method ?? 'GET',
        headers: new Headers(init.headers),
        body:
          typeof init.body === 'string'
            ? JSON.parse(init.body)
            : init.body instanceof URLSearchParams
              ? Object.fromEntries(init.body)
              : undefined,
      };
      calls.push(call);
      return Promise.resolve(route(call) ?? fhirAnswer(404, { resourceType: 'OperationOutcome', issue: [] }));
    }),
  );
  return calls;
}
