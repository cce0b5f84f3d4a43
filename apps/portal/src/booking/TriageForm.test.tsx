import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import questionnaire from '../../../../libs/care/src/triage/triage-questionnaire.json';
import { ApiError } from '../api';
import { i18next, missingKeys } from '../i18n';
import { type FetchCall, fhirAnswer as json, stubFetch } from '../test-fetch';
import { BookForPatient } from './BookForPatient';
import { BOOKING_MESSAGES } from './messages';
import {
  ageGroupOf,
  bookingRefusal,
  buildResponse,
  type Questionnaire,
  triageResultOf,
} from './triage-logic';
import { TriageForm } from './TriageForm';

const LEVEL = 'https://fhir.mekong.health/CodeSystem/triage-level';
const riskAssessment = (level: 'emergency' | 'urgent' | 'routine', reasons: string[], advice: string) => ({
  resourceType: 'RiskAssessment',
  id: 'triage-qr1',
  status: 'final',
  prediction: [{ qualitativeRisk: { coding: [{ system: LEVEL, code: level }] } }],
  mitigation: advice,
  note: [
    ...reasons.map((text) => ({
      extension: [{ url: 'https://fhir.mekong.health/StructureDefinition/care-rule', valueString: 'r' }],
      text: `${text} [triage.rule; Dispatch 7946/BYT-KCB [note]]`,
    })),
    {
      extension: [
        {
          url: 'https://fhir.mekong.health/StructureDefinition/care-rule',
          valueString: `triage.advice.${level}`,
        },
      ],
      text: `${advice} [source]`,
    },
  ],
});

let calls: FetchCall[];
let assessment: () => Response;
/** The patient's record (404 when undefined: the age is asked). */
let patient: object | undefined;

beforeEach(() => {
  missingKeys.length = 0;
  sessionStorage.clear();
  patient = undefined;
  assessment = () =>
    json(
      200,
      riskAssessment(
        'routine',
        [],
        'Có thể đặt lịch khám. Nếu xuất hiện dấu hiệu nguy hiểm, gọi 115 ngay. / You can book a consultation. If any danger sign appears, call 115 at once.',
      ),
    );
  calls = stubFetch((call) => {
    const { url } = call;
    if (url === '/fhir/Questionnaire/mekong-previsit-triage') return json(200, questionnaire);
    if (url === '/fhir/Patient/p1' && patient) return json(200, patient);
    if (url === '/fhir/QuestionnaireResponse' && call.method === 'POST')
      return json(201, { ...(call.body as object), id: 'qr1' });
    if (url === '/fhir/RiskAssessment/triage-qr1') return assessment();
    if (url.startsWith('/fhir/Organization')) return json(200, { resourceType: 'Bundle' });
    return undefined;
  });
});
afterEach(async () => {
  cleanup();
  await i18next.changeLanguage('vi');
  vi.unstubAllGlobals();
});

const radio = (group: string, name: string) =>
  within(screen.getByRole('group', { name: new RegExp(`^${group}`) })).getByRole('radio', { name });

/** Answers every required question: an adult with fever 38,5 °C and a cough, no danger sign. */
async function answerNonEmergency() {
  fireEvent.click(await screen.findByRole('radio', { name: 'Từ 16 tuổi trở lên' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Sốt' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Ho' }));
  fireEvent.click(screen.getByRole('radio', { name: '1–2 ngày' }));
  for (const no of screen.getAllByRole('radio', { name: 'Không' })) fireEvent.click(no);
  fireEvent.click(radio('Người bệnh có sốt', 'Có'));
  fireEvent.change(screen.getByLabelText('Nhiệt độ cao nhất đo được (°C)'), { target: { value: '38,5' } });
  const dengue = screen.getByRole('group', { name: 'Dấu hiệu cảnh báo sốt xuất huyết' });
  for (const no of within(dengue).getAllByRole('radio', { name: 'Không' })) fireEvent.click(no);
}

