/** A thin FHIR-over-fetch helper for e2e tests (the fhir-kit-client suite talks to the same server). */
export class Fhir {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{
    status: number;
    headers: Headers;
    body: Record<string, unknown> & { resourceType?: string };
  }> {
    const res = await fetch(`${this.url}/fhir/${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
  put(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PUT', path, body, headers);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }

  /**
   * The body of `path` once `ready(body, status)` holds (work done by a background job, e.g. a
   * visit's write-back), polling every 250 ms; throws after `timeoutMs`.
   */
  async until(
    path: string,
    ready: (body: Record<string, unknown>, status: number) => boolean,
    timeoutMs = 20000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.get(path);
      if (ready(r.body, r.status)) return r.body;
      if (Date.now() > deadline) throw new Error(`${path} not ready after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Ids of the `match` entries of a searchset. */
  static ids(bundle: Record<string, unknown>): string[] {
    const entries = (bundle.entry ?? []) as { resource: { id: string }; search?: { mode: string } }[];
    return entries.filter((e) => e.search?.mode !== 'include').map((e) => e.resource.id);
  }
}
