import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Icd10Code, searchIcd10 } from './icd10';
import './messages';

/**
 * An ICD-10 picker (WAI-ARIA combobox with a listbox popup): type a name (accents optional) or a
 * code, move with ↑/↓, choose with Enter (or a click), close with Escape.
 */
export function Icd10Combobox({ onSelect }: { onSelect: (code: Icd10Code) => void }) {
  const { t, i18n } = useTranslation('doctor');
  const id = useId();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const results = useMemo(() => searchIcd10(query), [query]);
  const en = i18n.language.startsWith('en');
  const expanded = open && results.length > 0;
  const optionId = (i: number): string => `${id}-opt-${i}`;

  const choose = (c: Icd10Code): void => {
    onSelect(c);
    setQuery(`${c.code} ${en ? c.en : c.vi}`);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setOpen(true);
        if (results.length > 0) setActive((a) => (a + 1) % results.length);
        break;
      case 'ArrowUp':
        e.preventDefault();
        setOpen(true);
        if (results.length > 0) setActive((a) => (a <= 0 ? results.length - 1 : a - 1));
        break;
      case 'Enter': {
        const c = expanded ? results[active] : undefined;
        if (c) {
          // Choosing must not submit the form the picker sits in.
          e.preventDefault();
          choose(c);
        }
        break;
      }
      case 'Escape':
        if (expanded) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        }
        break;
      default:
        break;
    }
  };

  return (
    <div className="icd10-combobox">
      <label htmlFor={`${id}-input`}>{t('side.icdSearch')}</label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-describedby={`${id}-hint`}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => query && setOpen(true)}
      />
      <p id={`${id}-hint`} className="doctor-hint">
        {t('side.icdHint')}
      </p>
      <ul id={`${id}-list`} role="listbox" aria-label={t('side.icdSearch')} hidden={!expanded}>
        {expanded &&
          results.map((c, i) => (
            <li
              key={c.code}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: keeps the focus in the input (no blur closing the list first).
              onMouseDown={(e) => {
                e.preventDefault();
                choose(c);
              }}
            >
              <strong>{c.code}</strong> {en ? c.en : c.vi}
              <span lang={en ? 'vi' : 'en'} className="doctor-muted">
                {' '}
                · {en ? c.vi : c.en}
              </span>
            </li>
          ))}
      </ul>
      <p role="status" aria-live="polite" className="visually-hidden">
        {open && query.trim()
          ? results.length > 0
            ? t('side.icdResults', { count: results.length })
            : t('side.icdNoMatch')
          : ''}
      </p>
      {open && query.trim() && results.length === 0 && <p className="doctor-hint">{t('side.icdNoMatch')}</p>}
    </div>
  );
}
