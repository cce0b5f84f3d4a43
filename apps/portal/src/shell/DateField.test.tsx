import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { DateField, TimeField } from './DateField';
import { autoSeparate, parseDateText, parseTimeText } from './date-input';
import { DateTimeField } from './DateTimeField';

beforeEach(async () => {
  missingKeys.length = 0;
  await i18next.changeLanguage('vi');
});
afterEach(() => {
  cleanup();
  expect(missingKeys).toEqual([]);
});

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(input(id), { target: { value } });

describe('parsing typed dates and times', () => {
  it('reads dd/mm/yyyy (and ddmmyyyy, d/m/yyyy, an ISO paste) as YYYY-MM-DD', () => {
    expect(parseDateText('02/10/1958')).toEqual({ ok: true, value: '1958-10-02' });
    expect(parseDateText('2/10/1958')).toEqual({ ok: true, value: '1958-10-02' });
    expect(parseDateText('02.10.1958')).toEqual({ ok: true, value: '1958-10-02' });
    expect(parseDateText('02101958')).toEqual({ ok: true, value: '1958-10-02' });
    expect(parseDateText('1958-10-02')).toEqual({ ok: true, value: '1958-10-02' });
    expect(parseDateText(' ')).toEqual({ ok: true, value: '' });
    expect(parseDateText('29/02/2024')).toEqual({ ok: true, value: '2024-02-29' });
  });
  it('refuses days not on the calendar, two-digit years and text', () => {
    expect(parseDateText('31/02/2024')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(parseDateText('29/02/2023')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(parseDateText('10/13/2024')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(parseDateText('00/01/2024')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(parseDateText('02/10/58')).toEqual({ ok: false, problem: 'format' });
    expect(parseDateText('hôm qua')).toEqual({ ok: false, problem: 'format' });
  });
  it('reads HH:mm on a 24-hour clock; 24:00 and 12:60 are refused', () => {
    expect(parseTimeText('09:05')).toEqual({ ok: true, value: '09:05' });
    expect(parseTimeText('9:05')).toEqual({ ok: true, value: '09:05' });
    expect(parseTimeText('0905')).toEqual({ ok: true, value: '09:05' });
    expect(parseTimeText('9h05')).toEqual({ ok: true, value: '09:05' });
    expect(parseTimeText('23:59')).toEqual({ ok: true, value: '23:59' });
    expect(parseTimeText('00:00')).toEqual({ ok: true, value: '00:00' });
    expect(parseTimeText('24:00')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(parseTimeText('12:60')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(parseTimeText('9:05 PM')).toEqual({ ok: false, problem: 'format' });
  });
  it('adds the separator as digits are typed (a numeric keypad has no "/")', () => {
    expect(autoSeparate('0', '02', 'date')).toBe('02/');
    expect(autoSeparate('02/1', '02/10', 'date')).toBe('02/10/');
    expect(autoSeparate('02/', '02//', 'date')).toBe('02/');
    expect(autoSeparate('02/', '02', 'date')).toBe('02');
    expect(autoSeparate('1', '14', 'time')).toBe('14:');
  });
});

function Controlled({ onValue, initial = '' }: { onValue: (v: string) => void; initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <label htmlFor="d">Ngày sinh</label>
      <DateField
        id="d"
        value={value}
        onChange={(v) => {
          setValue(v);
          onValue(v);
        }}
      />
      <output data-testid="value">{value}</output>
      <button type="button" onClick={() => setValue('2020-01-31')}>
        set
      </button>
    </>
  );
}

describe('DateField', () => {
  it('is a numeric text input with a dd/mm/yyyy placeholder, and hands the caller ISO values', () => {
    const onValue = vi.fn();
    render(<Controlled onValue={onValue} initial="1958-10-02" />);
    const field = screen.getByLabelText('Ngày sinh') as HTMLInputElement;
    expect(field.type).toBe('text');
    expect(field.getAttribute('inputmode')).toBe('numeric');
    expect(field.placeholder).toBe('dd/mm/yyyy');
    expect(field.value).toBe('02/10/1958');

    type('d', '03/11/1960');
    expect(onValue).toHaveBeenLastCalledWith('1960-11-03');
    expect(screen.getByTestId('value').textContent).toBe('1960-11-03');
    // The caller sets a value: the field shows it as dd/mm/yyyy.
    fireEvent.click(screen.getByText('set'));
    expect(field.value).toBe('31/01/2020');
  });

  it('31/02 is refused with a clear message (vi, then en) and the caller gets no value', async () => {
    const onValue = vi.fn();
    render(<Controlled onValue={onValue} initial="2024-02-01" />);
    type('d', '31/02/2024');
    expect(onValue).toHaveBeenLastCalledWith('');
    // Nothing is said while typing; leaving the field tells what is wrong.
    expect(document.getElementById('d-problem')?.textContent).toBe('');
    fireEvent.blur(input('d'));
    expect(input('d').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('d-problem')?.textContent).toContain('không có trên lịch');
    expect(input('d').getAttribute('aria-describedby')).toContain('d-problem');
    expect(input('d').value).toBe('31/02/2024');
    await act(() => i18next.changeLanguage('en'));
    expect(document.getElementById('d-problem')?.textContent).toContain('not on the calendar');
    type('d', '02/10/58');
    expect(document.getElementById('d-problem')?.textContent).toContain('dd/mm/yyyy');
  });

  it('in a form read with FormData: the ISO value under its name; invalid text blocks submission (also noValidate)', () => {
    const submitted = vi.fn();
    render(
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submitted(new FormData(e.currentTarget).get('birth'));
        }}
      >
        <label htmlFor="b">Ngày</label>
        <DateField id="b" name="birth" defaultValue="1990-05-01" />
        <button type="submit">OK</button>
      </form>,
    );
    expect(input('b').value).toBe('01/05/1990');
    fireEvent.click(screen.getByText('OK'));
    expect(submitted).toHaveBeenLastCalledWith('1990-05-01');
    type('b', '31/02/1990');
    fireEvent.click(screen.getByText('OK'));
    expect(submitted).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(input('b'));
    expect(document.getElementById('b-problem')?.textContent).toContain('không có trên lịch');
    type('b', '12041990');
    fireEvent.click(screen.getByText('OK'));
    expect(submitted).toHaveBeenLastCalledWith('1990-04-12');
  });

  it('reports a date outside min/max in the user language', () => {
    render(<DateField id="m" value="" max="2026-12-06" onChange={() => undefined} />);
    type('m', '07/12/2026');
    fireEvent.blur(input('m'));
    expect(document.getElementById('m-problem')?.textContent).toBe('Ngày không được sau 06/12/2026.');
  });
});

describe('TimeField', () => {
  it('09:05 is accepted, 24:00 is refused; the caller gets HH:mm', () => {
    const onChange = vi.fn();
    render(
      <>
        <label htmlFor="t">Giờ bắt đầu</label>
        <TimeField id="t" value="08:00" onChange={onChange} />
      </>,
    );
    const field = screen.getByLabelText('Giờ bắt đầu') as HTMLInputElement;
    expect(field.placeholder).toBe('HH:mm');
    expect(field.getAttribute('inputmode')).toBe('numeric');
    expect(field.value).toBe('08:00');
    type('t', '9:05');
    expect(onChange).toHaveBeenLastCalledWith('09:05');
    fireEvent.blur(field);
    expect(field.value).toBe('09:05');
    type('t', '24:00');
    expect(onChange).toHaveBeenLastCalledWith('');
    fireEvent.blur(field);
    expect(document.getElementById('t-problem')?.textContent).toContain('không có 24:00');
  });
});

describe('DateTimeField', () => {
  it('a date and a 24 h time make the caller a YYYY-MM-DDTHH:mm wall-clock value', () => {
    const onChange = vi.fn();
    function Host() {
      const [v, setV] = useState('');
      return (
        <>
          <label htmlFor="s">Bắt đầu</label>
          <DateTimeField
            id="s"
            label="Bắt đầu"
            value={v}
            onChange={(x) => {
              setV(x);
              onChange(x);
            }}
          />
        </>
      );
    }
    render(<Host />);
    type('s', '06/12/2026');
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Bắt đầu: giờ'), { target: { value: '19:30' } });
    expect(onChange).toHaveBeenLastCalledWith('2026-12-06T19:30');
    fireEvent.change(screen.getByLabelText('Bắt đầu: giờ'), { target: { value: '24:00' } });
    expect(onChange).toHaveBeenLastCalledWith('');
    expect(input('s').value).toBe('06/12/2026');
  });

  it('uncontrolled in a form: FormData has the joined value; a reset restores the defaults', () => {
    const submitted = vi.fn();
    render(
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submitted(new FormData(e.currentTarget).get('start'));
        }}
      >
        <label htmlFor="x">Start</label>
        <DateTimeField id="x" label="Start" name="start" />
        <button type="submit">OK</button>
        <button type="reset">Reset</button>
      </form>,
    );
    type('x', '01/02/2027');
    type('x-time', '07:45');
    fireEvent.click(screen.getByText('OK'));
    expect(submitted).toHaveBeenLastCalledWith('2027-02-01T07:45');
    fireEvent.click(screen.getByText('Reset'));
    expect(input('x').value).toBe('');
    expect(input('x-time').value).toBe('');
    fireEvent.click(screen.getByText('OK'));
    expect(submitted).toHaveBeenLastCalledWith('');
  });
});