describe('TriageForm', { timeout: 30_000 }, () => {
  it('renders the Questionnaire in Vietnamese and in English, with enableWhen', async () => {
    render(<TriageForm patientId="p1" />);
    expect(await screen.findByRole('heading', { name: 'Khai báo triệu chứng trước khi khám' })).toBeTruthy();
    expect(screen.getByRole('group', { name: /^Tuổi của người bệnh/ })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Dấu hiệu nguy hiểm' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Dấu hiệu đột quỵ (FAST)' })).toBeTruthy();
    // The temperature and the dengue warning signs only when there is a fever.
    expect(screen.queryByLabelText('Nhiệt độ cao nhất đo được (°C)')).toBeNull();
    expect(screen.queryByRole('group', { name: 'Dấu hiệu cảnh báo sốt xuất huyết' })).toBeNull();
    fireEvent.click(radio('Người bệnh có sốt', 'Có'));
    expect(screen.getByLabelText('Nhiệt độ cao nhất đo được (°C)')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Dấu hiệu cảnh báo sốt xuất huyết' })).toBeTruthy();

    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByRole('heading', { name: 'Pre-visit symptom check' })).toBeTruthy();
    expect(screen.getByRole('group', { name: /^Age of the patient/ })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Under 3 months' })).toBeTruthy();
    expect(screen.getByLabelText('Highest measured temperature (°C)')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Danger signs' })).toBeTruthy();
    expect(screen.getAllByRole('radio', { name: 'Yes' }).length).toBeGreaterThan(5);
    expect(missingKeys).toEqual([]);
  });

  it('refuses to send unanswered required questions', async () => {
    render(<TriageForm patientId="p1" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Gửi khai báo' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(screen.getAllByText('Vui lòng trả lời câu này.').length).toBeGreaterThan(5);
    expect(document.activeElement?.getAttribute('type')).toBe('radio');
  });

  it('posts the answers as a QuestionnaireResponse, then shows the routine result', async () => {
    const onDone = vi.fn();
    render(<TriageForm patientId="p1" onDone={onDone} />);
    await answerNonEmergency();
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ level: 'routine', qr: 'qr1' }));
    const post = calls.find((c) => c.method === 'POST')!;
    const qr = post.body as ReturnType<typeof buildResponse>;
    expect(qr).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'https://fhir.mekong.health/Questionnaire/triage|1.0.0',
      status: 'completed',
      subject: { reference: 'Patient/p1' },
    });
    expect(Date.now() - Date.parse(qr.authored)).toBeLessThan(60_000);
    const byId = new Map(qr.item.map((i) => [i.linkId, i]));
    expect(byId.get('age-group')?.answer).toEqual([
      {
        valueCoding: {
          system: 'https://fhir.mekong.health/CodeSystem/triage-answer',
          code: '16-plus',
          display: 'Từ 16 tuổi trở lên',
        },
      },
    ]);
    expect(byId.get('main-symptoms')?.answer?.map((a) => a.valueCoding?.code)).toEqual(['fever', 'cough']);
    expect(byId.get('fever')?.answer).toEqual([{ valueBoolean: true }]);
    expect(byId.get('max-temperature')?.answer).toEqual([{ valueDecimal: 38.5 }]);
    const redFlags = byId.get('red-flags')!;
    expect(redFlags.item?.find((i) => i.linkId === 'rf-chest-pain')?.answer).toEqual([
      { valueBoolean: false },
    ]);
    const stroke = redFlags.item?.find((i) => i.linkId === 'rf-stroke');
    expect(stroke?.item?.map((i) => i.linkId)).toEqual(['rf-fast-face', 'rf-fast-arm', 'rf-fast-speech']);
    expect(byId.get('dengue-warning-signs')?.item).toHaveLength(3);
    expect(byId.get('worsening')?.answer).toEqual([{ valueBoolean: false }]);

    expect(await screen.findByRole('heading', { name: 'Kết quả phân loại: Thông thường' })).toBeTruthy();
    expect(
      screen.getByText('Có thể đặt lịch khám. Nếu xuất hiện dấu hiệu nguy hiểm, gọi 115 ngay.'),
    ).toBeTruthy();
    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByRole('heading', { name: 'Triage result: Routine' })).toBeTruthy();
    expect(
      screen.getByText('You can book a consultation. If any danger sign appears, call 115 at once.'),
    ).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('does not ask the age the record knows: shown locked from the birth date, still sent (vi and en)', async () => {
    patient = { resourceType: 'Patient', id: 'p1', birthDate: '1958-10-02' };
    const onDone = vi.fn();
    render(<TriageForm patientId="p1" onDone={onDone} />);
    expect(await screen.findByText('Từ 16 tuổi trở lên')).toBeTruthy();
    expect(screen.getByText('(theo ngày sinh trong hồ sơ: 02/10/1958)')).toBeTruthy();
    expect(screen.queryByRole('group', { name: /^Tuổi của người bệnh/ })).toBeNull();
    expect(screen.queryByRole('radio', { name: 'Dưới 3 tháng' })).toBeNull();
    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByText('(from the date of birth in the record: 02/10/1958)')).toBeTruthy();
    expect(screen.getByText('16 years or older')).toBeTruthy();
    await act(() => i18next.changeLanguage('vi'));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Ho' }));
    fireEvent.click(screen.getByRole('radio', { name: '1–2 ngày' }));
    for (const no of screen.getAllByRole('radio', { name: 'Không' })) fireEvent.click(no);
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const qr = calls.find((c) => c.method === 'POST')!.body as ReturnType<typeof buildResponse>;
    expect(qr.item.find((i) => i.linkId === 'age-group')?.answer?.[0]?.valueCoding?.code).toBe('16-plus');
    expect(missingKeys).toEqual([]);
  });

  it('"follow-up, no new symptom" skips the new-symptom questions but still asks fever and every danger sign', async () => {
    const onDone = vi.fn();
    render(<TriageForm patientId="p1" onDone={onDone} />);
    fireEvent.click(await screen.findByRole('radio', { name: 'Tái khám, không có triệu chứng mới' }));
    expect(screen.queryByRole('group', { name: /^Triệu chứng chính/ })).toBeNull();
    expect(screen.queryByRole('group', { name: /^Triệu chứng đã kéo dài/ })).toBeNull();
    expect(screen.getByRole('group', { name: 'Dấu hiệu nguy hiểm' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Dấu hiệu đột quỵ (FAST)' })).toBeTruthy();
    expect(screen.getByRole('group', { name: /^Người bệnh có sốt/ })).toBeTruthy();
    // The danger signs are required on this path too.
    fireEvent.click(screen.getByRole('radio', { name: 'Từ 16 tuổi trở lên' }));
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(screen.getAllByText('Vui lòng trả lời câu này.').length).toBeGreaterThan(5);
    for (const no of screen.getAllByRole('radio', { name: 'Không' })) fireEvent.click(no);
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ level: 'routine', qr: 'qr1' }));
    const qr = calls.find((c) => c.method === 'POST')!.body as ReturnType<typeof buildResponse>;
    const ids = qr.item.map((i) => i.linkId);
    expect(ids).toEqual(['age-group', 'fever', 'red-flags', 'worsening']);
    expect(qr.item.find((i) => i.linkId === 'red-flags')?.item).toHaveLength(6);
    await act(() => i18next.changeLanguage('en'));
    expect(missingKeys).toEqual([]);
  });

  it('the age group of a birth date, as the Questionnaire’s options', () => {
    const today = '2026-03-15';
    expect(ageGroupOf('2026-01-01', today)).toBe('under-3-months');
    expect(ageGroupOf('2025-12-15', today)).toBe('3-to-6-months');
    expect(ageGroupOf('2025-09-16', today)).toBe('3-to-6-months');
    expect(ageGroupOf('2025-09-15', today)).toBe('6-months-to-5-years');
    expect(ageGroupOf('2021-03-16', today)).toBe('6-months-to-5-years');
    expect(ageGroupOf('2021-03-15', today)).toBe('5-to-15-years');
    expect(ageGroupOf('2010-03-16', today)).toBe('5-to-15-years');
    expect(ageGroupOf('2010-03-15', today)).toBe('16-plus');
    expect(ageGroupOf('1958', today)).toBe('16-plus');
    expect(ageGroupOf('2012', today)).toBeUndefined();
    expect(ageGroupOf(undefined, today)).toBeUndefined();
  });

  it('an unanswered optional question and a disabled one are left out of the response', () => {
    const q = questionnaire as unknown as Questionnaire;
    const qr = buildResponse(q, { 'age-group': '16-plus', fever: false, 'max-temperature': '39' }, 'p2');
    expect(qr.item.map((i) => i.linkId)).toEqual(['age-group', 'fever']);
  });

  it('emergency: the 115 advice in a red alert, the reasons, and no booking', async () => {
    assessment = () =>
      json(
        200,
        riskAssessment(
          'emergency',
          ['Khó thở / Difficulty breathing'],
          'Gọi cấp cứu 115 hoặc đến cơ sở y tế gần nhất NGAY. Không chờ khám từ xa. / Call 115 (emergency) or go to the nearest health facility NOW. Do not wait for a remote consultation.',
        ),
      );
    render(<BookForPatient patientId="p1" />);
    await answerNonEmergency();
    fireEvent.click(radio('Khó thở', 'Có'));
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    expect(await screen.findByRole('heading', { name: 'Kết quả phân loại: Cấp cứu' })).toBeTruthy();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Gọi 115 hoặc đến cơ sở cấp cứu gần nhất ngay');
    expect(within(alert).getByRole('link', { name: 'Gọi 115' }).getAttribute('href')).toBe('tel:115');
    expect(screen.getByText('Khó thở')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Tìm giờ trống' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Đặt lịch' })).toBeNull();
    expect(calls.some((c) => c.url.startsWith('/fhir/Slot'))).toBe(false);
    const qr = calls.find((c) => c.method === 'POST')!.body as ReturnType<typeof buildResponse>;
    expect(
      qr.item.find((i) => i.linkId === 'red-flags')?.item?.find((i) => i.linkId === 'rf-difficulty-breathing')
        ?.answer,
    ).toEqual([{ valueBoolean: true }]);
    expect(missingKeys).toEqual([]);
  });

  it('a non-emergency result leads on to the search and booking', async () => {
    render(<BookForPatient patientId="p1" />);
    expect(screen.queryByRole('button', { name: 'Tìm giờ trống' })).toBeNull();
    await answerNonEmergency();
    fireEvent.click(screen.getByRole('button', { name: 'Gửi khai báo' }));
    expect(await screen.findByRole('button', { name: 'Tìm giờ trống' })).toBeTruthy();
  });
});

