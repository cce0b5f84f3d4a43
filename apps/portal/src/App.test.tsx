import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { i18next } from './i18n';
import type { Claims } from './shell/session-store';

// The areas stand in for themselves (their own tests cover them): this is about the shell —
// which area a path opens.
vi.mock('./booking/BookingArea', () => ({
  default: ({ path }: { path: string }) => <p>booking area at {path}</p>,
}));
vi.mock('./station/StationArea', () => ({
  default: ({ path }: { path: string }) => <p>station area at {path}</p>,
}));

const token = (claims: Partial<Claims>) => {
  const payload = btoa(JSON.stringify({ sub: 'u1', exp: 9999999999, ...claims }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `e30.${payload}.sig`;
};
const signedIn = (claims: Partial<Claims>) => sessionStorage.setItem('mekong.accessToken', token(claims));
const at = (path: string) => history.replaceState(null, '', path);

beforeEach(async () => {
  await i18next.changeLanguage('vi');
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string) =>
      Promise.resolve(
        new Response(JSON.stringify(url === '/health' ? { status: 'ok' } : { dependents: [] }), {
          status: 200,
        }),
      ),
    ),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('routing: the path decides the area, whatever its query string', () => {
  it('a patient who just booked lands on their appointments (/appointments?booked=…)', async () => {
    signedIn({ role: 'patient', patient: 'p1', fhirUser: 'Patient/p1' });
    at('/appointments?booked=a1');
    render(<App />);
    expect(await screen.findByText('booking area at /appointments?booked=a1')).toBeTruthy();
    expect(screen.queryByText('Không tìm thấy trang này.')).toBeNull();
  });

  it('station staff on /station?… get the station, and the menu marks where they are', async () => {
    signedIn({ role: 'clinic-staff', organization: 'Organization/st1' });
    at('/station?registered=1');
    render(<App />);
    expect(await screen.findByText('station area at /station?registered=1')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Tìm bệnh nhân' }).getAttribute('aria-current')).toBe('page');
  });

  it('an unknown path is still "not found"', async () => {
    signedIn({ role: 'patient', patient: 'p1' });
    at('/nowhere?x=1');
    render(<App />);
    expect(await screen.findByText('Không tìm thấy trang này.')).toBeTruthy();
  });
});
