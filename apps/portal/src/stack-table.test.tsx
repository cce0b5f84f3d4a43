import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { missingKeys } from './i18n';
import { StackCell, StackRow, StackTable } from './stack-table';

afterEach(cleanup);

describe('StackTable: a table on a wide screen, cards on a phone, a table to a screen reader at both', () => {
  it('keeps explicit table roles and labels each value with its column', () => {
    missingKeys.length = 0;
    render(
      <StackTable columns={['Thời gian', 'Người xem']} caption="Ai đã xem" testId="t">
        <StackRow>
          <StackCell label="Thời gian">09:00 01/12/2026</StackCell>
          <StackCell label="Người xem">Trần Minh</StackCell>
        </StackRow>
      </StackTable>,
    );
    const table = screen.getByRole('table', { name: 'Ai đã xem' });
    expect(table.className).toBe('stack-table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Thời gian', 'Người xem']);
    const cells = within(table).getAllByRole('cell');
    expect(cells.map((c) => c.getAttribute('data-label'))).toEqual(['Thời gian', 'Người xem']);
    // The card's label is for the eye only: the column header already names the cell.
    const label = cells[1]!.querySelector('.stack-label')!;
    expect(label.getAttribute('aria-hidden')).toBe('true');
    expect(label.textContent).toBe('Người xem');
    expect(cells[1]!.querySelector('.stack-value')!.textContent).toBe('Trần Minh');
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(missingKeys).toEqual([]);
  });
});
