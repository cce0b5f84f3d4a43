import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import type { Claims } from '../shell/session-store';
import { CCCD_SYSTEM } from './identifiers';
import { STATION_MESSAGES } from './messages';
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
        body: init.body ? (JSON.parse(String(init.body)) as unknown) : undefined,
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
  it('searches a CCCD by identifier and lists name, dd/mm/yyyy birth date, sex and masked CCCD', async () => {
    const calls = server((c) =>
      c.url.startsWith('/fhir/Patient?') ? json(200, bundle([patient])) : undefined,
    );
    render(<StationArea path="/station?q=079090012345" claims={claims} />);
    const link = await screen.findByRole('link', { name: 'Nguyễn Văn An' });
    expect(link.getAttribute('href')).toBe('/station/patient/p1');
    expect(calls[0]?.url).toBe(
      `/fhir/Patient?identifier=${encodeURIComponent(`${CCCD_SYSTEM}|079090012345`)}&_count=20`,
    );
    expect(screen.getByText('01/05/1990')).toBeTruthy();
    expect(screen.getByText('Nam')).toBeTruthy();
    expect(screen.getByText('••••••••2345')).toBeTruthy();
    expect(document.body.textContent).not.toContain('079090012345'.slice(0, 8) + '2345');
  });

  it('searches names as typed (the server ignores accents) and says when nothing matches', async () => {
    const calls = server(() => undefined);
    render(<StationArea path="/station?q=nguyen%20van%20an" claims={claims} />);
    expect(await screen.findByText('Không tìm thấy bệnh nhân nào.')).toBeTruthy();
    expect(calls[0]?.url).toBe('/fhir/Patient?name=nguyen+van+an&_count=20');
  });

  it('shows what the search box detected, and submits into the address', () => {
    server(() => undefined);
    history.replaceState(null, '', '/station');
    render(<StationArea path="/station" claims={claims} />);
    const box = screen.getByLabelText('Họ tên, số CCCD, số thẻ BHYT hoặc số điện thoại');
    fireEvent.change(box, { target: { value: '0912 345 678' } });
    expect(screen.getByRole('option', { name: 'Tự nhận biết (Số điện thoại)' })).toBeTruthy();
    fireEvent.submit(box.closest('form') as HTMLFormElement);
    expect(window.location.search).toBe('?q=0912+345+678');
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
      render(<StationArea path="/station?q=an" claims={claims} />);
      await screen.findAllByRole('status');
      cleanup();
    }
    expect(missingKeys.filter((k) => k.startsWith('station:'))).toEqual([]);
  });
});
