import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from './api';
import { session } from './shell/session-store';
import { type FetchCall, stubFetch } from './test-fetch';

/** A token whose claims name `sub` (the portal only decodes it). */
const token = (sub: string): string =>
  `x.${btoa(JSON.stringify({ sub, role: 'patient', exp: Math.floor(Date.now() / 1000) + 3600 }))}.y`;

const withEtag = (etag: string, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/fhir+json', ETag: etag },
  });

describe('api: the portal revalidates its own in-memory copy with ETags (issue 18 item 18)', () => {
  let calls: FetchCall[];
  let version: number;

  beforeEach(() => {
    version = 1;
    session.store(token('user-a'));
    calls = stubFetch((call) => {
      const etag = `W/"v${version}"`;
      if (call.method === 'GET' && call.headers.get('If-None-Match') === etag)
        return new Response(null, { status: 304 });
      if (call.method === 'GET') return withEtag(etag, { resourceType: 'Patient', id: 'p1', v: version });
      return withEtag('W/"post"', { ok: true });
    });
  });
  afterEach(async () => {
    vi.unstubAllGlobals();
    await session.signOut();
  });

  it('a repeated GET sends If-None-Match and a 304 answers with the kept copy; a change is fetched again', async () => {
    expect(await api('/fhir/Patient/p1')).toEqual({ resourceType: 'Patient', id: 'p1', v: 1 });
    expect(calls[0]!.headers.get('If-None-Match')).toBeNull();
    expect(await api('/fhir/Patient/p1')).toEqual({ resourceType: 'Patient', id: 'p1', v: 1 });
    expect(calls[1]!.headers.get('If-None-Match')).toBe('W/"v1"');
    version = 2;
    expect(await api('/fhir/Patient/p1')).toEqual({ resourceType: 'Patient', id: 'p1', v: 2 });
    expect(calls[2]!.headers.get('If-None-Match')).toBe('W/"v1"');
  });

  it('another signed-in user never gets the first user’s copy; signing out forgets everything', async () => {
    await api('/fhir/Patient/p1');
    session.store(token('user-b'));
    await api('/fhir/Patient/p1');
    expect(calls[1]!.headers.get('If-None-Match')).toBeNull();
    await session.signOut();
    session.store(token('user-a'));
    await api('/fhir/Patient/p1');
    expect(
      calls
        .filter((c) => c.method === 'GET')
        .at(-1)!
        .headers.get('If-None-Match'),
    ).toBeNull();
  });

  it('writes are never revalidated or kept', async () => {
    await api('/fhir/Observation', { method: 'POST', json: { resourceType: 'Observation' } });
    await api('/fhir/Observation', { method: 'POST', json: { resourceType: 'Observation' } });
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('If-None-Match'))).toEqual([
      null,
      null,
    ]);
  });
});
