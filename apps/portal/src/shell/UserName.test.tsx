import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { fhirAnswer as json, stubFetch } from '../test-fetch';
import { type Claims, USER_NAME_KEY } from './session-store';
import { forgetUserNames, SignedInAs } from './UserName';

const claims = (fhirUser: string, role: Claims['role']): Claims => ({ sub: 'acc1', role, fhirUser, exp: 0 });

beforeEach(() => {
  missingKeys.length = 0;
  forgetUserNames();
  sessionStorage.clear();
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('vi');
});

describe('the header names the signed-in person (issue 18 item 17)', () => {
  it("a patient's name from their Patient resource, fetched once", async () => {
    const calls = stubFetch((c) =>
      c.url === '/fhir/Patient/p1'
        ? json(200, { resourceType: 'Patient', id: 'p1', name: [{ family: 'Nguyễn', given: ['An'] }] })
        : undefined,
    );
    const { rerender } = render(<SignedInAs claims={claims('Patient/p1', 'patient')} />);
    expect(await screen.findByText('Đang đăng nhập: Nguyễn An (Bệnh nhân)')).toBeTruthy();
    rerender(<SignedInAs claims={{ ...claims('Patient/p1', 'patient'), exp: 1 }} />);
    await act(() => i18next.changeLanguage('en'));
    expect(await screen.findByText('Signed in: Nguyễn An (Patient)')).toBeTruthy();
    expect(calls.filter((c) => c.url === '/fhir/Patient/p1')).toHaveLength(1);
    expect(missingKeys).toEqual([]);
  });

  it("a doctor's from their Practitioner resource; the role alone when the name cannot be read", async () => {
    stubFetch((c) =>
      c.url === '/fhir/Practitioner/d1'
        ? json(200, { resourceType: 'Practitioner', id: 'd1', name: [{ family: 'Trần', given: ['Minh'] }] })
        : undefined,
    );
    render(<SignedInAs claims={claims('Practitioner/d1', 'practitioner')} />);
    expect((await screen.findByText(/Trần Minh/)).textContent).toMatch(/^Đang đăng nhập: Trần Minh \(/);
    cleanup();
    render(<SignedInAs claims={claims('Practitioner/gone', 'practitioner')} />);
    await act(async () => undefined);
    expect(screen.getByText(/^Đang đăng nhập: /).textContent).not.toContain('(');
    expect(missingKeys).toEqual([]);
  });
  it("a parent in their child's record keeps their own name, though the child's token cannot read it (after a reload too)", async () => {
    let childToken = false;
    const calls = stubFetch((c) => {
      if (c.url !== '/fhir/Patient/me') return undefined;
      return childToken
        ? json(403, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] })
        : json(200, { resourceType: 'Patient', id: 'me', name: [{ family: 'Lê', given: ['Mẹ'] }] });
    });
    const parent = claims('Patient/me', 'patient');
    render(<SignedInAs claims={parent} />);
    expect(await screen.findByText('Đang đăng nhập: Lê Mẹ (Bệnh nhân)')).toBeTruthy();
    cleanup();
    // The switch to the child's record, then a reload: the names in memory are gone, the tab's
    // session storage is not, and the child's token may not read Patient/me.
    childToken = true;
    const kept = sessionStorage.getItem(USER_NAME_KEY);
    forgetUserNames();
    if (kept) sessionStorage.setItem(USER_NAME_KEY, kept);
    render(<SignedInAs claims={{ ...parent, patient: 'child1' }} />);
    expect(await screen.findByText('Đang đăng nhập: Lê Mẹ (Bệnh nhân)')).toBeTruthy();
    expect(calls.filter((c) => c.url === '/fhir/Patient/me')).toHaveLength(1);
    // Another person's session (or none) never shows it.
    cleanup();
    render(<SignedInAs claims={claims('Patient/other', 'patient')} />);
    await act(async () => undefined);
    expect(screen.queryByText(/Lê Mẹ/)).toBeNull();
    expect(missingKeys).toEqual([]);
  });
});
