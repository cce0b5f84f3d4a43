import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import type { Claims } from '../shell/session-store';
import { type FetchCall, stubFetch } from '../test-fetch';
import { CaseScreen } from './CaseScreen';
import type { EconsultCaseListItem, EconsultCaseView } from './econsult-api';
import { PatientCases } from './PatientCases';
import { SendCase } from './SendCase';
import { refusalOf, sha256Hex } from './upload';
import { Worklist } from './Worklist';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const doctor: Claims = { sub: 'a1', role: 'practitioner', fhirUser: 'Practitioner/d1', exp: 9e9 };

const item = (over: Partial<EconsultCaseListItem>): EconsultCaseListItem => ({
  id: '11111111-1111-4111-8111-111111111111',
  patientId: 'p1',
  serviceRequestId: 'sr1',
  taskId: 't1',
  sender: 'Practitioner/n1',
  senderAccount: 'a2',
  senderOrg: 'Organization/station',
  hospital: 'Organization/hospital',
  specialty: '394582007',
  priority: 'routine',
  status: 'requested',
  dueAt: '2026-12-09T03:00:00.000Z',
  escalations: 0,
  createdAt: '2026-12-06T03:00:00.000Z',
  patient: { id: 'p1', name: 'Trần Văn Mới' },
  ...over,
});

const view = (over: Partial<EconsultCaseView> = {}): EconsultCaseView => ({
  ...item({}),
  question: 'Vết loét cẳng chân 3 tuần không lành?',
  taskStatus: 'requested',
  documents: [],
  vitals: [
    { id: 'o1', code: '8867-4', display: 'Heart rate', value: '88 /min', at: '2026-12-06T02:50:00.000Z' },
  ],
  names: {
    'Practitioner/n1': 'Y tá Lan',
    'Organization/station': 'Trạm Y tế Mỹ Phước',
    'Practitioner/d1': 'Lê Da',
  },
  ...over,
});

const vitalsBundle = {
  resourceType: 'Bundle',
  entry: [
    {
      resource: {
        resourceType: 'Observation',
        id: 'o1',
        code: { text: 'Heart rate' },
        effectiveDateTime: '2026-12-06T02:50:00.000Z',
        valueQuantity: { value: 88, unit: '/min' },
      },
    },
    {
      resource: {
        resourceType: 'Observation',
        id: 'o2',
        code: { text: 'Blood pressure' },
        effectiveDateTime: '2026-12-06T02:50:00.000Z',
        component: [
          { valueQuantity: { value: 120, unit: 'mmHg' } },
          { valueQuantity: { value: 80, unit: 'mmHg' } },
        ],
      },
    },
    {
      resource: {
        resourceType: 'Observation',
        id: 'old',
        code: { text: 'Heart rate' },
        effectiveDateTime: '2026-12-01T02:50:00.000Z',
        valueQuantity: { value: 70, unit: '/min' },
      },
    },
  ],
};

let calls: FetchCall[];
beforeEach(() => {
  missingKeys.length = 0;
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('vi');
});

