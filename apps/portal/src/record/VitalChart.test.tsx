import { cleanup, render, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { axisTicks, VitalChart } from './VitalChart';
import type { VitalSeries } from './vitals';

beforeEach(() => {
  missingKeys.length = 0;
});
afterEach(async () => {
  cleanup();
  await i18next.changeLanguage('vi');
});

const bp: VitalSeries = {
  key: 'bloodPressure',
  unit: 'mm[Hg]',
  digits: 0,
  points: [
    { date: '2026-01-05T02:00:00Z', values: [150, 95] },
    { date: '2026-02-10T02:00:00Z', values: [140, 90] },
    { date: '2026-03-20T02:00:00Z', values: [128, 82] },
  ],
};

describe('VitalChart (issue 18 item 17)', () => {
  it('writes dated x-axis labels at a readable size and the values as a table for screen readers', () => {
    const { container } = render(<VitalChart series={bp} />);
    const svg = container.querySelector('svg')!;
    const texts = [...svg.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(['05/01/2026', '10/02/2026', '20/03/2026']));
    // Every label at 13 viewBox units: ≥ 12 px on a 360 px phone (the chart is ~300 px wide there).
    for (const el of svg.querySelectorAll('text, g[font-size]')) {
      const size = el.getAttribute('font-size');
      if (size) expect(Number(size)).toBeGreaterThanOrEqual(13);
    }
    const table = within(container).getByRole('table', { name: 'Các lần đo Huyết áp' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Thời điểm đo', 'Tâm thu (mmHg)', 'Tâm trương (mmHg)']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      '09:00 05/01/202615095',
      '09:00 10/02/202614090',
      '09:00 20/03/202612882',
    ]);
    expect(missingKeys).toEqual([]);
  });

  it('in English too', async () => {
    await i18next.changeLanguage('en');
    const { container } = render(
      <VitalChart
        series={{
          ...bp,
          key: 'heartRate',
          unit: '/min',
          points: bp.points.map((p) => ({ ...p, values: [p.values[0]! - 70] })),
        }}
      />,
    );
    const table = within(container).getByRole('table', { name: 'Heart rate measurements' });
    expect(within(table).getAllByRole('columnheader')[0]!.textContent).toBe('Measured at');
    expect(missingKeys).toEqual([]);
  });

  it('never puts two date labels over each other', () => {
    expect(axisTicks([{ x: 50, date: 'a' }])).toEqual([{ x: 50, date: 'a' }]);
    expect(
      axisTicks([
        { x: 50, date: 'a' },
        { x: 100, date: 'b' },
      ]).map((p) => p.date),
    ).toEqual(['a']);
    expect(
      axisTicks([
        { x: 46, date: 'a' },
        { x: 60, date: 'b' },
        { x: 308, date: 'c' },
      ]).map((p) => p.date),
    ).toEqual(['a', 'c']);
    expect(
      axisTicks([
        { x: 46, date: 'a' },
        { x: 170, date: 'b' },
        { x: 308, date: 'c' },
      ]).map((p) => p.date),
    ).toEqual(['a', 'b', 'c']);
  });
});
