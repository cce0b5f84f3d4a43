import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import type { Claims } from '../shell/session-store';
import { BHYT_SYSTEM, CCCD_SYSTEM } from './identifiers';
import { STATION_MESSAGES } from './messages';
import { forgetSearch } from './search-memory';
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
const bundle = (resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
});
const patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ family: 'Nguyễn', given: ['Văn', 'An'], text: 'Nguyễn Văn An' }],
  birthDate: '1990-05-01',
  gender: 'male',
  identifier: [{ system: CCCD_SYSTEM, value: '079090012345' }],
};

type Call = { url: string; method: string; body?: unknown; headers: Headers };
function server(routes: (c: Call) => Response | undefined) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const c: Call = {
        url,
        method: init.method ?? 'GET',
        body:
          init.body instanceof URLSearchParams
            ? Object.fromEntries(init.body)
            : init.body
              ? (JSON.parse(String(init.body)) as unknown)
              : undefined,
        headers: new Headers(init.headers),
      };
      calls.push(c);
      return routes(c) ?? json(200, bundle([]));
    }),
  );
  return calls;
}

function keysOf(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keysOf(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

beforeEach(async () => {
  await i18next.changeLanguage('vi');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('station messages', () => {
  it('Vietnamese and English have the same keys, none empty', () => {
    expect(keysOf(STATION_MESSAGES.en).sort()).toEqual(keysOf(STATION_MESSAGES.vi).sort());
    for (const lang of [STATION_MESSAGES.vi, STATION_MESSAGES.en])
      expect(JSON.stringify(lang)).not.toMatch(/:""/);
  });
});

describe('patient search', () => {
  const searches = (calls: Call[]) => calls.filter((c) => c.url.startsWith('/fhir/Patient'));
  const box = () => screen.getByLabelText('Họ tên, số CCCD, số thẻ BHYT hoặc số điện thoại');
  const search = (text: string) => {
    fireEvent.change(box(), { target: { value: text } });
    fireEvent.submit(box().closest('form') as HTMLFormElement);
  };
  beforeEach(() => {
    forgetSearch();
    history.replaceState(null, '', '/station');
    sessionStorage.setItem(
      'mekong.accessToken',
      `e30.${btoa(JSON.stringify({ sub: 'u1', exp: 9999999999 }))}.x`,
    );
  });
  afterEach(() => {
    sessionStorage.clear();
  });

  it('searches a CCCD by POST, keeps it out of the address, and lists name, dd/mm/yyyy birth date, sex and masked CCCD', async () => {
    const calls = server((c) =>
      c.url === '/fhir/Patient/_search' && c.method === 'POST' ? json(200, bundle([patient])) : undefined,
    );
    render(<StationArea path="/station" claims={claims} />);
    search('079090012345');
    const link = await screen.findByRole('link', { name: 'Nguyễn Văn An' });
    expect(link.getAttribute('href')).toBe('/station/patient/p1');
    expect(searches(calls)).toEqual([
      expect.objectContaining({
        url: '/fhir/Patient/_search',
        method: 'POST',
        body: { identifier: `${CCCD_SYSTEM}|079090012345`, _count: '20' },
      }),
    ]);
    expect(window.location.href).not.toContain('079090012345');
    expect(screen.getByText('01/05/1990')).toBeTruthy();
    expect(screen.getByText('Nam')).toBeTruthy();
    expect(screen.getByText('••••••••2345')).toBeTruthy();
    expect(document.body.textContent).not.toContain('079090012345'.slice(0, 8) + '2345');
  });

  it.each([
    ['nguyen van an', { name: 'nguyen van an' }],
    ['DN4920123456789', { identifier: `${BHYT_SYSTEM}|DN4920123456789` }],
    ['0912 345 678', { phone: '0912345678,+84912345678,0912 345 678' }],
  ])(
    'searches "%s" by POST (names as typed: the server ignores accents), and says when nothing matches',
    async (text, criteria) => {
      const calls = server(() => undefined);
      render(<StationArea path="/station" claims={claims} />);
      search(text);
      expect(await screen.findByText('Không tìm thấy bệnh nhân nào.')).toBeTruthy();
      expect(searches(calls).map((c) => [c.method, c.url, c.body])).toEqual([
        ['POST', '/fhir/Patient/_search', { ...criteria, _count: '20' }],
      ]);
      expect(window.location.pathname + window.location.search).toBe('/station');
    },
  );

  it('shows what the search box detected; the chosen kind is sent', async () => {
    const calls = server(() => undefined);
    render(<StationArea path="/station" claims={claims} />);
    fireEvent.change(box(), { target: { value: '0912 345 678' } });
    expect(screen.getByRole('option', { name: 'Tự nhận biết (Số điện thoại)' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Tìm theo'), { target: { value: 'name' } });
    fireEvent.submit(box().closest('form') as HTMLFormElement);
    await screen.findByText('Không tìm thấy bệnh nhân nào.');
    expect(searches(calls)[0]?.body).toEqual({ name: '0912 345 678', _count: '20' });
    expect(window.location.search).toBe('');
  });

  it('shows the last results again when the user comes back (from memory, not the address)', async () => {
    server((c) => (c.url === '/fhir/Patient/_search' ? json(200, bundle([patient])) : undefined));
    render(<StationArea path="/station" claims={claims} />);
    search('079090012345');
    await screen.findByRole('link', { name: 'Nguyễn Văn An' });
    cleanup();
    render(<StationArea path="/station" claims={claims} />);
    expect(await screen.findByRole('link', { name: 'Nguyễn Văn An' })).toBeTruthy();
    expect((box() as HTMLInputElement).value).toBe('079090012345');
  });

  it('an old address with the search in it is searched by POST and cleaned', async () => {
    history.replaceState(null, '', '/station?q=079090012345&by=cccd');
    const calls = server(() => undefined);
    render(<StationArea path="/station?q=079090012345&by=cccd" claims={claims} />);
    await screen.findByText('Không tìm thấy bệnh nhân nào.');
    expect(window.location.pathname + window.location.search).toBe('/station');
    expect(searches(calls).map((c) => [c.method, c.url])).toEqual([['POST', '/fhir/Patient/_search']]);
  });
});

describe('the patient page', () => {
  const routes = (c: Call) => {
    if (c.url === '/fhir/Patient/p1') return json(200, patient);
    if (c.url.startsWith('/fhir/Appointment?'))
      return json(
        200,
        bundle([
          {
            resourceType: 'Appointment',
            id: 'a1',
            status: 'booked',
            start: '2030-01-02T02:00:00Z',
            participant: [{ actor: { reference: 'Practitioner/d1', display: 'BS. Lê Văn Minh' } }],
          },
        ]),
      );
    if (c.url === '/fhir' && c.method === 'POST')
      return json(200, { resourceType: 'Bundle', type: 'transaction-response' });
    if (c.url === '/fhir/Consent' && c.method === 'POST')
      return json(201, { ...(c.body as object), id: 'c1' });
    return undefined;
  };

  it('shows the header, the record link and upcoming visits to join', async () => {
    server(routes);
    render(<StationArea path="/station/patient/p1" claims={claims} />);
    expect(await screen.findByRole('heading', { level: 1, name: /Nguyễn Văn An/ })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Xem hồ sơ sức khỏe' }).getAttribute('href')).toBe('/record/p1');
    const join = await screen.findByRole('link', { name: 'Vào phòng khám' });
    expect(join.getAttribute('href')).toBe('/visit/a1');
    expect(screen.getByText('Với BS. Lê Văn Minh')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Hiện số CCCD' }));
    expect(screen.getByText('079090012345')).toBeTruthy();
  });

  it('refuses implausible vitals, then records valid ones in one transaction', async () => {
    const calls = server(routes);
    render(<StationArea path="/station/patient/p1" claims={claims} />);
    const temp = await screen.findByLabelText('Nhiệt độ (°C)');
    fireEvent.change(temp, { target: { value: '365' } });
    expect(temp.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('vit-temperature-error')?.textContent).toBe(
      'Giá trị không hợp lý: phải từ 30 đến 43.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Lưu sinh hiệu' }));
    expect(calls.some((c) => c.url === '/fhir' && c.method === 'POST')).toBe(false);
    fireEvent.change(temp, { target: { value: '36,5' } });
    fireEvent.change(screen.getByLabelText('Tâm thu'), { target: { value: '130' } });
    fireEvent.change(screen.getByLabelText('Tâm trương'), { target: { value: '85' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Lưu sinh hiệu' }));
    });
    const post = calls.find((c) => c.url === '/fhir' && c.method === 'POST');
    const sent = post?.body as {
      type: string;
      entry: { resource: { code: { coding: { code: string }[] } } }[];
    };
    expect(sent.type).toBe('transaction');
    expect(sent.entry.map((e) => e.resource.code.coding[0]?.code)).toEqual(['8310-5', '85354-9']);
    expect(await screen.findByText('Đã lưu 2 chỉ số sinh hiệu vào hồ sơ.')).toBeTruthy();
  });

  it("records the patient's consent before booking on their behalf", async () => {
    const calls = server(routes);
    render(<StationArea path="/station/patient/p1" claims={claims} />);
    const record = await screen.findByRole('button', { name: 'Ghi nhận sự đồng ý' });
    fireEvent.click(record);
    expect(await screen.findByText('Hãy đánh dấu ô đồng ý sau khi đã hỏi bệnh nhân.')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Bệnh nhân đồng ý để trạm y tế đặt lịch khám thay'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Ghi nhận sự đồng ý' }));
    });
    const post = calls.find((c) => c.url === '/fhir/Consent' && c.method === 'POST');
    expect(post?.body).toMatchObject({
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }],
      },
      patient: { reference: 'Patient/p1' },
    });
    await waitFor(() => expect(screen.getByText(/Bệnh nhân đã đồng ý cho đặt lịch thay/)).toBeTruthy());
  });

  it('every visible string is translated, in both languages', async () => {
    for (const lang of ['vi', 'en']) {
      await i18next.changeLanguage(lang);
      server(routes);
      render(<StationArea path="/station/patient/p1" claims={claims} />);
      await screen.findAllByRole('heading', { level: 1 });
      await screen.findAllByRole('link', { name: lang === 'vi' ? 'Vào phòng khám' : 'Join visit' });
      cleanup();
      render(<StationArea path="/station/register" claims={claims} />);
      cleanup();
      render(<StationArea path="/station" claims={claims} />);
      fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'an' } });
      fireEvent.submit(screen.getByRole('search'));
      await screen.findAllByRole('status');
      cleanup();
    }
    expect(missingKeys.filter((k) => k.startsWith('station:'))).toEqual([]);
  });
});
