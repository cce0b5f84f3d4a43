import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { type FetchCall, fhirAnswer as json, stubFetch } from '../test-fetch';
import { localDay } from '../format';
import { BookForPatient } from './BookForPatient';
import { addDays } from './booking-logic';
import { dayHeading } from './SlotPicker';

// The symptom check comes first (TriageForm.test.tsx tests it): here it answers "routine" at once.
vi.mock('./TriageForm', async () => {
  const { useEffect } = await import('react');
  return {
    TriageForm: ({ onDone }: { onDone?: (r: { level: 'routine'; qr: string }) => void }) => {
      useEffect(() => onDone?.({ level: 'routine', qr: 'qr1' }), [onDone]);
      return null;
    },
  };
});

const bundle = (...resources: { resourceType: string; id: string }[]) => ({
  resourceType: 'Bundle',
  entry: resources.map((resource) => ({
    resource,
    search: { mode: resource.resourceType === 'Schedule' ? 'include' : 'match' },
  })),
});

// A free slot three hours ahead, on a whole minute.
const start = new Date(Math.ceil((Date.now() + 3 * 3600_000) / 60000) * 60000);
const slot = {
  resourceType: 'Slot',
  id: 'slot1',
  schedule: { reference: 'Schedule/s1' },
  status: 'free',
  start: start.toISOString(),
  end: new Date(start.getTime() + 20 * 60000).toISOString(),
  serviceType: [
    { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'video' }] },
  ],
};
const schedule = {
  resourceType: 'Schedule',
  id: 's1',
  actor: [{ reference: 'PractitionerRole/r1' }, { reference: 'Practitioner/d1' }],
  specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: '394579002' }] }],
};

let calls: FetchCall[];
let bookingAnswer: () => Response;
/** The Slot search's answer when set (else the slot and its schedule). */
let slotAnswer: ((url: string) => object) | undefined;

beforeEach(() => {
  sessionStorage.clear();
  missingKeys.length = 0;
  // What each search answers (first matching prefix), as bundles.
  const found: [string, object[]][] = [
    ['/fhir/Organization', [{ resourceType: 'Organization', id: 'h1', name: 'Bệnh viện Chợ Rẫy' }]],
    [
      '/fhir/PractitionerRole?organization',
      [{ resourceType: 'PractitionerRole', id: 'r1', practitioner: { reference: 'Practitioner/d1' } }],
    ],
    ['/fhir/Slot', [slot, schedule]],
    [
      '/fhir/Practitioner?',
      [{ resourceType: 'Practitioner', id: 'd1', name: [{ family: 'Trần', given: ['Minh'] }] }],
    ],
    ['/fhir/PractitionerRole', []],
    ['/fhir/Consent', []],
  ];
  slotAnswer = undefined;
  calls = stubFetch((call) => {
    const { url } = call;
    if (slotAnswer && url.startsWith('/fhir/Slot')) return json(200, slotAnswer(url));
    const answer = found.find(([prefix]) => url.startsWith(prefix));
    if (answer) return json(200, bundle(...(answer[1] as Parameters<typeof bundle>)));
    if (url === '/fhir/Appointment' && call.method === 'POST') return bookingAnswer();
    return undefined;
  });
});
afterEach(async () => {
  cleanup();
  await i18next.changeLanguage('vi');
  vi.unstubAllGlobals();
});

const J00 = 'http://hl7.org/fhir/sid/icd-10|J00';

/** Searches, picks the slot and (unless `listed` is empty) a listed reason; the reason's text box. */
async function findAndPick(listed = J00) {
  fireEvent.change(await screen.findByLabelText('Chuyên khoa'), { target: { value: '394579002' } });
  await screen.findByRole('option', { name: 'Bệnh viện Chợ Rẫy' });
  fireEvent.change(screen.getByLabelText('Bệnh viện'), { target: { value: 'h1' } });
  fireEvent.click(screen.getByRole('button', { name: 'Tìm giờ trống' }));
  const pick = await screen.findByRole('button', { name: /^Chọn .* với Trần Minh$/ });
  fireEvent.click(pick);
  const reason = await screen.findByLabelText('Lý do khám');
  if (listed)
    fireEvent.change(screen.getByLabelText('Bệnh trong danh mục khám từ xa'), { target: { value: listed } });
  return reason;
}

