import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { usePath } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { type FetchCall, stubFetch } from '../test-fetch';
import {
  canResend,
  type ClaimDetail,
  type ClaimView,
  inFilter,
  newestFirst,
  patientNames,
} from './insurance-claims';
import { InsuranceClaim } from './InsuranceClaim';
import { InsuranceClaims } from './InsuranceClaims';
import StationArea from './StationArea';

const staff: Claims = {
  sub: 'u1',
  role: 'clinic-staff',
  fhirUser: 'Practitioner/n1',
  organization: 'Organization/st1',
  exp: 9999999999,
};

const base = {
  facilityCode: '92001',
  attempts: 1,
  updatedAt: '2026-12-01T01:30:00Z',
  correctableUntil: '2026-12-10T16:59:59.999Z',
};
/** Finished 08:25 1 Dec 2026 in Vietnam; rejected with a gateway reason and a field reason. */
const rejected: ClaimView = {
  ...base,
  encounter: 'Encounter/e-rej',
  patient: 'Patient/p1',
  maLk: 'e-rej',
  status: 'rejected',
  reasons: [
    { message: 'MA_BENH_CHINH không phù hợp với dịch vụ' },
    { field: 'XML1.MA_THE_BHYT', message: 'Thẻ BHYT hết hạn / The BHYT card has expired' },
  ],
  finishedAt: '2026-12-01T01:25:00Z',
};
const accepted: ClaimView = {
  ...base,
  encounter: 'Encounter/e-ok',
  patient: 'Patient/p2',
  maLk: 'e-ok',
  status: 'accepted',
  reasons: [],
  finishedAt: '2026-12-02T02:00:00Z',
};
const queued: ClaimView = {
  ...base,
  encounter: 'Encounter/e-wait',
  patient: 'Patient/p3',
  status: 'queued',
  attempts: 0,
  waiting: 'gateway not configured (BHXH_GATEWAY_URL): the claim waits, unsent',
  reasons: [],
  finishedAt: '2026-11-30T03:00:00Z',
};
const failed: ClaimView = {
  ...base,
  encounter: 'Encounter/e-fail',
  patient: 'Patient/p1',
  status: 'failed',
  attempts: 6,
  lastError: 'HTTP 503',
  reasons: [{ message: 'no answer after 6 attempts' }],
  finishedAt: '2026-11-29T03:00:00Z',
};
const invalid: ClaimView = {
  ...base,
  encounter: 'Encounter/e-inv',
  patient: 'Patient/p-unreadable',
  status: 'invalid',
  attempts: 0,
  reasons: [{ field: 'XML1.NGAY_SINH', message: 'Thiếu ngày sinh / Birth date missing' }],
  finishedAt: '2026-11-28T03:00:00Z',
};
const LIST = [queued, rejected, failed, accepted, invalid];

const patients = {
  resourceType: 'Bundle',
  type: 'searchset',
  entry: [
    { resource: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Nguyễn', given: ['Thị', 'Hoà'] }] } },
    { resource: { resourceType: 'Patient', id: 'p2', name: [{ text: 'Trần Văn Bình' }] } },
    { resource: { resourceType: 'Patient', id: 'p3', name: [{ family: 'Lê', given: ['Cúc'] }] } },
  ],
};

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const coded = (status: number, code: string, message: string): Response =>
  json(status, { statusCode: status, code, message });

let offline: boolean;
/** The stubbed server; `route` answers what a test changes, the list and names otherwise. */
function serve(route: (c: FetchCall) => Response | undefined = () => undefined): FetchCall[] {
  const calls = stubFetch((c) => {
    if (offline) throw new TypeError('Failed to fetch');
    const mine = route(c);
    if (mine) return mine;
    if (c.url === '/claims') return json(200, LIST);
    if (c.url.startsWith('/fhir/Patient?')) return json(200, patients);
    return undefined;
  });
  // stubFetch answers synchronously; a cut link rejects like the browser's fetch.
  const stubbed = globalThis.fetch as unknown as (u: string, i?: RequestInit) => Promise<Response>;
  vi.stubGlobal('fetch', (u: string, i?: RequestInit) => {
    try {
      return stubbed(u, i);
    } catch (e) {
      return Promise.reject(e);
    }
  });
  return calls;
}

beforeEach(() => {
  offline = false;
  missingKeys.length = 0;
  history.replaceState(null, '', '/station/claims');
});
afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('vi');
});

