import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { emptyFollowUp, followUpAt, followUpProblem } from './follow-up';
import { Visit } from './Visit';
import type { SessionView } from './visit-session';

/** The page's session without socket.io or mediasoup: the test sets its view and answers `end`. */
const fake = vi.hoisted(() => ({
  view: undefined as unknown,
  end: (() => Promise.resolve('Encounter/e1')) as (record: unknown) => Promise<string | undefined>,
  onChange: undefined as ((v: unknown) => void) | undefined,
}));
vi.mock('./visit-session', () => ({
  VisitSession: class {
    view = fake.view;
    constructor(_id: string, _c: unknown, onChange: (v: unknown) => void) {
      fake.onChange = onChange;
      setTimeout(() => onChange(fake.view), 0);
    }
    end = (record: unknown) => fake.end(record);
    viewTile = () => undefined;
    close = () => undefined;
  },
}));
vi.mock('../doctor/DoctorSidePanel', () => ({ DoctorSidePanel: () => null }));

/** 08:00 on 7 December 2026 in Vietnam. */
const NOW = new Date('2026-12-07T01:00:00Z');

beforeEach(() => {
  missingKeys.splice(0);
  sessionStorage.setItem('mekong.accessToken', 'test');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.resolve(new Response('{}', { status: 404 }))),
  );
});
afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  sessionStorage.clear();
  await i18next.changeLanguage('vi');
});

const inCall = (): SessionView => ({
  phase: 'in-call',
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
});

describe('the re-visit date and time (the server’s FollowUpDto limits)', () => {
  const key = (date: string, time: string) => followUpProblem({ date, time }, NOW)?.key;

  it('is sent in Vietnam time with its offset, whatever the device’s zone', () => {
    expect(followUpAt({ date: '2026-12-20', time: '08:00' })).toBe('2026-12-20T08:00:00+07:00');
    expect(followUpAt({ date: '2026-12-20', time: '14:30:00' })).toBe('2026-12-20T14:30:00+07:00');
    expect(Date.parse(followUpAt({ date: '2026-12-20', time: '08:00' })!)).toBe(
      Date.parse('2026-12-20T01:00:00Z'),
    );
    expect(followUpAt({ date: '2027-02-30', time: '08:00' })).toBeUndefined();
    expect(followUpAt({ date: '20/12/2026', time: '08:00' })).toBeUndefined();
  });

  it('optional; else both fields, a real day, after now and at most 365 days ahead', () => {
    expect(followUpProblem(emptyFollowUp(), NOW)).toBeUndefined();
    expect(key('2026-12-20', '')).toBe('followUp.timeNeeded');
    expect(key('', '08:00')).toBe('followUp.dateNeeded');
    expect(key('2027-02-30', '08:00')).toBe('followUp.invalid');
    expect(key('2026-12-06', '09:00')).toBe('followUp.past');
    expect(key('2026-12-07', '08:00')).toBe('followUp.past'); // now, Vietnam time
    expect(key('2026-12-07', '08:01')).toBeUndefined();
    expect(key('2027-12-07', '08:00')).toBeUndefined(); // 365 days
    expect(key('2027-12-07', '08:01')).toBe('followUp.tooFar');
  });
});

