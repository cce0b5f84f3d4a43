import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { ageOn, maskCccd, sortAllergies } from './patient-identity';
import { Visit } from './Visit';
import { VISIT_MESSAGES } from './visit-messages';
import type { QueueEntry, SessionView } from './visit-session';

/** The page's session, without socket.io or mediasoup: the test sets its view. */
const fake = vi.hoisted(() => ({
  view: undefined as unknown,
  admit: (() => Promise.resolve()) as (id: string) => Promise<unknown>,
  decline: (() => Promise.resolve()) as (id: string) => Promise<unknown>,
  invite: (() => Promise.resolve('')) as (who: unknown, role: string) => Promise<string>,
}));
vi.mock('./visit-session', () => ({
  VisitSession: class {
    view = fake.view;
    constructor(_id: string, _c: unknown, onChange: (v: unknown) => void) {
      setTimeout(() => onChange(fake.view), 0);
    }
    admit = (id: string) => fake.admit(id);
    decline = (id: string) => fake.decline(id);
    invite = (who: unknown, role: string) => fake.invite(who, role);
    viewTile = () => undefined;
    close = () => undefined;
  },
}));
// The ICD-10 picker's side panel is not under test here.
vi.mock('../doctor/DoctorSidePanel', () => ({ DoctorSidePanel: () => null }));

const baseView = (over: Partial<SessionView>): SessionView => ({
  phase: 'waiting',
  role: 'host',
  queue: [],
  people: {},
  remotes: [],
  chat: [],
  muted: false,
  cameraOff: false,
  audioOnly: false,
  mediaStarts: 1,
  weakSenders: [],
  remoteOff: {},
  ...over,
});

const json = (body: unknown): Response =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
const bundle = (resources: object[], included: object[] = []) => ({
  resourceType: 'Bundle',
  entry: [
    ...resources.map((resource) => ({ resource, search: { mode: 'match' } })),
    ...included.map((resource) => ({ resource, search: { mode: 'include' } })),
  ],
});

const patient = {
  resourceType: 'Patient',
  id: 'pa',
  name: [{ family: 'Nguyễn', given: ['Văn', 'An'] }],
  birthDate: '1958-10-02',
  gender: 'male',
  identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '079058001234' }],
};

let urls: string[] = [];
beforeEach(() => {
  urls = [];
  missingKeys.splice(0);
  sessionStorage.setItem('mekong.accessToken', 'test');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-04T02:30:00Z'));
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL) => {
      const url = decodeURIComponent(String(input));
      urls.push(url);
      if (url === '/fhir/Appointment/ap1')
        return Promise.resolve(
          json({
            resourceType: 'Appointment',
            id: 'ap1',
            participant: [{ actor: { reference: 'Patient/pa' } }, { actor: { reference: 'Practitioner/d' } }],
          }),
        );
      if (url === '/fhir/Patient/pa') return Promise.resolve(json(patient));
      if (url.startsWith('/fhir/AllergyIntolerance?'))
        return Promise.resolve(
          json(
            bundle([
              { resourceType: 'AllergyIntolerance', id: 'al1', code: { text: 'Tôm' }, criticality: 'low' },
              {
                resourceType: 'AllergyIntolerance',
                id: 'al2',
                code: { text: 'Penicillin' },
                criticality: 'high',
              },
            ]),
          ),
        );
      if (url.startsWith('/fhir/Condition?'))
        return Promise.resolve(
          json(
            bundle([
              {
                resourceType: 'Condition',
                id: 'c1',
                code: { text: 'Tăng huyết áp', coding: [{ code: 'I10' }] },
              },
            ]),
          ),
        );
      if (url.startsWith('/fhir/Practitioner?'))
        return Promise.resolve(
          json(
            bundle(
              [{ resourceType: 'Practitioner', id: 'other', name: [{ family: 'Lê', given: ['Hoa'] }] }],
              [
                {
                  resourceType: 'PractitionerRole',
                  id: 'r',
                  practitioner: { reference: 'Practitioner/other' },
                  organization: { reference: 'Organization/h' },
                },
                { resourceType: 'Organization', id: 'h', name: 'Bệnh viện Chợ Rẫy' },
              ],
            ),
          ),
        );
      return Promise.resolve(new Response('{}', { status: 404 }));
    }),
  );
});
afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  sessionStorage.clear();
  await i18next.changeLanguage('vi');
});

