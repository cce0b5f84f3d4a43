import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import type { Claims } from '../shell/session-store';
import { type FetchCall, stubFetch } from '../test-fetch';
import type { News2AlertView } from './alerts-api';
import { AlertsInbox } from './AlertsInbox';
import { DutyRoster, fromVnLocal } from './DutyRoster';

const json = (status: number, body: unknown): Response =>
  new Response(body === undefined ? '' : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

const alert: News2AlertView = {
  id: '11111111-1111-4111-8111-111111111111',
  patientId: 'p1',
  observationId: 'o1',
  patient: { id: 'p1', name: 'Trần Văn Mới' },
  facility: 'Organization/station',
  hospital: 'Organization/hospital',
  score: 13,
  response: 'emergency',
  raisedAt: '2026-12-06T03:00:00.000Z',
  notified: ['Organization/station', 'Practitioner/d1'],
  onCall: ['Practitioner/d1'],
  status: 'open',
  escalateAt: '2026-12-06T03:15:00.000Z',
  names: {},
};
const doctor: Claims = { sub: 'a1', role: 'practitioner', fhirUser: 'Practitioner/d1', exp: 9e9 };
const nurse: Claims = {
  sub: 'a2',
  role: 'clinic-staff',
  fhirUser: 'Practitioner/n1',
  organization: 'Organization/station',
  exp: 9e9,
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

describe('NEWS2 alerts inbox', { timeout: 30_000 }, () => {
  it('shows an open alert in colour with who was called; the doctor acknowledges it', async () => {
    let acked = false;
    calls = stubFetch((c) => {
      if (c.url.startsWith('/care/alerts?'))
        return json(200, [
          acked
            ? {
                ...alert,
                status: 'acknowledged',
                acknowledgedBy: 'Practitioner/d1',
                acknowledgedAt: '2026-12-06T03:05:00.000Z',
              }
            : alert,
        ]);
      if (c.url.endsWith('/acknowledge') && c.method === 'POST') {
        acked = true;
        return json(200, {});
      }
      return undefined;
    });
    render(<AlertsInbox claims={doctor} />);
    const card = await screen.findByTestId('news2-alert');
    expect(card.className).toContain('news2-emergency');
    expect(card.textContent).toContain('Trần Văn Mới');
    expect(card.textContent).toContain('NEWS2 = 13');
    expect(card.textContent).toContain('Cấp cứu: gọi 115');
    expect(card.textContent).toContain('Bác sĩ trực đã được báo: Bác sĩ (chưa có tên trong hệ thống)');
    expect(card.textContent).toContain('10:00 06/12/2026');
    fireEvent.click(screen.getByRole('button', { name: /^Xác nhận đã nhận cảnh báo: / }));
    await screen.findByText(/Đã xác nhận bởi Bác sĩ \(chưa có tên trong hệ thống\) lúc 10:05 06\/12\/2026/);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain(`POST /care/alerts/${alert.id}/acknowledge`);
    expect(missingKeys).toEqual([]);
  });

  it('station staff see that nobody was on call and cannot acknowledge (English)', async () => {
    await i18next.changeLanguage('en');
    stubFetch((c) =>
      c.url.startsWith('/care/alerts?')
        ? json(200, [{ ...alert, onCall: [], response: 'urgent-review', score: undefined }])
        : undefined,
    );
    render(<AlertsInbox claims={nurse} />);
    const card = await screen.findByTestId('news2-alert');
    expect(card.textContent).toContain('No doctor on call — the referral hospital was alerted.');
    expect(card.textContent).toContain('NEWS2 (incomplete)');
    expect(card.textContent).toContain('Waiting for a doctor to acknowledge.');
    expect(screen.queryByRole('button', { name: /^Acknowledge alert/ })).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('the doctor records a booking override with a reason', async () => {
    const all = stubFetch((c) => {
      if (c.url.startsWith('/care/alerts?')) return json(200, [alert]);
      if (c.url.endsWith('/booking-override')) return json(200, {});
      return undefined;
    });
    render(<AlertsInbox claims={doctor} />);
    await screen.findByTestId('news2-alert');
    fireEvent.change(screen.getByLabelText('Lý do (bắt buộc)'), {
      target: { value: 'Đã gọi điện, ổn định' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Ghi lại cho phép' }));
    await waitFor(() => expect(all.some((c) => c.url.endsWith('/booking-override'))).toBe(true));
    expect(all.find((c) => c.url.endsWith('/booking-override'))?.body).toEqual({
      reason: 'Đã gọi điện, ổn định',
    });
  });
});

describe('duty roster', { timeout: 30_000 }, () => {
  it('reads Vietnam time from the form', () => {
    expect(fromVnLocal('2026-12-06T20:00')).toBe('2026-12-06T13:00:00.000Z');
  });

  it('lists the facility’s shifts, adds one and deletes its own', async () => {
    const rows = [
      {
        id: 'r1',
        facility: 'Organization/station',
        practitioner: 'Practitioner/d1',
        covers: ['Organization/station'],
        start: '2026-12-06T13:00:00.000Z',
        end: '2026-12-07T01:00:00.000Z',
        note: 'Trực đêm',
      },
      {
        id: 'r2',
        facility: 'Organization/hospital',
        practitioner: 'Practitioner/d2',
        covers: ['Organization/station'],
        start: '2026-12-06T13:00:00.000Z',
        end: '2026-12-07T01:00:00.000Z',
      },
    ];
    const bundleOf = (...resources: object[]) => ({
      resourceType: 'Bundle',
      entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
    });
    const all = stubFetch((c) => {
      if (c.url.startsWith('/care/duty-roster?')) return json(200, rows);
      if (c.url === '/fhir/Organization/station')
        return json(200, { resourceType: 'Organization', id: 'station', name: 'Trạm Y tế xã An Bình' });
      if (c.url.startsWith('/fhir/Organization?'))
        return json(200, bundleOf({ resourceType: 'Organization', id: 'hamlet', name: 'Điểm y tế ấp Hòa' }));
      if (c.url.startsWith('/fhir/Practitioner?'))
        return json(200, {
          resourceType: 'Bundle',
          entry: [
            {
              resource: {
                resourceType: 'Practitioner',
                id: 'd1',
                name: [{ family: 'Trần', given: ['Minh'] }],
              },
              search: { mode: 'match' },
            },
            {
              resource: {
                resourceType: 'PractitionerRole',
                id: 'pr1',
                practitioner: { reference: 'Practitioner/d1' },
                organization: { reference: 'Organization/station' },
              },
              search: { mode: 'include' },
            },
            {
              resource: { resourceType: 'Organization', id: 'station', name: 'Trạm Y tế xã An Bình' },
              search: { mode: 'include' },
            },
          ],
        });
      if (c.method === 'POST') return json(201, { ...rows[0], id: 'r3' });
      if (c.method === 'DELETE') return json(204, undefined);
      return undefined;
    });
    render(<DutyRoster claims={nurse} />);
    await screen.findByText('Trực đêm');
    expect(all[0]?.url).toBe('/care/duty-roster?facility=Organization%2Fstation');
    // Only the station's own row can be deleted here (the hospital's row is the hospital's).
    expect(screen.getAllByRole('button', { name: /^Xoá/ })).toHaveLength(1);
    // The doctor is found by name (no ids typed), the facilities are ticked.
    fireEvent.change(screen.getByLabelText('Tìm bác sĩ trực theo tên'), { target: { value: 'Trần' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Trần Minh — Trạm Y tế xã An Bình' }));
    expect(screen.getByTestId('colleague-chosen').textContent).toContain('Bác sĩ trực: Trần Minh');
    expect((screen.getByRole('checkbox', { name: 'Trạm Y tế xã An Bình' }) as HTMLInputElement).checked).toBe(
      true,
    );
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Điểm y tế ấp Hòa' }));
    // dd/mm/yyyy and a 24 h time, whatever the device's language (issue 18 item 16).
    const start = screen.getByLabelText('Bắt đầu') as HTMLInputElement;
    expect([start.type, start.placeholder, start.inputMode]).toEqual(['text', 'dd/mm/yyyy', 'numeric']);
    expect((screen.getByLabelText('Bắt đầu: giờ') as HTMLInputElement).placeholder).toBe('HH:mm');
    fireEvent.change(start, { target: { value: '07/12/2026' } });
    fireEvent.change(screen.getByLabelText('Bắt đầu: giờ'), { target: { value: '20:00' } });
    fireEvent.change(screen.getByLabelText('Kết thúc'), { target: { value: '08/12/2026' } });
    fireEvent.change(screen.getByLabelText('Kết thúc: giờ'), { target: { value: '08:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Thêm ca trực' }));
    await screen.findByText('Đã thêm ca trực.');
    expect(all.find((c) => c.method === 'POST')?.body).toEqual({
      facility: 'Organization/station',
      practitioner: 'Practitioner/d1',
      covers: ['Organization/station', 'Organization/hamlet'],
      start: '2026-12-07T13:00:00.000Z',
      end: '2026-12-08T01:00:00.000Z',
    });
    fireEvent.click(screen.getByRole('button', { name: /^Xoá: Bác sĩ \(chưa có tên trong hệ thống\)/ }));
    await screen.findByText('Đã xoá ca trực.');
    expect(all.some((c) => c.method === 'DELETE' && c.url === '/care/duty-roster/r1')).toBe(true);
    expect(missingKeys).toEqual([]);
  });

  it('is for the facility’s staff only', () => {
    stubFetch(() => undefined);
    render(<DutyRoster claims={doctor} />);
    expect(screen.getByRole('alert').textContent).toContain('Chỉ nhân viên của cơ sở');
  });
});

describe('the vitals panel says who was called', { timeout: 30_000 }, () => {
  it('names the on-call doctor, or says nobody is on call (vi and en)', async () => {
    await import('../station/messages');
    const { News2Panel } = await import('../station/News2Panel');
    const { rerender } = render(
      <News2Panel
        state={{
          kind: 'score',
          score: 13,
          response: 'emergency',
          routing: { onCall: ['Trần Minh'], hospital: true },
        }}
      />,
    );
    expect(screen.getByTestId('news2-routing').textContent).toBe('Bác sĩ trực đã được báo: Trần Minh');
    rerender(
      <News2Panel
        state={{ kind: 'score', score: 13, response: 'emergency', routing: { onCall: [], hospital: true } }}
      />,
    );
    expect(screen.getByTestId('news2-routing').textContent).toBe(
      'Không có bác sĩ trực — đã báo bệnh viện tuyến trên.',
    );
    await i18next.changeLanguage('en');
    rerender(
      <News2Panel
        state={{ kind: 'score', score: 13, response: 'emergency', routing: { onCall: [], hospital: false } }}
      />,
    );
    expect(screen.getByTestId('news2-routing').textContent).toBe(
      'No doctor on call and no referral hospital recorded — call 115.',
    );
    expect(missingKeys).toEqual([]);
  });
});
