import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next } from '../../i18n';
import type { Claims } from '../../shell/session-store';
import StationArea from '../StationArea';
import { CAPTURE_SYSTEM, getItem, wipeDevice } from './outbox';

const claims: Claims = {
  sub: 'u1',
  role: 'clinic-staff',
  fhirUser: 'Practitioner/n1',
  organization: 'Organization/st1',
  exp: 9999999999,
};
const type = (id: string, value: string) =>
  fireEvent.change(document.getElementById(id) as HTMLInputElement, { target: { value } });

async function registerLâm(): Promise<void> {
  type('reg-family', 'Lâm');
  type('reg-given', 'Ngoại');
  type('reg-birthDate', '1961-04-03');
  fireEvent.change(document.getElementById('reg-gender') as HTMLSelectElement, { target: { value: 'male' } });
  await act(async () => {
    fireEvent.click(document.querySelector('button[type="submit"]') as HTMLButtonElement);
  });
  // IndexedDB (fake) answers on later ticks.
  for (let i = 0; i < 20 && !location.pathname.startsWith('/station/queued/'); i++)
    await act(() => new Promise((r) => setTimeout(r, 10)));
}

const queuedId = () => decodeURIComponent(location.pathname.split('/').pop() ?? '');

describe('registering without a link', () => {
  beforeEach(async () => {
    await i18next.changeLanguage('vi');
    history.replaceState(null, '', '/station/register');
    sessionStorage.setItem(
      'mekong.accessToken',
      `e30.${btoa(JSON.stringify({ sub: 'u1', exp: 9999999999 }))}.x`,
    );
    await wipeDevice();
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    sessionStorage.clear();
  });

  it('offline: nothing is sent, the Patient waits in the outbox and its page opens', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    render(<StationArea path="/station/register" claims={claims} />);
    await registerLâm();
    expect(location.pathname).toMatch(/^\/station\/queued\/[0-9a-f-]{36}$/);
    expect(fetch.mock.calls.filter(([url]) => String(url).startsWith('/fhir'))).toEqual([]);
    const item = await getItem(queuedId());
    expect(item).toMatchObject({ owner: 'u1', kind: 'register', state: 'waiting', label: 'Lâm Ngoại' });
    expect(item?.resources[0]?.identifier).toEqual([{ system: CAPTURE_SYSTEM, value: queuedId() }]);
  });

  it('the link drops during the send: kept with the capture identifier that was sent, so a replay is recognised', async () => {
    const sent: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string, init: RequestInit = {}) => {
        if (url === '/fhir/Patient') sent.push(JSON.parse(String(init.body)));
        return Promise.reject(new TypeError('Failed to fetch'));
      }),
    );
    render(<StationArea path="/station/register" claims={claims} />);
    await registerLâm();
    expect(sent).toHaveLength(1);
    const capture = (sent[0] as { identifier: { system: string; value: string }[] }).identifier.find(
      (i) => i.system === CAPTURE_SYSTEM,
    )?.value;
    expect(queuedId()).toBe(capture);
    expect((await getItem(queuedId()))?.state).toBe('waiting');
  });
});
