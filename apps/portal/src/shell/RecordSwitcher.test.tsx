import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { fhirAnswer as json, stubFetch } from '../test-fetch';
import { RecordSwitcher } from './RecordSwitcher';
import { type Claims, session, USER_NAME_KEY } from './session-store';

/** An unsigned token with these claims (the portal only reads claims; the server verifies). */
const token = (claims: Partial<Claims>): string =>
  `x.${btoa(JSON.stringify({ sub: 'acc1', role: 'patient', exp: Date.now() / 1000 + 3600, ...claims }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')}.y`;
const mine = { fhirUser: 'Patient/me', patient: 'me' };
const dependents = { dependents: [{ patient: 'child1', name: 'Nguyễn Bé Na', birthDate: '2025-03-01' }] };

beforeEach(() => {
  missingKeys.length = 0;
  sessionStorage.clear();
  sessionStorage.setItem('mekong.accessToken', token(mine));
  sessionStorage.setItem('mekong.refreshToken', 'r1');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('RecordSwitcher', () => {
  it("a parent opens their child's record and back, without the password; each switch spends the refresh token once", async () => {
    const calls = stubFetch((c) => {
      if (c.url === '/auth/dependents') return json(200, dependents);
      if (c.url === '/auth/token') {
        const patient = (c.body as { patient: string }).patient;
        return json(200, {
          access_token: token({ fhirUser: 'Patient/me', patient }),
          refresh_token: `after-${patient}`,
        });
      }
      return undefined;
    });
    const { rerender } = render(<RecordSwitcher claims={session.claims!} />);
    const group = await screen.findByRole('group', { name: 'Hồ sơ đang mở:' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual([
      'Hồ sơ của tôi',
      'Hồ sơ của con: Nguyễn Bé Na (sinh ngày 01/03/2025)',
    ]);
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).toEqual(['true', 'false']);
    // The whole label, wrapping on a phone (never cut off as in a closed <select>).
    expect(buttons[1]!.style.whiteSpace).toBe('normal');

    fireEvent.click(buttons[1]!);
    await waitFor(() => expect(session.claims?.patient).toBe('child1'));
    expect(calls.find((c) => c.url === '/auth/token')?.body).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'r1',
      patient: 'child1',
    });
    expect(sessionStorage.getItem('mekong.refreshToken')).toBe('after-child1');
    expect(window.location.pathname).toBe('/record');

    rerender(<RecordSwitcher claims={session.claims!} />);
    expect(
      within(screen.getByRole('group', { name: 'Hồ sơ đang mở:' }))
        .getByRole('button', { name: 'Hồ sơ của con: Nguyễn Bé Na (sinh ngày 01/03/2025)' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Hồ sơ của tôi' }));
    await waitFor(() => expect(session.claims?.patient).toBe('me'));
    expect(calls.filter((c) => c.url === '/auth/token').map((c) => c.body)).toEqual([
      { grant_type: 'refresh_token', refresh_token: 'r1', patient: 'child1' },
      { grant_type: 'refresh_token', refresh_token: 'after-child1', patient: 'me' },
    ]);
    expect(missingKeys).toEqual([]);
  });

  it("reads the parent's own name before switching: the child's token cannot, and the header keeps it", async () => {
    const calls = stubFetch((c) => {
      if (c.url === '/auth/dependents') return json(200, dependents);
      if (c.url === '/fhir/Patient/me')
        return session.claims?.patient === 'me'
          ? json(200, { resourceType: 'Patient', id: 'me', name: [{ family: 'Lê', given: ['Mẹ'] }] })
          : json(403, { resourceType: 'OperationOutcome', issue: [] });
      if (c.url === '/auth/token')
        return json(200, {
          access_token: token({ fhirUser: 'Patient/me', patient: 'child1' }),
          refresh_token: 'after-child1',
        });
      return undefined;
    });
    render(<RecordSwitcher claims={session.claims!} />);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Hồ sơ của con: Nguyễn Bé Na (sinh ngày 01/03/2025)' }),
    );
    await waitFor(() => expect(session.claims?.patient).toBe('child1'));
    const urls = calls.map((c) => c.url);
    expect(urls.indexOf('/fhir/Patient/me')).toBeGreaterThan(-1);
    expect(urls.indexOf('/fhir/Patient/me')).toBeLessThan(urls.indexOf('/auth/token'));
    expect(JSON.parse(sessionStorage.getItem(USER_NAME_KEY)!)).toEqual({
      fhirUser: 'Patient/me',
      name: 'Lê Mẹ',
    });
    // Signing out forgets it with the tokens.
    await session.signOut();
    expect(sessionStorage.getItem(USER_NAME_KEY)).toBeNull();
  });

  it('a refused switch says so and keeps the record that was open', async () => {
    stubFetch((c) => {
      if (c.url === '/auth/dependents') return json(200, dependents);
      if (c.url === '/auth/token') return json(400, { error: 'invalid_request' });
      return undefined;
    });
    render(<RecordSwitcher claims={session.claims!} />);
    fireEvent.click(await screen.findByRole('button', { name: /Nguyễn Bé Na/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('Không mở được hồ sơ này');
    expect(session.claims?.patient).toBe('me');
    expect(sessionStorage.getItem('mekong.refreshToken')).toBe('r1');
  });

  it('shows nothing to a patient without children, and speaks English', async () => {
    stubFetch((c) => (c.url === '/auth/dependents' ? json(200, { dependents: [] }) : undefined));
    const { container } = render(<RecordSwitcher claims={session.claims!} />);
    await waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalled());
    await act(async () => undefined); // the answer is in
    expect(container.innerHTML).toBe('');
    cleanup();

    stubFetch((c) => (c.url === '/auth/dependents' ? json(200, dependents) : undefined));
    await act(() => i18next.changeLanguage('en'));
    try {
      render(<RecordSwitcher claims={session.claims!} />);
      const group = await screen.findByRole('group', { name: 'Open record:' });
      expect(
        within(group)
          .getAllByRole('button')
          .map((b) => b.textContent),
      ).toEqual(['My record', "My child's record: Nguyễn Bé Na (born 01/03/2025)"]);
    } finally {
      await act(() => i18next.changeLanguage('vi'));
    }
  });
});