describe('the end-of-visit form’s re-visit appointment', () => {
  it('refuses a past date keeping what was typed, then ends with followUp.at (+07:00) and shows it in the summary', async () => {
    const ended: unknown[] = [];
    fake.end = (record) => {
      ended.push(record);
      return Promise.resolve('Encounter/e1');
    };
    fake.view = inCall();
    render(<Visit appointmentId="ap1" />);
    await screen.findByRole('form', { name: 'Kết thúc buổi khám' });
    expect(screen.getByRole('group', { name: 'Hẹn khám lại' })).toBeTruthy();
    const date = screen.getByLabelText('Ngày hẹn khám lại') as HTMLInputElement;
    const time = screen.getByLabelText('Giờ hẹn khám lại') as HTMLInputElement;
    expect([date.type, time.type]).toEqual(['date', 'time']);
    fireEvent.change(date, { target: { value: '2026-12-06' } });
    fireEvent.change(time, { target: { value: '08:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Kết thúc buổi khám' }));

    expect(ended).toEqual([]);
    expect(screen.getByTestId('end-error').textContent).toBe(
      'Chưa kết thúc buổi khám: hãy sửa ngày giờ hẹn khám lại theo ghi chú bên trên.',
    );
    expect(screen.getByTestId('follow-up-error').textContent).toBe(
      'Ngày giờ hẹn khám lại phải sau thời điểm hiện tại.',
    );
    expect(date.getAttribute('aria-invalid')).toBe('true');
    expect(date.getAttribute('aria-describedby')).toBe('follow-up-error');
    expect(document.activeElement).toBe(date);
    expect([date.value, time.value]).toEqual(['2026-12-06', '08:00']);

    // More than a year ahead is refused too; a day within it ends the visit.
    fireEvent.change(date, { target: { value: '2027-12-08' } });
    expect(screen.queryByTestId('follow-up-error')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Kết thúc buổi khám' }));
    expect(screen.getByTestId('follow-up-error').textContent).toBe(
      'Chỉ hẹn khám lại trong vòng 365 ngày kể từ hôm nay.',
    );
    expect(ended).toEqual([]);
    fireEvent.change(date, { target: { value: '2026-12-20' } });
    // The day in words, whatever format the browser's date input shows it in.
    expect(screen.getByTestId('follow-up-preview').textContent).toBe(
      'Hẹn khám lại lúc 08:00, Chủ Nhật 20/12/2026 (giờ Việt Nam).',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Kết thúc buổi khám' }));
    await waitFor(() => expect(ended).toHaveLength(1));
    expect(ended[0]).toEqual({
      notes: '',
      diagnoses: [],
      prescriptions: [],
      followUp: { at: '2026-12-20T08:00:00+07:00' },
    });
    await act(() => Promise.resolve());
    act(() => fake.onChange?.({ ...inCall(), phase: 'ended' }));
    expect((await screen.findByTestId('follow-up-summary')).textContent).toBe(
      'Hẹn khám lại: 08:00, Chủ Nhật 20/12/2026',
    );
    expect(missingKeys).toEqual([]);
  });

  it('a time without a date is said; "Remove the re-visit" ends without one (in English)', async () => {
    await i18next.changeLanguage('en');
    const ended: unknown[] = [];
    fake.end = (record) => {
      ended.push(record);
      return Promise.resolve('Encounter/e1');
    };
    fake.view = inCall();
    render(<Visit appointmentId="ap1" />);
    await screen.findByRole('form', { name: 'End the visit' });
    fireEvent.change(screen.getByLabelText('Re-visit time'), { target: { value: '09:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'End the visit' }));
    expect(screen.getByTestId('follow-up-error').textContent).toBe('Choose the re-visit date.');
    expect(screen.queryByTestId('follow-up-preview')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Re-visit date'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove the re-visit' }));
    expect((screen.getByLabelText('Re-visit time') as HTMLInputElement).value).toBe('');
    expect(screen.queryByRole('button', { name: 'Remove the re-visit' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'End the visit' }));
    await waitFor(() => expect(ended).toHaveLength(1));
    expect(ended[0]).not.toHaveProperty('followUp');
    act(() => fake.onChange?.({ ...inCall(), phase: 'ended' }));
    await screen.findByTestId('ended');
    expect(screen.queryByTestId('follow-up-summary')).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it("shows the server's refusal of followUp.at in the page's language and keeps the values", async () => {
    await i18next.changeLanguage('en');
    fake.end = () =>
      Promise.reject(
        new Error(
          'followUp.at: 2026-12-20T08:00:00+07:00 is not after the end of the visit (2026-12-20T01:30:00.000Z) / ngày giờ hẹn khám lại phải sau khi kết thúc buổi khám',
        ),
      );
    fake.view = inCall();
    render(<Visit appointmentId="ap1" />);
    await screen.findByRole('form', { name: 'End the visit' });
    fireEvent.change(screen.getByLabelText('Re-visit date'), { target: { value: '2026-12-20' } });
    fireEvent.change(screen.getByLabelText('Re-visit time'), { target: { value: '08:00' } });
    expect(screen.getByTestId('follow-up-preview').textContent).toBe(
      'Re-visit at 08:00 on Sunday 20/12/2026 (Vietnam time).',
    );
    fireEvent.click(screen.getByRole('button', { name: 'End the visit' }));
    expect((await screen.findByTestId('end-error')).textContent).toBe(
      'The visit could not be ended: followUp.at: 2026-12-20T08:00:00+07:00 is not after the end of the visit (2026-12-20T01:30:00.000Z)',
    );
    expect((screen.getByLabelText('Re-visit date') as HTMLInputElement).value).toBe('2026-12-20');
    expect((screen.getByLabelText('Re-visit time') as HTMLInputElement).value).toBe('08:00');
    expect((screen.getByRole('button', { name: 'End the visit' }) as HTMLButtonElement).disabled).toBe(false);
    await i18next.changeLanguage('vi');
    expect(screen.getByTestId('end-error').textContent).toBe(
      'Chưa kết thúc được buổi khám: ngày giờ hẹn khám lại phải sau khi kết thúc buổi khám',
    );
    expect(missingKeys).toEqual([]);
  });
});
