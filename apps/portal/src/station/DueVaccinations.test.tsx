import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { currentMonth, type DueEntry, dueRows, notCountedRows } from './due-vaccinations';
import { DueVaccinations } from './DueVaccinations';

const entries: DueEntry[] = [
  {
    patient: { id: 'c1', name: 'Nguyễn Bé Na', birthDate: '2025-03-01' },
    antigen: 'DTP-HEPB-HIB',
    dose: 2,
    status: 'overdue',
    due: '2025-06-01',
    overdue: '2025-07-01',
    earliest: '2025-05-01',
  },
  {
    patient: { id: 'c2', name: 'Trần Bé Bi', birthDate: '2025-12-20' },
    antigen: 'XYZ',
    antigenName: { vi: 'Vắc xin thử', en: 'Test vaccine' },
    dose: 1,
    status: 'upcoming',
    due: '2026-02-25',
    overdue: '2026-03-25',
    earliest: '2026-02-20',
  },
  {
    patient: { id: 'c3', name: 'Lê Bé Ba', birthDate: '2025-11-02' },
    antigen: 'NEW-CODE',
    dose: 1,
    status: 'due',
    due: '2026-02-02',
    overdue: '2026-03-02',
    earliest: '2026-02-02',
  },
];

let urls: string[];
let answer: () => Response;
beforeEach(() => {
  urls = [];
  missingKeys.length = 0;
  answer = () => new Response(JSON.stringify(entries), { status: 200 });
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string) => {
      urls.push(url);
      return Promise.resolve(answer());
    }),
  );
});
afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('vi');
});

describe('due vaccinations', { timeout: 30_000 }, () => {
  it('this month is taken in Asia/Ho_Chi_Minh', () => {
    // 31 Jan 2026 20:00 UTC is already 1 Feb 2026 in Vietnam.
    expect(currentMonth(new Date('2026-01-31T20:00:00Z'))).toBe('2026-02');
    expect(currentMonth(new Date('2026-01-31T16:59:00Z'))).toBe('2026-01');
  });

  it('maps the rows: link, dd/mm/yyyy dates, the vaccine by name or code', () => {
    const known = (code: string) => (code === 'DTP-HEPB-HIB' ? '5 trong 1' : undefined);
    const rows = dueRows(entries, 'vi', known);
    expect(rows[0]).toMatchObject({
      href: '/station/patient/c1',
      name: 'Nguyễn Bé Na',
      birthDate: '01/03/2025',
      vaccine: '5 trong 1',
      dose: 2,
      due: '01/06/2025',
      overdueFrom: '01/07/2025',
      status: 'overdue',
    });
    expect(rows[1]?.vaccine).toBe('Vắc xin thử');
    expect(dueRows(entries, 'en')[1]?.vaccine).toBe('Test vaccine');
    expect(rows[2]?.vaccine).toBe('NEW-CODE');
  });

  it('asks for this month by default, shows the table, and another month on change', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-31T20:00:00Z'));
    render(<DueVaccinations />);
    const table = await screen.findByRole('table');
    expect(urls[0]).toBe('/care/immunizations/due?month=2026-02');
    expect((screen.getByLabelText('Tháng') as HTMLInputElement).value).toBe('2026-02');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    const first = within(rows[1] as HTMLElement);
    expect(first.getByRole('link', { name: 'Nguyễn Bé Na' }).getAttribute('href')).toBe(
      '/station/patient/c1',
    );
    expect(first.getByText('01/03/2025')).toBeTruthy();
    expect(first.getByText(/5 trong 1/)).toBeTruthy();
    expect(first.getByText('Mũi 2')).toBeTruthy();
    expect(first.getByText('Quá hạn')).toBeTruthy();
    expect(within(rows[2] as HTMLElement).getByText('Sắp đến hạn')).toBeTruthy();
    expect(within(rows[3] as HTMLElement).getByText('Đến hạn')).toBeTruthy();
    // One card per child on a phone (issue 18 item 12): each value labelled with its column.
    expect(table.closest('.stack-wrap')).toBeTruthy();
    expect(
      within(rows[1] as HTMLElement)
        .getAllByRole('cell')
        .map((c) => c.getAttribute('data-label')),
    ).toEqual(['Trẻ', 'Ngày sinh', 'Vắc xin', 'Mũi', 'Ngày đến hạn', 'Trạng thái']);

    fireEvent.change(screen.getByLabelText('Tháng'), { target: { value: '2026-03' } });
    await waitFor(() => expect(urls.at(-1)).toBe('/care/immunizations/due?month=2026-03'));
    await act(() => i18next.changeLanguage('en'));
    expect(await screen.findByText('Overdue')).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('doses the server could not count are listed once per child, never dropped (vi and en)', async () => {
    const unknown = {
      reference: 'Immunization/u1',
      code: 'urn:x-vn-vaccine-product|QUINVAXEM',
      date: '2026-01-10',
      why: 'vaccine code urn:x-vn-vaccine-product|QUINVAXEM is unknown',
    };
    const withUnknown: DueEntry[] = [
      { ...entries[0]!, patient: entries[2]!.patient, notCounted: [unknown] },
      { ...entries[2]!, notCounted: [unknown] },
      { ...entries[1]!, notCounted: [] },
    ];
    expect(notCountedRows(withUnknown, 'vi')).toEqual([
      {
        key: 'c3|Immunization/u1',
        patientId: 'c3',
        href: '/station/patient/c3',
        name: 'Lê Bé Ba',
        date: '10/01/2026',
        code: 'urn:x-vn-vaccine-product|QUINVAXEM',
        why: unknown.why,
      },
    ]);
    answer = () => new Response(JSON.stringify(withUnknown), { status: 200 });
    render(<DueVaccinations initialMonth="2026-02" />);
    const section = await screen.findByRole('region', { name: 'Mũi tiêm chưa được tính vào lịch' });
    const items = within(section).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toBe(
      'Lê Bé Ba: mũi tiêm ngày 10/01/2026, mã vắc xin urn:x-vn-vaccine-product|QUINVAXEM',
    );
    expect(within(section).getByRole('link', { name: 'Lê Bé Ba' }).getAttribute('href')).toBe(
      '/station/patient/c3',
    );
    await act(() => i18next.changeLanguage('en'));
    const en = await screen.findByRole('region', { name: 'Doses not counted in the schedule' });
    expect(within(en).getAllByRole('listitem')[0]!.textContent).toBe(
      'Lê Bé Ba: dose of 10/01/2026, vaccine code urn:x-vn-vaccine-product|QUINVAXEM',
    );
    expect(missingKeys).toEqual([]);
  });

  it('a failure offers a retry', async () => {
    answer = () => new Response('{}', { status: 500 });
    render(<DueVaccinations initialMonth="2026-02" />);
    const retry = await screen.findByRole('button', { name: 'Thử lại' });
    answer = () => new Response('[]', { status: 200 });
    fireEvent.click(retry);
    expect(await screen.findByText('Không có trẻ nào đến hạn tiêm trong tháng này.')).toBeTruthy();
  });
});