describe('e-consult: the station sends a case', { timeout: 30_000 }, () => {
  it('refuses to send without specialty, question and consent, and refuses wrong files before upload', async () => {
    calls = stubFetch((c) => (c.url.startsWith('/fhir/Observation') ? json(200, vitalsBundle) : undefined));
    render(<SendCase patientId="p1" onSent={() => undefined} onClose={() => undefined} />);
    await screen.findByTestId('econsult-vitals');
    fireEvent.click(screen.getByRole('button', { name: 'Gửi cho bác sĩ chuyên khoa' }));
    expect(await screen.findByText('Hãy chọn chuyên khoa.')).toBeTruthy();
    expect(screen.getByText('Câu hỏi cần ít nhất 5 ký tự.')).toBeTruthy();
    expect(screen.getByText('Cần có sự đồng ý của người bệnh trước khi gửi.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    const input = screen.getByLabelText(/^Ảnh và tài liệu/);
    const exe = new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' });
    const huge = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.jpg', { type: 'image/jpeg' });
    fireEvent.change(input, { target: { files: [exe, huge] } });
    const refused = await screen.findByTestId('econsult-refused');
    expect(refused.textContent).toContain('Tệp setup.exe không phải ảnh JPEG, PNG hoặc PDF.');
    expect(refused.textContent).toContain('Tệp big.jpg lớn hơn 10 MB.');
    expect(screen.queryByTestId('econsult-files')).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('sends the case with the latest vitals and the consent (English), then the station sees its status', async () => {
    await i18next.changeLanguage('en');
    let sent: EconsultCaseView | undefined;
    calls = stubFetch((c) => {
      if (c.url.startsWith('/fhir/Observation')) return json(200, vitalsBundle);
      if (c.url === '/econsult/cases' && c.method === 'POST') {
        sent = view({ priority: 'urgent' });
        return json(201, sent);
      }
      if (c.url === '/econsult/cases') return json(200, sent ? [sent] : []);
      if (c.url.startsWith('/econsult/cases/') && sent) return json(200, sent);
      return undefined;
    });
    render(<PatientCases patientId="p1" />);
    expect(await screen.findByText('No case sent to a specialist yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send to a specialist' }));
    const vitals = await screen.findByTestId('econsult-vitals');
    expect(vitals.textContent).toContain('Heart rate: 88 /min');
    expect(vitals.textContent).toContain('Blood pressure: 120/80 mmHg');
    expect(vitals.textContent).not.toContain('70');
    fireEvent.change(screen.getByLabelText('Specialty'), { target: { value: '394582007' } });
    fireEvent.change(screen.getByLabelText('Question for the specialist'), {
      target: { value: 'Leg ulcer for 3 weeks, not healing?' },
    });
    fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'urgent' } });
    fireEvent.click(screen.getByLabelText(/The patient \(or their guardian\) agrees to share/));
    fireEvent.click(screen.getByRole('button', { name: 'Send to the specialist' }));
    await screen.findByText('Case sent.');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/econsult/cases');
    expect(post?.body).toEqual({
      patient: 'p1',
      specialty: '394582007',
      question: 'Leg ulcer for 3 weeks, not healing?',
      priority: 'urgent',
      consent: true,
      observations: ['o1', 'o2'],
    });
    const status = await screen.findByTestId('econsult-status');
    expect(status.textContent).toBe('Waiting for a specialist to take it');
    expect(screen.getByTestId('econsult-case').textContent).toContain('Dermatology');
    expect(missingKeys).toEqual([]);
  });

  it("translates the server's refusal code", async () => {
    stubFetch((c) => {
      if (c.url.startsWith('/fhir/Observation')) return json(200, { resourceType: 'Bundle' });
      if (c.url === '/econsult/cases' && c.method === 'POST')
        return json(422, {
          statusCode: 422,
          code: 'ECONSULT.NO_REFERRAL_HOSPITAL',
          message: 'No referral hospital / Không có bệnh viện tuyến trên',
        });
      return undefined;
    });
    render(<SendCase patientId="p1" onSent={() => undefined} onClose={() => undefined} />);
    await screen.findByText('Chưa có chỉ số sinh tồn nào được ghi cho người bệnh này.');
    fireEvent.change(screen.getByLabelText('Chuyên khoa'), { target: { value: '394582007' } });
    fireEvent.change(screen.getByLabelText('Câu hỏi cho bác sĩ chuyên khoa'), {
      target: { value: 'Hỏi về vết loét' },
    });
    fireEvent.click(screen.getByLabelText(/Người bệnh \(hoặc người giám hộ\) đồng ý/));
    fireEvent.click(screen.getByRole('button', { name: 'Gửi cho bác sĩ chuyên khoa' }));
    expect((await screen.findByTestId('econsult-failure')).textContent).toBe(
      'Cơ sở của bạn chưa được gắn với bệnh viện tuyến trên nào.',
    );
    expect(missingKeys).toEqual([]);
  });

  it('checks type and size, and hashes with SHA-256 in the browser', async () => {
    expect(refusalOf({ type: 'image/png', size: 10 })).toBeUndefined();
    expect(refusalOf({ type: 'application/pdf', size: 10 * 1024 * 1024 })).toBeUndefined();
    expect(refusalOf({ type: 'image/gif', size: 10 })).toBe('wrongType');
    expect(refusalOf({ type: 'image/jpeg', size: 10 * 1024 * 1024 + 1 })).toBe('tooBig');
    expect(await sha256Hex(new Blob(['abc']))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('e-consult: the specialist', { timeout: 30_000 }, () => {
  it("lists the worklist in the server's order, with priority, NEWS2 and waiting time", async () => {
    vi.useFakeTimers({ now: new Date('2026-12-06T04:30:00.000Z'), toFake: ['Date'] });
    stubFetch((c) =>
      c.url === '/econsult/cases'
        ? json(200, [
            item({ id: 'a', priority: 'stat', news2: 8, patient: { id: 'p2', name: 'Nguyễn Thị Hai' } }),
            item({ id: 'b', priority: 'routine', createdAt: '2026-12-06T04:10:00.000Z' }),
          ])
        : undefined,
    );
    render(<Worklist claims={doctor} />);
    const table = await screen.findByTestId('econsult-worklist');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual([
      'Nguyễn Thị Hai',
      'Trần Văn Mới',
    ]);
    expect(rows[0]?.textContent).toContain('Cấp cứu');
    expect(rows[0]?.textContent).toContain('8');
    expect(rows[0]?.textContent).toContain('1 giờ 30 phút');
    expect(rows[1]?.textContent).toContain('20 phút');
    expect(rows[1]?.textContent).toContain('Da liễu');
    expect(
      within(rows[0] as HTMLElement)
        .getByRole('link')
        .getAttribute('href'),
    ).toBe('/doctor/econsult/a');
    vi.useRealTimers();
    expect(missingKeys).toEqual([]);
  });

  it('opens a case, takes it and replies (English)', async () => {
    await i18next.changeLanguage('en');
    calls = stubFetch((c) => {
      const base = `/econsult/cases/${item({}).id}`;
      if (c.url === base) return json(200, view());
      if (c.url === `${base}/claim`)
        return json(
          200,
          view({ status: 'assigned', assignee: 'Practitioner/d1', taskStatus: 'in-progress' }),
        );
      if (c.url === `${base}/reply`)
        return json(
          200,
          view({
            status: 'completed',
            assignee: 'Practitioner/d1',
            reply: { kind: 'see-in-person', text: 'Refer for debridement.', by: 'Practitioner/d1' },
          }),
        );
      return undefined;
    });
    render(<CaseScreen id={item({}).id} claims={doctor} />);
    await screen.findByRole('heading', { name: 'E-consult: Trần Văn Mới' });
    expect(screen.getByText('Vết loét cẳng chân 3 tuần không lành?')).toBeTruthy();
    expect(screen.getByTestId('econsult-case-vitals').textContent).toContain('Heart rate: 88 /min');
    expect(screen.getByText(/Sent by Trạm Y tế Mỹ Phước — Y tá Lan/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Take this case' }));
    await screen.findByText('You took this case; the other doctors on duty no longer see it.');
    expect(screen.getByTestId('econsult-status').textContent).toBe('Dr Lê Da is looking at it');
    fireEvent.click(screen.getByRole('button', { name: 'Send the reply' }));
    expect(await screen.findByText('Write the reply.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Kind of reply'), { target: { value: 'see-in-person' } });
    fireEvent.change(screen.getByLabelText('Your answer'), { target: { value: 'Refer for debridement.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send the reply' }));
    await screen.findByText('Reply sent; the station and the patient were told.');
    await waitFor(() => expect(screen.getByTestId('econsult-reply').textContent).toContain('See in person'));
    expect(calls.find((c) => c.url.endsWith('/reply'))?.body).toEqual({
      kind: 'see-in-person',
      text: 'Refer for debridement.',
    });
    expect(missingKeys).toEqual([]);
  });
});
