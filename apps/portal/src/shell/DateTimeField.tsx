import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField, TimeField } from './DateField';
import './field-messages';

/** `YYYY-MM-DD` and `HH:mm` as a `datetime-local` value (`YYYY-MM-DDTHH:mm`), '' unless both are there. */
const join = (date: string, time: string): string => (date && time ? `${date}T${time}` : '');
const split = (value: string | undefined): [string, string] => {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value ?? '');
  return m ? [m[1] as string, m[2] as string] : ['', ''];
};

/**
 * A date (dd/mm/yyyy) and a time (HH:mm, 24 h) side by side, in place of
 * `<input type="datetime-local">`: the caller still gets a `YYYY-MM-DDTHH:mm` wall-clock value ('' until
 * both parts are valid). The caller's label (for `id`) names the date; the time is named
 * "<label>: giờ" / "<label>: time".
 */
export function DateTimeField({
  id,
  label,
  name,
  value,
  defaultValue,
  onChange,
  required,
}: {
  id: string;
  /** The visible label's text, for the time part's accessible name. */
  label: string;
  name?: string;
  value?: string;
  defaultValue?: string;
  onChange?: (value: string) => void;
  required?: boolean;
}) {
  const { t } = useTranslation('fields');
  const controlled = value !== undefined;
  const [parts, setParts] = useState<[string, string]>(() => split(controlled ? value : defaultValue));
  const [seen, setSeen] = useState(value);
  if (controlled && value !== seen) {
    setSeen(value);
    if (value !== join(...parts)) setParts(split(value));
  }
  // Both parts may change in one event (a form reset): each change starts from the latest pair.
  const latest = useRef(parts);
  latest.current = parts;
  const update = (index: 0 | 1, part: string) => {
    const previous = latest.current;
    const next: [string, string] = index === 0 ? [part, previous[1]] : [previous[0], part];
    latest.current = next;
    setParts(next);
    if (join(...next) !== join(...previous)) onChange?.(join(...next));
  };
  const [initialDate, initialTime] = split(defaultValue);
  return (
    <span style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
      <span style={{ flex: '1 1 10em', minWidth: 0 }}>
        <DateField
          id={id}
          value={controlled ? parts[0] : undefined}
          defaultValue={controlled ? undefined : initialDate}
          onChange={(d) => update(0, d)}
          required={required}
        />
      </span>
      <span style={{ flex: '1 1 6em', minWidth: 0 }}>
        <TimeField
          id={`${id}-time`}
          aria-label={t('partTime', { label })}
          value={controlled ? parts[1] : undefined}
          defaultValue={controlled ? undefined : initialTime}
          onChange={(time) => update(1, time)}
          required={required}
        />
      </span>
      {name && <input type="hidden" name={name} value={join(...parts)} />}
    </span>
  );
}
