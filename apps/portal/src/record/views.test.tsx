import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localDay } from '../format';
import { i18next, missingKeys } from '../i18n';
import { defaultShareEnd } from './consent';
import {
  ALLERGY,
  bp,
  bundle,
  CONDITION,
  ENCOUNTER,
  hr,
  IMMUNIZATION,
  json,
  MEDICATION,
  NOTE,
  PATIENT,
  PRACTITIONER,
  SUMMARY_TYPES,
  summarySearch,
} from './fixtures';
import { PatientSummary } from './PatientSummary';
import RecordArea from './RecordArea';
import { SharingView } from './SharingView';

type Route = (url: URL, init?: RequestInit) => Response | undefined;
let calls: { url: URL; init?: RequestInit }[] = [];

function serve(route: Route) {
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://localhost');
      calls.push({ url, init });
      return Promise.resolve(route(url, init) ?? json({ resourceType: 'OperationOutcome', issue: [] }, 404));
    }),
  );
}

const claims = { sub: 'u1', role: 'patient' as const, patient: 'p1', exp: 9_999_999_999 };

beforeEach(async () => {
  missingKeys.length = 0;
  await act(() => i18next.changeLanguage('vi'));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('RecordView', () => {
  it('shows the first page of $everything (newest first) as a timeline by year with vitals charts and filter chips, and older entries on request', async () => {
    serve((url) => {
      if (url.pathname === '/fhir/Patient/p1') return json(PATIENT);
      if (url.pathname === '/fhir/Patient/p1/$everything') {
        if (url.searchParams.get('_cursor') === 'next')
          return json(
            bundle([
              IMMUNIZATION,
              ALLERGY,
              hr('h2', '2024-06-01T02:00:00Z', 88),
              bp('b0', '2024-06-01T02:00:00Z', 140, 90),
            ]),
          );
        return json(
          bundle(
            [
              PATIENT,
              ENCOUNTER,
              CONDITION,
              MEDICATION,
              NOTE,
              bp('b1', '2025-03-10T01:40:00Z', 150, 95),
              hr('h1', '2025-03-10T01:40:00Z', 80),
            ],
            'http://api.internal/fhir/Patient/p1/$everything?_count=100&_sort=-_lastUpdated&_cursor=next',
          ),
        );
      }
      // The summary comes from its own searches: the allergy is on the timeline's second page only.
      const summary = summarySearch(url, [ALLERGY, CONDITION, MEDICATION]);
      if (summary) return summary;
      if (url.pathname === '/fhir/Practitioner') return json(bundle([PRACTITIONER]));
      return undefined;
    });
    render(<RecordArea path="/record" claims={claims} />);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Hồ sơ sức khỏe của Nguyễn Thị Lan' }),
    ).toBeTruthy();
    const first = calls.find((c) => c.url.pathname === '/fhir/Patient/p1/$everything')!.url;
    expect(first.searchParams.get('_count')).toBe('100');
    expect(first.searchParams.get('_sort')).toBe('-_lastUpdated');
    // One page only, until asked; the summary's own searches, each for this patient.
    expect(calls.filter((c) => c.url.pathname === '/fhir/Patient/p1/$everything')).toHaveLength(1);
    for (const type of SUMMARY_TYPES)
      expect(
        calls.some((c) => c.url.pathname === `/fhir/${type}` && c.url.searchParams.get('patient') === 'p1'),
      ).toBe(true);
    // Conditions narrowed on the server to the problems the summary lists.
    const conditions = calls.find((c) => c.url.pathname === '/fhir/Condition')!.url;
    expect(conditions.searchParams.get('clinical-status')).toBe('active,recurrence,relapse');
    const appointments = calls.find((c) => c.url.pathname === '/fhir/Appointment')!.url;
    expect(appointments.searchParams.get('date')).toMatch(/^ge\d{4}-/);

    const summary = screen
      .getByRole('heading', { level: 2, name: 'Cần biết trước tiên' })
      .closest('section')!;
    expect(within(summary as HTMLElement).getByText(/Penicillin/)).toBeTruthy(); // complete at once
    expect(screen.queryByText('Dị ứng: Penicillin')).toBeNull(); // not yet on the timeline
    expect(screen.getByRole('heading', { level: 3, name: 'Năm 2025' })).toBeTruthy();
    expect(screen.queryByRole('img', { name: /Biểu đồ Huyết áp/ })).toBeNull(); // one reading so far
    expect(screen.queryByRole('heading', { level: 3, name: 'Năm 2024' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(
      'Đang hiển thị 5 mục mới nhất của dòng thời gian; còn các mục cũ hơn.',
    );

    const older = screen.getByRole('button', { name: 'Xem các mục cũ hơn' });
    older.focus();
    fireEvent.click(older);
    expect(await screen.findByText('Dị ứng: Penicillin')).toBeTruthy();
    const second = calls.filter((c) => c.url.pathname === '/fhir/Patient/p1/$everything')[1]!.url;
    expect(second.searchParams.get('_cursor')).toBe('next');
    expect(second.searchParams.get('_sort')).toBe('-_lastUpdated');
    expect(screen.queryByRole('button', { name: 'Xem các mục cũ hơn' })).toBeNull(); // the last page
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Đang hiển thị tất cả 8 mục của dòng thời gian.');
    await waitFor(() => expect(document.activeElement).toBe(status));

    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(
      expect.arrayContaining(['Năm 2025', 'Năm 2024', 'Năm 2023', 'Năm 2019', 'Huyết áp', 'Nhịp tim']),
    );
    expect(screen.getByText('Chẩn đoán: Tăng huyết áp vô căn')).toBeTruthy();
    expect(screen.getByText('Cách dùng: Uống 1 viên mỗi sáng')).toBeTruthy();
    expect(screen.getAllByText('Bác sĩ: Trần Văn Minh').length).toBeGreaterThan(0);
    expect(screen.getByRole('img', { name: /Biểu đồ Huyết áp/ })).toBeTruthy();
    expect(screen.getAllByText(/Lần đo gần nhất: 150\/95 mmHg/).length).toBeGreaterThan(0);
    expect(screen.getByRole('link', { name: 'Xem và tải bản tóm tắt PDF' }).getAttribute('href')).toBe(
      '/record/visit/e1?from=%2Frecord',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Tiêm chủng (1)' }));
    expect(screen.getByRole('button', { name: 'Tiêm chủng (1)' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByText('Dị ứng: Penicillin')).toBeNull();
    expect(screen.getByText('Vắc xin cúm mùa')).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('keeps the button (and the entries shown) when an older page fails, in English', async () => {
    await act(() => i18next.changeLanguage('en'));
    let fail = true;
    serve((url) => {
      if (url.pathname === '/fhir/Patient/p1') return json(PATIENT);
      if (url.pathname === '/fhir/Patient/p1/$everything') {
        const cursor = url.searchParams.get('_cursor');
        if (cursor === 'p2' && fail) return json({ resourceType: 'OperationOutcome', issue: [] }, 500);
        if (cursor === 'p2')
          return json(
            bundle([NOTE], 'http://api.internal/fhir/Patient/p1/$everything?_sort=-_lastUpdated&_cursor=p3'),
          );
        if (cursor === 'p3') return json(bundle([IMMUNIZATION]));
        return json(
          bundle(
            [PATIENT, CONDITION],
            'http://api.internal/fhir/Patient/p1/$everything?_sort=-_lastUpdated&_cursor=p2',
          ),
        );
      }
      return summarySearch(url, [CONDITION]) ?? json(bundle([]));
    });
    render(<RecordArea path="/record" claims={claims} />);
    const button = await screen.findByRole('button', { name: 'Show older entries' });
    expect(screen.getByRole('status').textContent).toBe(
      'Showing the 1 newest timeline entries; there are older ones.',
    );
    button.focus();
    fireEvent.click(button);
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getByText('Diagnosis: Tăng huyết áp vô căn')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Show older entries' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Showing the 2 newest/));
    expect(screen.queryByRole('alert')).toBeNull();
    // More pages are left: the button stays, and so does the focus.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Show older entries' }));
    fireEvent.click(screen.getByRole('button', { name: 'Show older entries' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Showing all 3 timeline entries.'),
    );
    expect(missingKeys).toEqual([]);
  });

  it('shows each entry once when an older page repeats one already shown', async () => {
    await act(() => i18next.changeLanguage('en'));
    const link = (c: string) =>
      `http://api.internal/fhir/Patient/p1/$everything?_sort=-_lastUpdated&_cursor=${c}`;
    serve((url) => {
      if (url.pathname === '/fhir/Patient/p1') return json(PATIENT);
      if (url.pathname === '/fhir/Patient/p1/$everything') {
        const cursor = url.searchParams.get('_cursor');
        if (cursor === 'p2') return json(bundle([CONDITION, NOTE], link('p3')));
        if (cursor === 'p3') return json(bundle([NOTE, IMMUNIZATION]));
        return json(bundle([PATIENT, CONDITION], link('p2')));
      }
      return summarySearch(url, [CONDITION]) ?? json(bundle([]));
    });
    render(<RecordArea path="/record" claims={claims} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Show older entries' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Showing the 2 newest/));
    fireEvent.click(screen.getByRole('button', { name: 'Show older entries' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Showing all 3 timeline entries.'),
    );
    expect(screen.getAllByText('Diagnosis: Tăng huyết áp vô căn')).toHaveLength(1);
    expect(missingKeys).toEqual([]);
  });

  it('explains a refused or missing record to a clinician', async () => {
    serve(() =>
      json({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'Patient/p9 not found' }] }, 404),
    );
    render(<RecordArea path="/record/p9" claims={{ ...claims, role: 'practitioner', patient: undefined }} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/chưa được quyền xem/);
  });
});

describe('visit summary', () => {
  it('renders the encounter with diagnoses, prescriptions and notes and prints', async () => {
    serve((url) => {
      if (url.pathname === '/fhir/Encounter/e1') return json(ENCOUNTER);
      if (url.pathname === '/fhir/Patient/p1') return json(PATIENT);
      if (url.pathname === '/fhir/Condition' && url.searchParams.get('encounter') === 'Encounter/e1')
        return json(bundle([CONDITION]));
      if (url.pathname === '/fhir/MedicationRequest') return json(bundle([MEDICATION]));
      if (url.pathname === '/fhir/ClinicalImpression') return json(bundle([NOTE]));
      if (url.pathname === '/fhir/Practitioner') return json(bundle([PRACTITIONER]));
      return undefined;
    });
    const print = vi.fn();
    vi.stubGlobal('print', print);
    render(<RecordArea path="/record/visit/e1?from=/record" claims={claims} />);
    expect(await screen.findByText('Amlodipin 5 mg')).toBeTruthy();
    expect(screen.getByText(/Tăng huyết áp vô căn/)).toBeTruthy();
    expect(screen.getByText('Trần Văn Minh')).toBeTruthy();
    expect(screen.getByText(/08:30 10\/03\/2025 – 08:50/)).toBeTruthy();
    expect(screen.getByText('Huyết áp cao, tái khám sau 2 tuần.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Tải bản tóm tắt PDF' }));
    expect(print).toHaveBeenCalled();
    expect(document.querySelector('style')?.textContent).toContain('@media print');
    expect(missingKeys).toEqual([]);
    // no national code and no re-visit: no such column or section
    expect(screen.queryByText('Mã đơn thuốc quốc gia')).toBeNull();
    expect(screen.queryByText('Hẹn khám lại')).toBeNull();
  });

  it('shows the national prescription code to give the pharmacy and the re-visit appointment, in English too', async () => {
    const issued = {
      ...MEDICATION,
      identifier: [{ system: 'https://fhir.mekong.health/sid/e-prescription-code', value: '79001ABCDEFGC' }],
    };
    const followUp = {
      resourceType: 'ServiceRequest',
      id: 'f1',
      status: 'active',
      intent: 'order',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '390906007' }] },
      occurrenceDateTime: '2025-03-24T01:00:00Z',
      identifier: [{ system: 'https://fhir.mekong.health/sid/follow-up-letter', value: 'HKL-0A1B2C3D4E5F' }],
      note: [{ text: 'Mang theo sổ đo huyết áp.' }],
    };
    serve((url) => {
      if (url.pathname === '/fhir/Encounter/e1') return json(ENCOUNTER);
      if (url.pathname === '/fhir/Patient/p1') return json(PATIENT);
      if (url.pathname === '/fhir/Condition') return json(bundle([CONDITION]));
      if (url.pathname === '/fhir/MedicationRequest') return json(bundle([issued]));
      if (url.pathname === '/fhir/ClinicalImpression') return json(bundle([NOTE]));
      if (url.pathname === '/fhir/Practitioner') return json(bundle([PRACTITIONER]));
      if (
        url.pathname === '/fhir/ServiceRequest' &&
        url.searchParams.get('encounter') === 'Encounter/e1' &&
        url.searchParams.get('code') === 'http://snomed.info/sct|390906007'
      )
        return json(bundle([followUp]));
      return undefined;
    });
    render(<RecordArea path="/record/visit/e1?from=/record" claims={claims} />);
    expect(await screen.findByText('79001ABCDEFGC')).toBeTruthy();
    expect(screen.getAllByText('Mã đơn thuốc quốc gia').length).toBeGreaterThan(0);
    expect(screen.getByText(/Đưa mã này cho nhà thuốc/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Hẹn khám lại' })).toBeTruthy();
    expect(screen.getByText(/08:00 24\/03\/2025/)).toBeTruthy();
    expect(screen.getByText('Số giấy hẹn: HKL-0A1B2C3D4E5F')).toBeTruthy();
    expect(screen.getByText('Mang theo sổ đo huyết áp.')).toBeTruthy();
    cleanup();
    await act(() => i18next.changeLanguage('en'));
    try {
      render(<RecordArea path="/record/visit/e1?from=/record" claims={claims} />);
      expect(await screen.findByRole('heading', { name: 'Re-visit appointment' })).toBeTruthy();
      expect(screen.getAllByText('National prescription code').length).toBeGreaterThan(0);
      expect(screen.getByText('Letter number: HKL-0A1B2C3D4E5F')).toBeTruthy();
    } finally {
      await act(() => i18next.changeLanguage('vi'));
    }
    expect(missingKeys).toEqual([]);
  });

  it('a refused re-visit search leaves the rest of the summary', async () => {
    serve((url) => {
      if (url.pathname === '/fhir/Encounter/e1') return json(ENCOUNTER);
      if (url.pathname === '/fhir/Patient/p1') return json(PATIENT);
      if (url.pathname === '/fhir/Condition') return json(bundle([CONDITION]));
      if (url.pathname === '/fhir/MedicationRequest') return json(bundle([MEDICATION]));
      if (url.pathname === '/fhir/ClinicalImpression') return json(bundle([NOTE]));
      if (url.pathname === '/fhir/Practitioner') return json(bundle([PRACTITIONER]));
      if (url.pathname === '/fhir/ServiceRequest')
        return json(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] },
          403,
        );
      return undefined;
    });
    render(<RecordArea path="/record/visit/e1?from=/record" claims={claims} />);
    expect(await screen.findByText('Amlodipin 5 mg')).toBeTruthy();
    expect(screen.queryByText('Hẹn khám lại')).toBeNull();
  });
});

describe('AuditView', () => {
  it('lists who viewed the record in plain language, with paging', async () => {
    const ev = (
      id: string,
      who: string,
      role: string,
      sub: string,
      action: string,
      entity: string,
      outcome = '0',
    ) => ({
      resourceType: 'AuditEvent',
      id,
      subtype: [{ code: sub }],
      action,
      recorded: '2025-03-10T02:00:00.000Z',
      outcome,
      agent: [{ type: { coding: [{ display: role }] }, who: { reference: who } }],
      entity: [{ what: { reference: entity } }, { what: { reference: 'Patient/p1' }, role: { code: '1' } }],
    });
    serve((url) => {
      if (url.pathname === '/fhir/AuditEvent') {
        expect(url.searchParams.get('patient')).toBe('Patient/p1');
        expect(url.searchParams.has('_sort')).toBe(false); // the server refuses parameters it does not support
        if (url.searchParams.get('_cursor'))
          return json(bundle([ev('3', 'Patient/p1', 'patient', 'read', 'R', 'Patient/p1')]));
        return json(
          bundle(
            [
              ev('1', 'Practitioner/d1', 'practitioner', 'read', 'R', 'Observation/o1'),
              ev('2', 'Practitioner/d9', 'practitioner', 'search-type', 'E', 'Condition?code', '4'),
              // A hospital system: the server names it as registered (who.display), beside its id.
              {
                ...ev('4', '', 'system', 'read', 'R', 'Patient/p1'),
                agent: [
                  {
                    type: { coding: [{ display: 'system' }] },
                    who: { identifier: { value: 'mh-Xy12' }, display: 'HIS Bệnh viện Vĩnh Long' },
                  },
                ],
              },
              ev('5', 'Patient/p1', 'patient', 'search-type', 'E', 'Observation?code'),
              {
                ...ev('6', '', 'system', 'read', 'R', 'Patient/p1'),
                agent: [
                  {
                    type: { coding: [{ display: 'system' }] },
                    who: { identifier: { value: 'system:care.immunization-forecast' } },
                  },
                ],
              },
            ],
            'http://x/fhir/AuditEvent?patient=Patient%2Fp1&_count=50&_cursor=abc',
          ),
        );
      }
      if (url.pathname === '/fhir/Practitioner') return json(bundle([PRACTITIONER]));
      return undefined;
    });
    render(<RecordArea path="/record/audit" claims={claims} />);
    expect(await screen.findByText('Xem kết quả đo, xét nghiệm')).toBeTruthy();
    // Other people and systems first, apart from the patient's own actions.
    expect(screen.getByRole('heading', { name: 'Người khác và hệ thống khác' })).toBeTruthy();
    const others = screen.getByTestId('audit-table');
    expect(within(others).getByText('Trần Văn Minh')).toBeTruthy();
    expect(within(others).getByText('Tìm kiếm chẩn đoán')).toBeTruthy();
    expect(within(others).getByText('Bị từ chối')).toBeTruthy();
    expect(within(others).getByText('HIS Bệnh viện Vĩnh Long')).toBeTruthy();
    expect(within(others).queryByText('mh-Xy12')).toBeNull();
    expect(within(others).getByText('Mekong Health (tự động)')).toBeTruthy();
    expect(within(others).queryByText('Bạn')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Hoạt động của chính bạn (1)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Xem thêm' }));
    expect(await screen.findByRole('heading', { name: 'Hoạt động của chính bạn (2)' })).toBeTruthy();
    expect(within(screen.getByTestId('audit-table-mine')).getAllByText('Bạn')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Xem thêm' })).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('is only for patients', () => {
    render(<RecordArea path="/record/audit" claims={{ ...claims, role: 'practitioner' }} />);
    expect(screen.getByRole('alert').textContent).toMatch(/chỉ dành cho bệnh nhân/);
  });
});

describe('SharingView', () => {
  it('grants a consent to a doctor found by name and revokes one with PUT status inactive', async () => {
    const existing = {
      resourceType: 'Consent',
      id: 'k1',
      status: 'active',
      patient: { reference: 'Patient/p1' },
      dateTime: '2025-01-05T03:00:00Z',
      provision: {
        type: 'permit',
        actor: [{ reference: { reference: 'Organization/o1', display: 'Trạm Y tế xã An Bình' } }],
      },
    };
    serve((url, init) => {
      if (url.pathname === '/fhir/Consent' && init?.method === 'POST')
        return json({ ...JSON.parse(String(init.body)), id: 'k2' }, 201);
      if (url.pathname === '/fhir/Consent/k1' && init?.method === 'PUT')
        return json(JSON.parse(String(init.body)));
      if (url.pathname === '/fhir/Consent') return json(bundle([existing]));
      if (url.pathname === '/fhir/Practitioner' && url.searchParams.get('name'))
        return json(bundle([PRACTITIONER]));
      if (url.pathname === '/fhir/PractitionerRole') {
        expect(url.searchParams.get('practitioner')).toBe('Practitioner/d1');
        return json(
          bundle([
            {
              resourceType: 'PractitionerRole',
              id: 'r1',
              practitioner: { reference: 'Practitioner/d1' },
              organization: { reference: 'Organization/h1' },
            },
          ]),
        );
      }
      if (url.pathname === '/fhir/Organization' && url.searchParams.get('_id') === 'h1')
        return json(bundle([{ resourceType: 'Organization', id: 'h1', name: 'Bệnh viện Chợ Rẫy' }]));
      if (url.pathname === '/fhir/Organization') return json(bundle([]));
      return undefined;
    });
    render(<SharingView patientId="p1" />);
    expect(await screen.findByText('Trạm Y tế xã An Bình')).toBeTruthy();
    // A period by default (3 months, LOCAL POLICY), following the start day until the end is changed.
    const shown = (day: string) => day.split('-').reverse().join('/');
    const endField = screen.getByLabelText('Ngày kết thúc') as HTMLInputElement;
    expect(endField.value).toBe(shown(defaultShareEnd(localDay())));
    expect(screen.getByText(/Mặc định 3 tháng kể từ ngày bắt đầu/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Ngày bắt đầu'), { target: { value: '01/04/2025' } });
    expect(endField.value).toBe('30/06/2025');

    fireEvent.click(screen.getByRole('button', { name: 'Chia sẻ hồ sơ' }));
    expect(screen.getByText('Hãy tìm và chọn bác sĩ hoặc cơ sở y tế.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Tên bác sĩ hoặc cơ sở y tế'), { target: { value: 'Trần' } });
    fireEvent.click(screen.getByRole('button', { name: 'Tìm' }));
    // The doctor's facility beside the name (two doctors may share a name).
    fireEvent.click(await screen.findByLabelText(/^Trần Văn Minh/));
    expect(screen.getByText('Nơi làm việc: Bệnh viện Chợ Rẫy')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Ngày bắt đầu'), { target: { value: '2025-04-01' } });
    fireEvent.change(screen.getByLabelText('Ngày kết thúc'), {
      target: { value: '2025-04-30' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Chia sẻ hồ sơ' }));
    expect(await screen.findByText('Đã chia sẻ hồ sơ với Trần Văn Minh.')).toBeTruthy();
    const post = calls.find((c) => c.init?.method === 'POST');
    expect(JSON.parse(String(post?.init?.body))).toMatchObject({
      resourceType: 'Consent',
      status: 'active',
      patient: { reference: 'Patient/p1' },
      provision: {
        type: 'permit',
        period: { start: '2025-04-01T00:00:00+07:00', end: '2025-04-30T23:59:59+07:00' },
        actor: [{ reference: { reference: 'Practitioner/d1' } }],
      },
    });

    fireEvent.click(screen.getByRole('button', { name: /^Thu hồi: / }));
    fireEvent.click(screen.getByRole('button', { name: 'Có, thu hồi' }));
    await waitFor(() => expect(calls.some((c) => c.init?.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.init?.method === 'PUT');
    expect(JSON.parse(String(put?.init?.body))).toMatchObject({ id: 'k1', status: 'inactive' });
    expect(await screen.findByText('Đã thu hồi quyền xem hồ sơ.')).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });
});

describe('PatientSummary', () => {
  it('shows problems, allergies, medicines, latest vitals and visits in English too', async () => {
    await act(() => i18next.changeLanguage('en'));
    serve((url) => {
      switch (url.pathname) {
        case '/fhir/Condition':
          return json(bundle([CONDITION]));
        case '/fhir/AllergyIntolerance':
          return json(bundle([ALLERGY]));
        case '/fhir/MedicationRequest':
          return json(bundle([MEDICATION]));
        case '/fhir/Observation':
          return json(
            bundle([hr('h1', '2025-03-10T01:40:00Z', 76), bp('b1', '2025-03-10T01:40:00Z', 150, 95)]),
          );
        case '/fhir/Encounter':
          return json(bundle([ENCOUNTER]));
        case '/fhir/Practitioner':
          return json(bundle([PRACTITIONER]));
        default:
          return undefined;
      }
    });
    render(<PatientSummary patientId="p1" />);
    expect(await screen.findByText('Penicillin')).toBeTruthy();
    expect(screen.getByText(/Tăng huyết áp vô căn/)).toBeTruthy();
    expect(screen.getByText(/Amlodipin 5 mg/)).toBeTruthy();
    expect(screen.getByText('150/95 mmHg')).toBeTruthy();
    expect(screen.getByText('76 per minute')).toBeTruthy();
    expect(screen.getByText(/Đau đầu, chóng mặt/)).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });
});