const waitingPatient: QueueEntry = {
  participantId: 'p1',
  actor: 'Patient/pa',
  role: 'patient',
  reason: 'Đau ngực',
  priority: 2,
  since: '2026-03-04T02:25:00Z',
};

describe("the doctor's visit screen: who the patient is", () => {
  it('name, age, date of birth dd/mm/yyyy, sex, masked CCCD; allergies (high first) and active problems', async () => {
    fake.view = baseView({ queue: [waitingPatient] });
    render(<Visit appointmentId="ap1" />);
    const banner = await screen.findByTestId('patient-banner');
    await within(banner).findByText('Nguyễn Văn An');
    expect(within(banner).getByRole('heading').textContent).toBe('Bệnh nhân: Nguyễn Văn An');
    expect(within(banner).getByTestId('patient-facts').textContent).toBe(
      '67 tuổi · sinh ngày 02/10/1958 · Nam · CCCD ••••••••1234',
    );
    expect(banner.textContent).not.toContain('079058001234');
    const allergies = within(banner).getByTestId('patient-allergies');
    expect([...allergies.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Penicillin (nguy hiểm cao)',
      'Tôm',
    ]);
    expect(within(banner).getByTestId('patient-problems').textContent).toBe('Tăng huyết áp (I10)');
    // Active ones only, asked of the server.
    expect(urls).toContain('/fhir/AllergyIntolerance?patient=Patient/pa&clinical-status=active&_count=50');
    expect(urls).toContain('/fhir/Condition?patient=Patient/pa&clinical-status=active&_count=50');
    // The waiting room names the patient too.
    expect(screen.getByTestId('queue').textContent).toContain('Bệnh nhân — Nguyễn Văn An');
    expect(missingKeys).toEqual([]);
  });

  it('in English the date of birth is still dd/mm/yyyy', async () => {
    await i18next.changeLanguage('en');
    fake.view = baseView({});
    render(<Visit appointmentId="ap1" />);
    const banner = await screen.findByTestId('patient-banner');
    await within(banner).findByText('Nguyễn Văn An');
    expect(within(banner).getByTestId('patient-facts').textContent).toBe(
      '67 years old · born 02/10/1958 · Male · CCCD ••••••••1234',
    );
    expect(within(banner).getByTestId('patient-allergies').querySelector('li')?.textContent).toBe(
      'Penicillin (high criticality)',
    );
    expect(missingKeys).toEqual([]);
  });

  it('age, masking and allergy order', () => {
    expect(ageOn('1958-10-02', '2026-10-01')).toEqual({ years: 67 });
    expect(ageOn('1958-10-02', '2026-10-02')).toEqual({ years: 68 });
    expect(ageOn('2025-06-15', '2026-03-04')).toEqual({ months: 8 });
    expect(ageOn('1958', '2026-03-04')).toEqual({ years: 68 });
    expect(ageOn(undefined)).toBeUndefined();
    expect(maskCccd('079058001234')).toBe('••••••••1234');
    expect(
      sortAllergies([
        { resourceType: 'AllergyIntolerance', id: 'a', code: { text: 'B' } },
        { resourceType: 'AllergyIntolerance', id: 'b', code: { text: 'Z' }, criticality: 'high' },
        { resourceType: 'AllergyIntolerance', id: 'c', code: { text: 'A' }, criticality: 'low' },
      ]).map((a) => a.id),
    ).toEqual(['b', 'c', 'a']);
  });
});