describe('triage results and booking refusals', () => {
  it('reads the level, reasons and advice of a RiskAssessment in each language', () => {
    const ra = riskAssessment(
      'urgent',
      ['Sốt trên 3 ngày / Fever for more than 3 days'],
      'Khám hôm nay / See today',
    );
    expect(triageResultOf(ra, 'vi')).toEqual({
      level: 'urgent',
      reasons: ['Sốt trên 3 ngày'],
      advice: 'Khám hôm nay',
    });
    expect(triageResultOf(ra, 'en')?.reasons).toEqual(['Fever for more than 3 days']);
  });

  it('explains the emergency and eligibility 422s', () => {
    const emergency = new ApiError(
      422,
      'Call 115 / go to the nearest emergency department now / Gọi 115 hoặc đến cơ sở cấp cứu gần nhất ngay. x / y',
      { resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: 'Call 115' }] },
    );
    expect(bookingRefusal(emergency, 'vi')?.kind).toBe('emergency');
    const inPerson = new ApiError(
      422,
      'Not eligible for a video consultation: an in-person visit is needed (route in-person) / Không đủ điều kiện khám từ xa: cần khám trực tiếp',
      {
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', diagnostics: 'Not eligible', details: { text: 'route: in-person' } },
          { severity: 'information', diagnostics: 'Lần đầu khám bệnh này / First visit for this condition' },
        ],
      },
    );
    expect(bookingRefusal(inPerson, 'vi')).toEqual({ kind: 'in-person', reasons: ['Lần đầu khám bệnh này'] });
    expect(bookingRefusal(inPerson, 'en')?.reasons).toEqual(['First visit for this condition']);
    expect(BOOKING_MESSAGES.vi.errors.inPerson).toMatch(/^Bệnh này cần khám trực tiếp/);
    expect(bookingRefusal(new ApiError(409, 'taken'), 'vi')).toBeUndefined();
  });
});