function Routed() {
  return <StationArea path={usePath()} claims={staff} />;
}

const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);
/** The value of a row's cell `i` (without the label a phone's card shows before it). */
const cell = (row: HTMLElement, i: number): string =>
  within(row).getAllByRole('cell')[i]!.querySelector('.stack-value')!.textContent ?? '';

describe('insurance claims: helpers', () => {
  it('filters by group, orders newest first, allows a resend only after sending and before the deadline', () => {
    expect(LIST.filter((c) => inFilter(c, 'attention')).map((c) => c.status)).toEqual([
      'rejected',
      'failed',
      'invalid',
    ]);
    expect(LIST.filter((c) => inFilter(c, 'waiting')).map((c) => c.status)).toEqual(['queued']);
    expect(LIST.filter((c) => inFilter(c, 'accepted'))).toEqual([accepted]);
    expect(LIST.filter((c) => inFilter(c, 'all'))).toHaveLength(5);
    expect(newestFirst(LIST).map((c) => c.encounter)).toEqual([
      'Encounter/e-ok',
      'Encounter/e-rej',
      'Encounter/e-wait',
      'Encounter/e-fail',
      'Encounter/e-inv',
    ]);
    const inside = new Date('2026-12-10T16:59:59.000Z');
    const after = new Date('2026-12-10T17:00:00.000Z');
    expect(canResend(rejected, inside)).toBe(true);
    expect(canResend(rejected, after)).toBe(false);
    expect(canResend(accepted, inside)).toBe(true);
    expect(canResend(queued, inside)).toBe(false);
    expect(canResend({ ...rejected, status: 'sending' }, inside)).toBe(false);
  });

  it('names come from ONE search by _id; an unreadable one is absent (the id stands in)', async () => {
    const calls = serve();
    const names = await patientNames(['Patient/p1', 'Patient/p2', 'Patient/p1', undefined, 'Patient/p-x']);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /fhir/Patient?_id=p1,p2,p-x&_elements=name&_count=3',
    ]);
    expect([...names]).toEqual([
      ['p1', 'Nguyễn Thị Hoà'],
      ['p2', 'Trần Văn Bình'],
      ['p3', 'Lê Cúc'],
    ]);
    serve(() => json(403, { code: 'AUTH.FORBIDDEN', message: 'no' }));
    expect(await patientNames(['Patient/p1'])).toEqual(new Map());
  });
});