describe('BookForPatient', () => {
  it('searches the next 7 days by default and says which days are shown; a full page says "the first N"', async () => {
    slotAnswer = () => ({
      ...bundle(slot, schedule),
      link: [{ relation: 'next', url: 'http://localhost/fhir/Slot?_page=2' }],
    });
    render(<BookForPatient patientId="p1" />);
    expect(((await screen.findByLabelText('Tìm trong')) as HTMLSelectElement).value).toBe('7');
    fireEvent.click(screen.getByRole('button', { name: 'Tìm giờ trống' }));
    expect(await screen.findByText(/^Hiện 1 giờ trống đầu tiên/)).toBeTruthy();
    const q = new URLSearchParams(calls.find((c) => c.url.startsWith('/fhir/Slot'))!.url.split('?')[1]);
    const today = localDay();
    expect(q.getAll('start')[1]).toBe(`lt${addDays(today, 7)}T00:00:00+07:00`);
    expect(
      screen.getByText(`Giờ trống từ ${dayHeading(today, 'vi')} đến ${dayHeading(addDays(today, 6), 'vi')}`),
    ).toBeTruthy();
    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByText(/^Showing the first 1 free times/)).toBeTruthy();
    expect(screen.getByText(new RegExp(`^Free times from ${dayHeading(today, 'en')}`))).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('nothing free in the days searched: one press searches the next days', async () => {
    slotAnswer = (url) =>
      new URLSearchParams(url.split('?')[1]).getAll('start')[0]?.startsWith(`ge${localDay()}`)
        ? bundle()
        : bundle(slot, schedule);
    render(<BookForPatient patientId="p1" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Tìm giờ trống' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Tìm 7 ngày tiếp theo' }));
    expect(await screen.findByRole('button', { name: /^Chọn .* với Trần Minh$/ })).toBeTruthy();
    const last = new URLSearchParams(
      calls
        .filter((c) => c.url.startsWith('/fhir/Slot'))
        .at(-1)!
        .url.split('?')[1],
    );
    expect(last.getAll('start')[0]).toBe(`ge${addDays(localDay(), 7)}T00:00:00+07:00`);
    // The day field shows dd/mm/yyyy (issue 18 item 16).
    expect(screen.getByLabelText('Ngày khám')).toHaveProperty(
      'value',
      addDays(localDay(), 7).split('-').reverse().join('/'),
    );
    expect(missingKeys).toEqual([]);
  });

  it('after booking on behalf, the booked time is no longer offered', async () => {
    const payload = btoa(JSON.stringify({ sub: 'n', role: 'clinic-staff', exp: Date.now() / 1000 + 3600 }));
    sessionStorage.setItem('mekong.accessToken', `x.${payload}.y`);
    const consent = { resourceType: 'Consent', id: 'c1', category: [{ text: 'Đồng ý' }] };
    const original = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation((url, init) =>
      String(url).startsWith('/fhir/Consent')
        ? Promise.resolve(json(200, bundle(consent)))
        : original(url, init),
    );
    bookingAnswer = () => json(201, { ...(calls.at(-1)?.body as object), id: 'appt9' });
    render(<BookForPatient patientId="pB" />);
    fireEvent.change(await findAndPick(), { target: { value: 'Tái khám' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    expect(await screen.findByText(/Đã đặt lịch khám lúc .* với Trần Minh\./)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Chọn .* với Trần Minh$/ })).toBeNull();
    expect(screen.getByText(/^Không có giờ trống phù hợp/)).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('a video visit picks its reason from the listed conditions (Circular 30/2023 rows): the ICD-10 code is sent', async () => {
    bookingAnswer = () => json(201, { ...(calls.at(-1)?.body as object), id: 'appt2' });
    render(<BookForPatient patientId="p1" />);
    const reason = await findAndPick();
    const picker = screen.getByLabelText('Bệnh trong danh mục khám từ xa');
    const options = within(picker)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual([
      '— Chọn một lý do —',
      'Béo phì',
      'Viêm mũi họng cấp (sổ mũi, đau họng)',
      'Viêm mũi họng mạn tính (kéo dài)',
      'Nhiệt miệng, loét miệng áp tơ',
      'Lưỡi bản đồ (mảng đỏ trên lưỡi)',
      'Sưng đau lợi khi mọc răng',
      'Đau vai gáy',
      'Lý do khác (bác sĩ xem và xác nhận trước)',
    ]);
    fireEvent.change(picker, { target: { value: 'http://hl7.org/fhir/sid/icd-10|E66' } });
    fireEvent.change(reason, { target: { value: 'Tái khám giảm cân' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    await screen.findByText(/Đã đặt lịch khám lúc/);
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({
      status: 'booked',
      reasonCode: [
        {
          coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E66', display: 'Béo phì' }],
          text: 'Tái khám giảm cân',
        },
      ],
    });
    expect(missingKeys).toEqual([]);
  });

  it('"other reason" books a pending appointment that waits for a doctor, and says so (vi and en)', async () => {
    for (const lang of ['vi', 'en'] as const) {
      await i18next.changeLanguage(lang);
      calls.length = 0;
      bookingAnswer = () => json(201, { ...(calls.at(-1)?.body as object), id: `appt-${lang}` });
      render(<BookForPatient patientId="p1" />);
      if (lang === 'en') {
        fireEvent.change(await screen.findByLabelText('Specialty'), { target: { value: '394579002' } });
        await screen.findByRole('option', { name: 'Bệnh viện Chợ Rẫy' });
        fireEvent.change(screen.getByLabelText('Hospital'), { target: { value: 'h1' } });
        fireEvent.click(screen.getByRole('button', { name: /Find free times/ }));
        fireEvent.click(await screen.findByRole('button', { name: /with Trần Minh$/ }));
      } else await findAndPick();
      const picker = screen.getByLabelText(
        lang === 'vi' ? 'Bệnh trong danh mục khám từ xa' : 'Condition on the remote-care list',
      );
      fireEvent.change(picker, {
        target: { value: 'https://mekong.health/fhir/CodeSystem/telehealth-reason|other' },
      });
      expect(
        screen.getByText(
          lang === 'vi'
            ? 'Lý do khác: lịch hẹn sẽ chờ bác sĩ xác nhận trước khi khám từ xa.'
            : 'Other reason: the appointment waits for a doctor to confirm it before a video visit.',
        ),
      ).toBeTruthy();
      fireEvent.change(screen.getByLabelText(lang === 'vi' ? 'Lý do khám' : 'Reason for the visit'), {
        target: { value: 'Mất ngủ kéo dài' },
      });
      fireEvent.click(screen.getByRole('button', { name: lang === 'vi' ? 'Đặt lịch' : 'Book' }));
      expect(
        await screen.findByText(
          lang === 'vi' ? /Đang chờ bác sĩ xác nhận/ : /Waiting for a doctor to confirm/,
        ),
      ).toBeTruthy();
      expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({
        status: 'pending',
        reasonCode: [
          {
            coding: [{ system: 'https://mekong.health/fhir/CodeSystem/telehealth-reason', code: 'other' }],
            text: 'Mất ngủ kéo dài',
          },
        ],
      });
      cleanup();
    }
    expect(missingKeys).toEqual([]);
  });

  it('searches the hospital’s doctors on the chosen day, then books the slot with an Idempotency-Key', async () => {
    bookingAnswer = () => json(201, { ...(calls.at(-1)?.body as object), id: 'appt1' });
    const onBooked = vi.fn();
    render(<BookForPatient patientId="p1" onBooked={onBooked} />);
    const reason = await findAndPick();

    const search = calls.find((c) => c.url.startsWith('/fhir/Slot'))!;
    const q = new URLSearchParams(search.url.split('?')[1]);
    expect(q.get('status')).toBe('free');
    expect(q.getAll('start')[0]).toMatch(/^ge\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(q.getAll('start')[1]).toMatch(/^lt\d{4}-\d{2}-\d{2}T00:00:00\+07:00$/);
    expect(q.get('specialty')).toBe('394579002');
    expect(q.get('service-type')).toBe('video');
    expect(q.get('schedule.actor')).toBe('PractitionerRole/r1,Practitioner/d1');

    fireEvent.change(reason, { target: { value: 'Sổ mũi, đau họng' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith('appt1', 'booked'));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.headers.get('Idempotency-Key')).toMatch(/.{8,}/);
    expect(post.body).toMatchObject({
      resourceType: 'Appointment',
      status: 'booked',
      slot: [{ reference: 'Slot/slot1' }],
      start: slot.start,
      end: slot.end,
      reasonCode: [
        {
          coding: [
            {
              system: 'http://hl7.org/fhir/sid/icd-10',
              code: 'J00',
              display: 'Viêm mũi họng cấp (sổ mũi, đau họng)',
            },
          ],
          text: 'Sổ mũi, đau họng',
        },
      ],
      participant: [
        { actor: { reference: 'Patient/p1' }, status: 'accepted' },
        { actor: { reference: 'PractitionerRole/r1' } },
        { actor: { reference: 'Practitioner/d1' } },
      ],
    });
    expect(await screen.findByText(/Đã đặt lịch khám lúc .* với Trần Minh\./)).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('a slot taken meanwhile (409): the reason stays, the error is explained, the time disappears', async () => {
    bookingAnswer = () =>
      json(409, {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'conflict',
            diagnostics: 'Slot/slot1 is already booked or held / Khung giờ này đã có người đặt',
          },
        ],
      });
    render(<BookForPatient patientId="p1" />);
    const reason = await findAndPick();
    fireEvent.change(reason, { target: { value: 'Ho kéo dài 3 tuần' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/vừa có người khác đặt/)).toBeTruthy();
    expect((screen.getByLabelText('Lý do khám') as HTMLTextAreaElement).value).toBe('Ho kéo dài 3 tuần');
    expect(screen.queryByRole('button', { name: /^Chọn .* với Trần Minh$/ })).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('a network failure keeps the Idempotency-Key for the retry of the same booking', async () => {
    let n = 0;
    bookingAnswer = () => {
      n += 1;
      if (n === 1) throw new TypeError('Failed to fetch');
      return json(201, { ...(calls.at(-1)?.body as object), id: 'appt2' });
    };
    render(<BookForPatient patientId="p1" />);
    fireEvent.change(await findAndPick(), { target: { value: 'Sốt' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    await screen.findByText(/sẽ không bị đặt trùng/);
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    await screen.findByText(/Đã đặt lịch khám lúc/);
    const keys = calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('a video visit without a reason picked from the list is refused before anything is sent (vi and en)', async () => {
    bookingAnswer = () => json(500, {});
    render(<BookForPatient patientId="p1" />);
    fireEvent.change(await findAndPick(''), { target: { value: 'Mệt' } });
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    expect(
      await screen.findByText('Chọn bệnh trong danh sách, hoặc "Lý do khác" nếu không có.'),
    ).toBeTruthy();
    const picker = screen.getByLabelText('Bệnh trong danh mục khám từ xa');
    expect(picker.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(picker);
    await act(() => i18next.changeLanguage('en'));
    expect(
      await screen.findByText('Choose a condition from the list, or "Other reason" if it is not there.'),
    ).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('an empty reason is refused before anything is sent', async () => {
    bookingAnswer = () => json(500, {});
    render(<BookForPatient patientId="p1" />);
    await findAndPick();
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    expect(await screen.findByText('Vui lòng ghi lý do khám.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('station staff without the patient’s consent: the server’s refusal is explained (English too)', async () => {
    const payload = btoa(JSON.stringify({ sub: 'n', role: 'clinic-staff', exp: Date.now() / 1000 + 3600 }));
    sessionStorage.setItem('mekong.accessToken', `x.${payload}.y`);
    bookingAnswer = () =>
      json(422, {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'business-rule',
            diagnostics:
              "Booking on a patient's behalf needs their active Consent in Appointment.supportingInformation",
          },
        ],
      });
    render(<BookForPatient patientId="pB" />);
    expect(await screen.findByRole('heading', { name: 'Đặt lịch khám cho bệnh nhân' })).toBeTruthy();
    fireEvent.change(await findAndPick(), { target: { value: 'Tái khám huyết áp' } });
    await screen.findByText('Bệnh nhân chưa có sự đồng ý nào còn hiệu lực.');
    fireEvent.click(screen.getByRole('button', { name: 'Đặt lịch' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('cần có sự đồng ý còn hiệu lực của bệnh nhân');
    expect(alert.textContent).toContain('Consent');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.headers.get('Authorization')).toMatch(/^Bearer /);
    await act(() => i18next.changeLanguage('en'));
    expect((await screen.findByRole('alert')).textContent).toContain("needs the patient's active consent");
    expect(screen.getByRole('heading', { name: 'Book an appointment for the patient' })).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });
});
