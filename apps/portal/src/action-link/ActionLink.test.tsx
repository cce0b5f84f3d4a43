import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { stubFetch } from '../test-fetch';
import { ActionLink } from './ActionLink';
import { ERROR_CODE_MESSAGES } from '../shell/error-messages';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';
const PREVIEW = {
  appointment: { start: '2026-12-10T02:00:00.000Z', end: '2026-12-10T02:20:00.000Z', status: 'booked' },
  offers: ['confirm', 'cancel'],
  expiresAt: '2026-12-10T02:00:00.000Z',
};

describe('appointment action link page', () => {
  beforeEach(async () => {
    window.location.hash = `#${TOKEN}`;
    await i18next.changeLanguage('vi');
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    window.location.hash = '';
  });

  it('shows the time, spends nothing on opening, confirms with one POST', async () => {
    let used = false;
    const calls = stubFetch((c) =>
      c.url.endsWith('/preview')
        ? used
          ? json(410, { code: 'SCHEDULING.LINK_USED', message: 'used' })
          : json(200, PREVIEW)
        : c.url.endsWith('/use')
          ? ((used = true), json(200, { ...PREVIEW, offers: [] }))
          : undefined,
    );
    render(<ActionLink />);
    expect((await screen.findByTestId('action-link-time')).textContent).toContain('09:00 10/12/2026 – 09:20');
    expect(calls.map((c) => [c.url, c.method, c.body])).toEqual([
      ['/scheduling/action-links/preview', 'POST', { token: TOKEN }],
    ]);
    expect(calls[0]!.headers.has('Authorization')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Xác nhận sẽ đến' }));
    expect((await screen.findByTestId('action-link-done')).textContent).toContain(
      'Lịch hẹn đã được xác nhận',
    );
    expect(calls.at(-1)).toMatchObject({
      url: '/scheduling/action-links/use',
      body: { token: TOKEN, action: 'confirm' },
    });
    // reopened: already used
    cleanup();
    render(<ActionLink />);
    expect((await screen.findByTestId('action-link-refused')).textContent).toContain('đã được sử dụng');
    expect(missingKeys).toEqual([]);
  });

  it('cancel asks first; "no" keeps the appointment', async () => {
    const calls = stubFetch((c) => (c.url.endsWith('/preview') ? json(200, PREVIEW) : json(200, PREVIEW)));
    await i18next.changeLanguage('en');
    render(<ActionLink />);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel the appointment' }));
    fireEvent.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(calls.filter((c) => c.url.endsWith('/use'))).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel the appointment' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    await waitFor(() => expect(screen.getByTestId('action-link-done').textContent).toContain('cancelled'));
    expect(calls.at(-1)?.body).toEqual({ token: TOKEN, action: 'cancel' });
  });

  it('an expired or unknown link says so in the user’s language', async () => {
    stubFetch(() => json(410, { code: 'SCHEDULING.LINK_EXPIRED', message: 'x' }));
    await i18next.changeLanguage('en');
    render(<ActionLink />);
    expect((await screen.findByTestId('action-link-refused')).textContent).toContain(
      ERROR_CODE_MESSAGES.en.SCHEDULING_LINK_EXPIRED,
    );
  });

  it('a link without a token asks to reopen it, and calls nothing', () => {
    window.location.hash = '';
    const calls = stubFetch(() => undefined);
    render(<ActionLink />);
    expect(screen.getByRole('alert').textContent).toContain('Liên kết không đầy đủ');
    expect(calls).toEqual([]);
  });
});