describe('admit and decline', () => {
  it('admit is the primary action; decline is secondary and asks first', async () => {
    const admit = vi.fn(() => Promise.resolve());
    const decline = vi.fn(() => Promise.resolve());
    fake.admit = admit;
    fake.decline = decline;
    fake.view = baseView({ queue: [waitingPatient] });
    render(<Visit appointmentId="ap1" />);
    const queue = await screen.findByTestId('queue');
    const admitButton = within(queue).getByRole('button', { name: /^Mời vào/ });
    const declineButton = within(queue).getByRole('button', { name: /^Từ chối/ });
    expect(admitButton.className).not.toContain('secondary');
    expect(declineButton.className).toContain('secondary');
    // Decline: nothing happens until confirmed; "No" goes back.
    fireEvent.click(declineButton);
    expect(decline).not.toHaveBeenCalled();
    const confirm = within(queue).getByRole('group');
    expect(confirm.textContent).toContain('Từ chối Bệnh nhân');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Không, quay lại' }));
    expect(decline).not.toHaveBeenCalled();
    fireEvent.click(within(queue).getByRole('button', { name: /^Từ chối/ }));
    fireEvent.click(within(queue).getByRole('button', { name: 'Có, từ chối' }));
    expect(decline).toHaveBeenCalledWith('p1');
    fireEvent.click(within(queue).getByRole('button', { name: /^Mời vào/ }));
    expect(admit).toHaveBeenCalledWith('p1');
    expect(missingKeys).toEqual([]);
  });
});

describe('inviting a colleague', () => {
  it('by name: results show the name and organization; the chosen one is invited by reference', async () => {
    const invite = vi.fn(() => Promise.resolve('https://x/visit/ap1#join=abc'));
    fake.invite = invite;
    fake.view = baseView({ phase: 'in-call' });
    render(<Visit appointmentId="ap1" />);
    const box = await screen.findByLabelText('Tìm đồng nghiệp theo tên');
    expect(screen.queryByPlaceholderText('Practitioner/…')).toBeNull();
    fireEvent.change(box, { target: { value: 'Lê' } });
    const result = await screen.findByRole('button', { name: 'Lê Hoa — Bệnh viện Chợ Rẫy' });
    expect(urls.find((u) => u.startsWith('/fhir/Practitioner?'))).toBe(
      '/fhir/Practitioner?name=Lê&_count=10&_revinclude=PractitionerRole:practitioner&_include:iterate=PractitionerRole:organization',
    );
    expect(screen.getByText('1 kết quả — chọn một người bên dưới.')).toBeTruthy();
    fireEvent.click(result);
    expect(screen.getByTestId('colleague-chosen').textContent).toContain('Lê Hoa — Bệnh viện Chợ Rẫy');
    fireEvent.change(screen.getByLabelText('Vai trò'), { target: { value: 'specialist' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Mời tham gia' }));
      await Promise.resolve();
    });
    expect(invite).toHaveBeenCalledWith({ actor: 'Practitioner/other' }, 'specialist');
    expect(await screen.findByTestId('invite-link')).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('the remote tile says what its sender turned off', async () => {
    const stream = new MediaStream();
    fake.view = baseView({
      phase: 'in-call',
      role: 'patient',
      people: { d: { role: 'host', actor: 'Practitioner/d' } },
      remotes: [{ participantId: 'd', stream, screen: false }],
      remoteOff: { d: { camera: true } },
    });
    render(<Visit appointmentId="ap1" />);
    expect((await screen.findByTestId('remote-off')).textContent).toBe(' — đã tắt camera');
    expect(screen.queryByTestId('patient-banner')).toBeNull(); // the patient is not shown their own banner
  });
});

describe('messages', () => {
  it('has the same keys in Vietnamese and English', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(VISIT_MESSAGES.en).sort()).toEqual(keys(VISIT_MESSAGES.vi).sort());
  });
});
