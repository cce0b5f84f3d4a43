import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fillDiagnosis } from './DoctorSidePanel';
import { fold, ICD10, searchIcd10 } from './icd10';
import { Icd10Combobox } from './Icd10Combobox';

afterEach(cleanup);

describe('ICD-10 search', () => {
  it('holds about 150 curated codes, each valid for the visit form and unique', () => {
    expect(ICD10.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ICD10.map((c) => c.code)).size).toBe(ICD10.length);
    for (const c of ICD10) {
      expect(c.code).toMatch(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/);
      expect(c.vi && c.en).toBeTruthy();
    }
  });

  it('ignores accents and đ: "tang huyet ap" finds Tăng huyết áp (I10) first', () => {
    expect(fold('Đái Tháo  Đường')).toBe('dai thao duong');
    expect(searchIcd10('tang huyet ap')[0]?.code).toBe('I10');
    expect(searchIcd10('TĂNG HUYẾT ÁP')[0]?.code).toBe('I10');
    expect(searchIcd10('dai thao duong').map((c) => c.code)).toEqual(expect.arrayContaining(['E10', 'E11']));
    expect(searchIcd10('sot xuat huyet')[0]?.code).toBe('A91');
  });

  it('matches codes and English names, every word anywhere', () => {
    expect(searchIcd10('j18')[0]?.code).toBe('J18.9');
    expect(
      searchIcd10('I1')
        .map((c) => c.code)
        .slice(0, 2),
    ).toEqual(['I10', 'I11.9']);
    expect(searchIcd10('dengue').map((c) => c.code)).toEqual(expect.arrayContaining(['A90', 'A91']));
    expect(searchIcd10('pneumonia viral').map((c) => c.code)).toEqual(['J12.9']);
    expect(searchIcd10('   ')).toEqual([]);
    expect(searchIcd10('zzzz')).toEqual([]);
  });
});

describe('ICD-10 combobox', () => {
  it('is keyboard operable: type, arrow down/up, Enter chooses without submitting the form', () => {
    const onSelect = vi.fn();
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    render(
      <form onSubmit={onSubmit}>
        <Icd10Combobox onSelect={onSelect} />
      </form>,
    );
    const input = screen.getByRole('combobox', { name: 'Tìm mã ICD-10 (tên bệnh hoặc mã)' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    fireEvent.change(input, { target: { value: 'viem phoi' } });
    expect(input.getAttribute('aria-expanded')).toBe('true');
    const options = screen.getAllByRole('option');
    expect(options.length).toBeGreaterThanOrEqual(3);
    expect(options.every((o) => /Viêm phổi/.test(o.textContent ?? ''))).toBe(true);

    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    const first = screen.getAllByRole('option')[0]!;
    expect(first.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(first.id);
    // Up from the first wraps to the last.
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    const all = screen.getAllByRole('option');
    expect(all[all.length - 1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowDown' });

    fireEvent.keyDown(input, { key: 'Enter' });
    const chosen = searchIcd10('viem phoi')[0]!;
    expect(onSelect).toHaveBeenCalledWith(chosen);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect((input as HTMLInputElement).value).toBe(`${chosen.code} ${chosen.vi}`);
  });

  it('Escape closes the list; a click chooses', () => {
    const onSelect = vi.fn();
    render(<Icd10Combobox onSelect={onSelect} />);
    const input = screen.getByRole('combobox');
    fireEvent.change(input, { target: { value: 'sot dengue' } });
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-expanded')).toBe('true');
    fireEvent.mouseDown(screen.getByRole('option', { name: /A90/ }));
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ code: 'A90', vi: 'Sốt Dengue' }));
  });

  it('fills the visit form inputs, controlled or not', () => {
    function Form() {
      const [name, setName] = useState('');
      return (
        <form>
          <input name="diagnosis" aria-label="code" />
          <input
            name="diagnosisName"
            aria-label="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <output data-testid="state">{name}</output>
        </form>
      );
    }
    expect(fillDiagnosis('I10', 'x')).toBe(false);
    render(<Form />);
    expect(fillDiagnosis('I10', 'Tăng huyết áp vô căn (nguyên phát)')).toBe(true);
    expect((screen.getByLabelText('code') as HTMLInputElement).value).toBe('I10');
    expect(screen.getByTestId('state').textContent).toBe('Tăng huyết áp vô căn (nguyên phát)');
  });
});
