import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { i18next } from './i18n';
import type { Claims } from './shell/session-store';

// The areas stand in for themselves (their own tests cover them): this is about the shell —
// which area a path opens, and what happens when an area's code cannot be downloaded.
const areas = vi.hoisted(() => ({ recordDownloads: 0, recordFailsUntil: 0 }));
vi.mock('./booking/BookingArea', () => ({
  default: ({ path }: { path: string }) => <p>booking area at {path}</p>,
}));
vi.mock('./station/StationArea', () => ({
  default: ({ path }: { path: string }) => <p>station area at {path}</p>,
}));
vi.mock('./record/RecordArea', () => {
  areas.recordDownloads++;
  if (areas.recordDownloads <= areas.recordFailsUntil)
    throw new TypeError('Failed to fetch dynamically imported module: /assets/RecordArea-x1.js');
  return { default: () => <p>record area</p> };
});

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
  vi.restoreAllMocks();
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

describe('an area whose code cannot be downloaded', () => {
  it('keeps the shell, says so in Vietnamese and English, and downloads again on retry', async () => {
    areas.recordFailsUntil = 1;
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // React reports the caught error
    signedIn({ role: 'patient', patient: 'p1' });
    at('/record');
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Không tải được trang này');
    expect(alert.textContent).toContain('Mạng có thể đang chậm hoặc bị ngắt');
    // The header (language, sign-out) and the navigation are still there.
    expect(screen.getByRole('button', { name: 'Đăng xuất' })).toBeTruthy();
    expect(screen.getByRole('navigation')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'English' }));
    });
    expect(screen.getByRole('alert').textContent).toContain('This page could not be loaded');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    });
    expect(await screen.findByText('record area')).toBeTruthy();
    expect(areas.recordDownloads).toBe(2);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
