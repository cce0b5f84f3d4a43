import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next } from '../i18n';
import type { Claims } from '../shell/session-store';
import { CCCD_SYSTEM } from './identifiers';
import { lastSearch } from './search-memory';
import StationArea from './StationArea';

const claims: Claims = {
  sub: 'u1',
  role: 'clinic-staff',
  fhirUser: 'Practitioner/n1',
  organization: 'Organization/st1',
  exp: 9999999999,
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/fhir+json' } });
const outcome = (diagnostics: string, expression?: string) => ({
  resourceType: 'OperationOutcome',
  issue: [
    { severity: 'error', code: 'value', diagnostics, ...(expression ? { expression: [expression] } : {}) },
  ],
});

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(input(id), { target: { value } });

function fillValid() {
  type('reg-family', 'Nguyễn');
  type('reg-middle', 'Văn');
  type('reg-given', 'An');
  type('reg-birthDate', '1990-05-01');
  fireEvent.change(document.getElementById('reg-gender') as HTMLSelectElement, { target: { value: 'male' } });
  type('reg-cccd', '079090012345');
  type('reg-bhyt', 'DN4920123456789');
  type('reg-phone', '0912 345 678');
  type('reg-commune', 'An Bình');
  type('reg-district', 'Long Hồ');
  type('reg-province', 'Vĩnh Long');
}

const VALUES: Record<string, string> = {
  'reg-family': 'Nguyễn',
  'reg-middle': 'Văn',
  'reg-given': 'An',
  'reg-birthDate': '1990-05-01',
  'reg-gender': 'male',
  'reg-cccd': '079090012345',
  'reg-bhyt': 'DN4920123456789',
  'reg-phone': '0912 345 678',
  'reg-commune': 'An Bình',
  'reg-district': 'Long Hồ',
  'reg-province': 'Vĩnh Long',
};
const kept = () => Object.fromEntries(Object.keys(VALUES).map((id) => [id, input(id).value]));

beforeEach(async () => {
  await i18next.changeLanguage('vi');
  history.replaceState(null, '', '/station/register');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('registering a patient', () => {
  it('validates CCCD and BHYT as they are typed (aria-invalid + aria-describedby)', () => {
    render(<StationArea path="/station/register" claims={claims} />);
    const cccd = input('reg-cccd');
    type('reg-cccd', '0790');
    expect(cccd.getAttribute('aria-invalid')).toBeNull();
    type('reg-cccd', '999');
    expect(cccd.getAttribute('aria-invalid')).toBe('true');
    const describedBy = cccd.getAttribute('aria-describedby') ?? '';
    expect(describedBy).toContain('reg-cccd-error');
    expect(document.getElementById('reg-cccd-error')?.textContent).toContain("'999'");
    expect(document.getElementById('reg-cccd-error')?.textContent).toMatch(/không hợp lệ/);
    type('reg-cccd', '079090012345');
    expect(cccd.getAttribute('aria-invalid')).toBeNull();
    // the birth year digits are checked against the birth date
    type('reg-birthDate', '1985-01-01');
    expect(cccd.getAttribute('aria-invalid')).toBe('true');

    const bhyt = input('reg-bhyt');
    type('reg-bhyt', 'DN49');
    expect(bhyt.getAttribute('aria-invalid')).toBeNull();
    type('reg-bhyt', 'DN9');
    expect(bhyt.getAttribute('aria-invalid')).toBe('true');
    type('reg-bhyt', 'DN4920123456789');
    expect(bhyt.getAttribute('aria-invalid')).toBeNull();
    // a too-short number is an error once the field is left
    type('reg-bhyt', 'DN49');
    fireEvent.blur(bhyt);
    expect(bhyt.getAttribute('aria-invalid')).toBe('true');
  });

  it('on submit, marks the missing required fields and sends nothing', () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    render(<StationArea path="/station/register" claims={claims} />);
    fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
    expect(input('reg-family').getAttribute('aria-invalid')).toBe('true');
    expect(input('reg-given').getAttribute('aria-invalid')).toBe('true');
    expect(input('reg-birthDate').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/4 lỗi/);
    expect(document.activeElement).toBe(input('reg-family'));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('POSTs the Patient with If-None-Exist on the CCCD, managed by the station, then opens it', async () => {
    const fetch = vi.fn(async (_url: string, init: RequestInit) =>
      json(201, { ...(JSON.parse(String(init.body)) as object), id: 'new1' }),
    );
    vi.stubGlobal('fetch', fetch);
    render(<StationArea path="/station/register" claims={claims} />);
    fillValid();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/fhir/Patient');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('If-None-Exist')).toBe(`identifier=${CCCD_SYSTEM}|079090012345`);
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    expect(body).toMatchObject({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Văn', 'An'], text: 'Nguyễn Văn An' }],
      birthDate: '1990-05-01',
      gender: 'male',
      telecom: [{ system: 'phone', value: '0912345678' }],
      managingOrganization: { reference: 'Organization/st1' },
      address: [{ city: 'An Bình', district: 'Long Hồ', state: 'Vĩnh Long' }],
    });
    // The CCCD and BHYT typed, and the device's capture identifier (a resend is recognised).
    expect(body.identifier).toEqual([
      { system: CCCD_SYSTEM, value: '079090012345' },
      { system: 'http://fhir.hl7.org.vn/core/sid/bhyt', value: 'DN4920123456789' },
      {
        system: 'https://mekong.health/fhir/sid/device-capture',
        value: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    expect(window.location.pathname).toBe('/station/patient/new1');
  });

  it.each([409, 412])(
    'keeps everything typed when the server answers %i, and links to the patient with that CCCD',
    async (status) => {
      vi.stubGlobal(
        'fetch',
        vi.fn(async () => json(status, outcome('duplicate identity'))),
      );
      render(<StationArea path="/station/register" claims={claims} />);
      fillValid();
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
      });
      expect(screen.getByText('Đã có bệnh nhân với số CCCD này.')).toBeTruthy();
      const link = screen.getByRole('link', { name: 'Tìm bệnh nhân có số CCCD này' });
      expect(kept()).toEqual(VALUES);
      expect(window.location.pathname).toBe('/station/register');
      // The CCCD goes to the search page in memory, never in the address (a shared computer's history).
      expect(link.getAttribute('href')).toBe('/station');
      sessionStorage.setItem(
        'mekong.accessToken',
        `e30.${btoa(JSON.stringify({ sub: 'u1', exp: 9999999999 }))}.x`,
      );
      fireEvent.click(link);
      expect(window.location.pathname + window.location.search).toBe('/station');
      expect(lastSearch()).toEqual({ q: '079090012345', by: 'cccd' });
    },
  );

  it('keeps everything typed on 422 and shows the server message next to the field it names', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(
          422,
          outcome(
            'Patient.identifier[1].value: BHYT number is wrong / Mã thẻ BHYT không đúng',
            'Patient.identifier[1].value',
          ),
        ),
      ),
    );
    render(<StationArea path="/station/register" claims={claims} />);
    fillValid();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
    });
    expect(kept()).toEqual(VALUES);
    expect(input('reg-bhyt').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('reg-bhyt-error')?.textContent).toBe('Mã thẻ BHYT không đúng');
    expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('Mã thẻ BHYT không đúng'))).toBe(
      true,
    );
  });

  it('an existing, different patient answered by If-None-Exist is not taken for the new one', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(200, {
          resourceType: 'Patient',
          id: 'old1',
          name: [{ family: 'Trần', given: ['Thị', 'Bình'] }],
          birthDate: '1990-02-02',
        }),
      ),
    );
    render(<StationArea path="/station/register" claims={claims} />);
    fillValid();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Đăng ký' }));
    });
    expect(screen.getByRole('link', { name: 'Mở hồ sơ bệnh nhân đó' }).getAttribute('href')).toBe(
      '/station/patient/old1',
    );
    expect(kept()).toEqual(VALUES);
  });
});