describe('insurance claims: the list (/station/claims)', { timeout: 30_000 }, () => {
  it('lists newest first: name, the visit end in Vietnam time, the status in words, reasons with fields', async () => {
    const calls = serve();
    render(<InsuranceClaims />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Hồ sơ BHYT');
    const table = await screen.findByRole('table');
    expect(calls.map((c) => c.url)).toEqual([
      '/claims',
      '/fhir/Patient?_id=p3,p1,p2,p-unreadable&_elements=name&_count=4',
    ]);
    const rows = rowsOf(table);
    expect(rows.map((r) => cell(r, 0))).toEqual([
      'Trần Văn Bình',
      'Nguyễn Thị Hoà',
      'Lê Cúc',
      'Nguyễn Thị Hoà',
      // a name that cannot be read: said so, with a short id — not a bare reference
      'Người bệnh (không hiện được tên, mã p-unread)',
    ]);
    expect(screen.getByRole('status').textContent).toBe('5 hồ sơ, lượt khám mới nhất trước.');
    const rej = within(rows[1]!);
    // 01:25 UTC is 08:25 in Vietnam.
    expect(rej.getByText('08:25 01/12/2026')).toBeTruthy();
    expect(rej.getByText('Bị từ chối')).toBeTruthy();
    const reasons = rej.getAllByRole('listitem').map((li) => li.textContent);
    expect(reasons).toEqual([
      'MA_BENH_CHINH không phù hợp với dịch vụ',
      'XML1.MA_THE_BHYT: Thẻ BHYT hết hạn',
    ]);
    const link = rej.getByRole('link', { name: /Nguyễn Thị Hoà/ });
    expect(link.getAttribute('href')).toBe('/station/claims/e-rej');
    expect(link.getAttribute('aria-label')).toBe(
      'Xem hồ sơ BHYT của Nguyễn Thị Hoà, khám lúc 08:25 01/12/2026',
    );
    expect(within(rows[0]!).getByText('Đã được chấp nhận')).toBeTruthy();
    expect(within(rows[2]!).getByText('Chưa kết nối cổng BHXH: hồ sơ đang chờ, chưa gửi.')).toBeTruthy();
    expect(within(rows[3]!).getByText('Cổng BHXH không trả lời sau 6 lần gửi.')).toBeTruthy();
    expect(within(rows[4]!).getByText('Chưa hợp lệ')).toBeTruthy();
    expect(within(rows[4]!).getByRole('listitem').textContent).toBe('XML1.NGAY_SINH: Thiếu ngày sinh');
    // One card per claim on a phone: each value labelled with its column.
    expect(table.closest('.stack-wrap')).toBeTruthy();
    expect(
      within(rows[0]!)
        .getAllByRole('cell')
        .map((c) => c.getAttribute('data-label')),
    ).toEqual(['Bệnh nhân', 'Kết thúc khám', 'Trạng thái', 'Lý do']);
    await act(() => i18next.changeLanguage('en'));
    expect(await screen.findByRole('heading', { name: 'Insurance claims' })).toBeTruthy();
    expect(within(rowsOf(screen.getByRole('table'))[1]!).getByText('Rejected')).toBeTruthy();
    expect(screen.getByText('XML1.MA_THE_BHYT').parentElement!.textContent).toBe(
      'XML1.MA_THE_BHYT: The BHYT card has expired',
    );
    expect(missingKeys).toEqual([]);
  });

  it('the filter shows needs attention / waiting / accepted with counts, kept in the address, without asking again', async () => {
    const calls = serve();
    render(<Routed />);
    await screen.findByRole('table');
    const group = screen.getByRole('group', { name: 'Hiện hồ sơ' });
    expect(
      within(group)
        .getAllByRole('radio')
        .map((r) => (r.parentElement as HTMLElement).textContent),
    ).toEqual(['Tất cả (5)', 'Cần xử lý (3)', 'Đang chờ gửi (1)', 'Đã được chấp nhận (1)']);
    const names = () => rowsOf(screen.getByRole('table')).map((r) => cell(r, 2));
    fireEvent.click(screen.getByRole('radio', { name: 'Cần xử lý (3)' }));
    await waitFor(() => expect(names()).toEqual(['✕ Bị từ chối', '! Gửi không được', '! Chưa hợp lệ']));
    expect(window.location.search).toBe('?show=attention');
    fireEvent.click(screen.getByRole('radio', { name: 'Đang chờ gửi (1)' }));
    await waitFor(() => expect(names()).toEqual(['… Chờ gửi']));
    fireEvent.click(screen.getByRole('radio', { name: 'Đã được chấp nhận (1)' }));
    await waitFor(() => expect(names()).toEqual(['✓ Đã được chấp nhận']));
    expect((screen.getByRole('radio', { name: 'Đã được chấp nhận (1)' }) as HTMLInputElement).checked).toBe(
      true,
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Tất cả (5)' }));
    await waitFor(() => expect(names()).toHaveLength(5));
    expect(window.location.search).toBe('');
    expect(calls.filter((c) => c.url === '/claims')).toHaveLength(1);
  });

  it('a group with nothing in it says so; an address with a filter opens on it', async () => {
    history.replaceState(null, '', '/station/claims?show=waiting');
    serve((c) => (c.url === '/claims' ? json(200, [accepted]) : undefined));
    render(<Routed />);
    expect(await screen.findByText('Không có hồ sơ nào trong mục này.')).toBeTruthy();
    expect((screen.getByRole('radio', { name: 'Đang chờ gửi (0)' }) as HTMLInputElement).checked).toBe(true);
  });

  it('no claims at all says so', async () => {
    serve((c) => (c.url === '/claims' ? json(200, []) : undefined));
    render(<InsuranceClaims />);
    expect(await screen.findByText('Chưa có hồ sơ BHYT nào.')).toBeTruthy();
  });

  it('a cut link: a clear message and a retry that works; the filter chosen is kept', async () => {
    offline = true;
    serve();
    history.replaceState(null, '', '/station/claims?show=attention');
    render(<Routed />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Không có kết nối mạng');
    offline = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Thử lại' }));
    const table = await screen.findByRole('table');
    expect(rowsOf(table)).toHaveLength(3);
    expect((screen.getByRole('radio', { name: 'Cần xử lý (3)' }) as HTMLInputElement).checked).toBe(true);
  });

  it('a server error on the list offers a retry; failed names leave short ids, said so', async () => {
    let fail = true;
    serve((c) => {
      if (c.url === '/claims' && fail) return json(500, { message: 'boom' });
      if (c.url.startsWith('/fhir/Patient')) return json(500, { message: 'boom' });
      return undefined;
    });
    render(<InsuranceClaims />);
    const retry = await screen.findByRole('button', { name: 'Thử lại' });
    expect(screen.getByRole('alert').textContent).toContain('Máy chủ đang gặp sự cố');
    fail = false;
    fireEvent.click(retry);
    const table = await screen.findByRole('table');
    expect(rowsOf(table).map((r) => cell(r, 0))).toEqual(
      ['p2', 'p1', 'p3', 'p1', 'p-unread'].map((id) => `Người bệnh (không hiện được tên, mã ${id})`),
    );
  });

  it('the station routes /station/claims and /station/claims/:id', async () => {
    serve((c) => (c.url === '/claims/e-rej' ? json(200, { ...rejected, submissions: [] }) : undefined));
    history.replaceState(null, '', '/station/claims');
    render(<Routed />);
    const link = await screen.findByRole('link', { name: /Nguyễn Thị Hoà, khám lúc 08:25/ });
    fireEvent.click(link);
    expect(await screen.findByRole('heading', { level: 1, name: 'Hồ sơ BHYT của lượt khám' })).toBeTruthy();
    expect(window.location.pathname).toBe('/station/claims/e-rej');
  });
});

const detail: ClaimDetail = {
  ...rejected,
  attempts: 1,
  checkIn: {
    status: 'accepted',
    attempts: 1,
    startedAt: '2026-12-01T01:05:00Z',
    reasons: [],
    transactionId: 'ci-7788',
    updatedAt: '2026-12-01T01:05:03Z',
  },
  submissions: [
    {
      attempt: 1,
      sentAt: '2026-12-01T01:26:00Z',
      outcome: 'rejected',
      envelopeSha256: 'a'.repeat(64),
      httpStatus: 200,
      answeredAt: '2026-12-01T01:26:01Z',
      transactionId: 'gd-1234',
      message: 'MA_BENH_CHINH không phù hợp với dịch vụ; Thẻ BHYT hết hạn',
    },
  ],
};
const BEFORE_DEADLINE = () => new Date('2026-12-05T03:00:00Z');

describe('insurance claims: one claim (/station/claims/:encounterId)', { timeout: 30_000 }, () => {
  const open = (now = BEFORE_DEADLINE, pollMs = 20) =>
    render(<InsuranceClaim encounterId="e-rej" now={now} pollMs={pollMs} />);

  it('shows the status, reasons, check-in, every submission and the correction deadline', async () => {
    const calls = serve((c) => (c.url === '/claims/e-rej' ? json(200, detail) : undefined));
    open();
    expect(await screen.findByText('Nguyễn Thị Hoà')).toBeTruthy();
    expect(calls.map((c) => c.url)).toEqual([
      '/claims/e-rej',
      '/fhir/Patient?_id=p1&_elements=name&_count=1',
    ]);
    const facts = (label: string) => screen.getAllByText(`${label}:`)[0]!.parentElement!.textContent;
    expect(facts('Kết thúc khám')).toBe('Kết thúc khám: 08:25 01/12/2026');
    expect(facts('Mã liên kết (MA_LK)')).toBe('Mã liên kết (MA_LK): e-rej');
    expect(facts('Hạn điều chỉnh, gửi lại')).toBe('Hạn điều chỉnh, gửi lại: 23:59 10/12/2026');
    expect(screen.getAllByText('Bị từ chối').length).toBeGreaterThan(0);
    expect(screen.getByText('XML1.MA_THE_BHYT').parentElement!.textContent).toBe(
      'XML1.MA_THE_BHYT: Thẻ BHYT hết hạn',
    );
    const ci = screen.getByRole('region', { name: 'Check-in khi bắt đầu khám (XML0)' });
    expect(within(ci).getByText('Đã được chấp nhận')).toBeTruthy();
    expect(within(ci).getByText('ci-7788')).toBeTruthy();
    expect(within(ci).getByText('08:05 01/12/2026')).toBeTruthy();
    const subs = screen.getByRole('table');
    const row = rowsOf(subs)[0]!;
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual([
      'Lần1',
      'Gửi lúc08:26 01/12/2026',
      'Kết quảBị từ chối',
      'Mã giao dịchgd-1234',
      'Thông điệpMA_BENH_CHINH không phù hợp với dịch vụ; Thẻ BHYT hết hạn',
    ]);
    expect(screen.getByRole('button', { name: 'Gửi lại' })).toBeTruthy();
    await act(() => i18next.changeLanguage('en'));
    expect(await screen.findByRole('heading', { name: 'Insurance claim of a visit' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Resend' })).toBeTruthy();
    expect(within(rowsOf(screen.getByRole('table'))[0]!).getByText('Rejected')).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('a visit without a check-in, a check-in not applicable (uninsured), and no submission yet', async () => {
    serve((c) =>
      c.url === '/claims/e-rej'
        ? json(200, { ...detail, status: 'invalid', submissions: [], checkIn: undefined })
        : undefined,
    );
    open();
    expect(await screen.findByText('Lượt khám này không có check-in.')).toBeTruthy();
    expect(screen.getByText('Chưa gửi lần nào.')).toBeTruthy();
    cleanup();
    serve((c) =>
      c.url === '/claims/e-rej'
        ? json(200, {
            ...detail,
            checkIn: { ...detail.checkIn, status: 'not-applicable', note: 'uninsured: no check-in' },
          })
        : undefined,
    );
    open();
    expect(await screen.findByText('Không áp dụng: người bệnh khám không dùng thẻ BHYT.')).toBeTruthy();
    expect(document.body.textContent).not.toContain('uninsured');
  });

  it('no resend while the claim waits or is being sent, nor after the deadline', async () => {
    serve((c) => (c.url === '/claims/e-rej' ? json(200, { ...detail, status: 'sending' }) : undefined));
    open(BEFORE_DEADLINE, 60_000);
    expect(
      await screen.findByText('Hồ sơ đang chờ gửi hoặc đang gửi; trang tự cập nhật kết quả.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Gửi lại' })).toBeNull();
    cleanup();
    serve((c) => (c.url === '/claims/e-rej' ? json(200, detail) : undefined));
    open(() => new Date('2026-12-10T17:00:00Z'));
    expect(await screen.findByText('Đã quá hạn điều chỉnh: hồ sơ này không gửi lại được nữa.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Gửi lại' })).toBeNull();
  });

  it('resend: 202 → "queued", read again until the gateway has answered (accepted)', async () => {
    let state: 'rejected' | 'queued' | 'accepted' = 'rejected';
    let reads = 0;
    const calls = serve((c) => {
      if (c.url === '/claims/e-rej/resend' && c.method === 'POST') {
        state = 'queued';
        return json(202, { ...rejected, status: 'queued', reasons: [] });
      }
      if (c.url === '/claims/e-rej') {
        if (state === 'queued' && ++reads >= 2) state = 'accepted';
        const submissions =
          state === 'accepted'
            ? [
                ...detail.submissions,
                {
                  ...detail.submissions[0]!,
                  attempt: 2,
                  outcome: 'accepted',
                  transactionId: 'gd-5678',
                  message: undefined,
                },
              ]
            : detail.submissions;
        return json(200, {
          ...detail,
          status: state,
          reasons: state === 'rejected' ? detail.reasons : [],
          submissions,
        });
      }
      return undefined;
    });
    open();
    fireEvent.click(await screen.findByRole('button', { name: 'Gửi lại' }));
    expect(
      await screen.findByText('Đã xếp hồ sơ vào hàng chờ gửi lại. Trang sẽ tự cập nhật kết quả.'),
    ).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/claims/e-rej/resend']);
    await waitFor(() => expect(screen.getByText('gd-5678')).toBeTruthy());
    expect(screen.getAllByText('Đã được chấp nhận').length).toBeGreaterThan(0);
    expect(screen.queryByText('Đã xếp hồ sơ vào hàng chờ gửi lại. Trang sẽ tự cập nhật kết quả.')).toBeNull();
    expect(rowsOf(screen.getByRole('table'))).toHaveLength(2);
  });

  it.each([
    [
      'CLAIMS.WINDOW_CLOSED',
      409,
      'Đã quá thời hạn điều chỉnh hồ sơ BHYT của lượt khám này nên không gửi lại được nữa.',
    ],
    ['CLAIMS.IN_PROGRESS', 409, 'Hồ sơ đang chờ gửi hoặc đang được gửi. Hãy đợi có kết quả rồi mới gửi lại.'],
    ['CLAIMS.STAFF_ONLY', 403, 'Chỉ nhân viên của cơ sở khám được gửi lại hồ sơ BHYT.'],
    ['CLAIMS.NOT_FOUND', 404, 'Không có hồ sơ BHYT của lượt khám này, hoặc bạn không được xem hồ sơ này.'],
  ])(
    'resend refused with %s (%i): the portal’s own sentence, the claim still shown',
    async (code, status, said) => {
      serve((c) =>
        c.url === '/claims/e-rej/resend'
          ? coded(status, code, 'English text / Câu tiếng Việt của máy chủ')
          : c.url === '/claims/e-rej'
            ? json(200, detail)
            : undefined,
      );
      open();
      fireEvent.click(await screen.findByRole('button', { name: 'Gửi lại' }));
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toBe(said);
      expect(screen.getByText('gd-1234')).toBeTruthy();
      await act(() => i18next.changeLanguage('en'));
      expect(screen.getByRole('alert').textContent).not.toBe(said);
      expect(screen.getByRole('alert').textContent).not.toContain('English text');
      expect(missingKeys).toEqual([]);
    },
  );

  it('a resend on a cut link says so; the button is still there and works once the link is back', async () => {
    let status = 'rejected';
    const calls = serve((c) => {
      if (c.url === '/claims/e-rej/resend') {
        status = 'queued';
        return json(202, { ...rejected, status });
      }
      return c.url === '/claims/e-rej' ? json(200, { ...detail, status }) : undefined;
    });
    open(BEFORE_DEADLINE, 60_000);
    const button = await screen.findByRole('button', { name: 'Gửi lại' });
    offline = true;
    fireEvent.click(button);
    expect((await screen.findAllByRole('alert')).map((a) => a.textContent).join(' ')).toContain(
      'Không có kết nối mạng',
    );
    expect(screen.getByText('gd-1234')).toBeTruthy();
    offline = false;
    fireEvent.click(screen.getByRole('button', { name: 'Gửi lại' }));
    expect(
      await screen.findByText('Đã xếp hồ sơ vào hàng chờ gửi lại. Trang sẽ tự cập nhật kết quả.'),
    ).toBeTruthy();
    // The first never left the device; the second did.
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('a failed read: a message and a retry; a failed reload keeps what was shown', async () => {
    offline = true;
    serve((c) => (c.url === '/claims/e-rej' ? json(200, detail) : undefined));
    open();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Không có kết nối mạng');
    offline = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Thử lại' }));
    expect(await screen.findByText('gd-1234')).toBeTruthy();
    offline = true;
    fireEvent.click(screen.getByRole('button', { name: 'Tải lại trạng thái' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Không có kết nối mạng');
    expect(screen.getByText('gd-1234')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Gửi lại' })).toBeTruthy();
  });

  it('an unknown claim says so in the portal’s words', async () => {
    serve((c) =>
      c.url === '/claims/e-rej' ? coded(404, 'CLAIMS.NOT_FOUND', 'No claim / Không có hồ sơ') : undefined,
    );
    open();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Không có hồ sơ BHYT của lượt khám này, hoặc bạn không được xem hồ sơ này.',
    );
  });
});
