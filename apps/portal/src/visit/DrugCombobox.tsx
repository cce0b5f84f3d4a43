import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { icd10Name, icd10OtherName } from '../doctor/icd10';
import { useErrorText } from '../shell/async';
import { cachedDrugs, type Drug, searchDrugs } from './prescription';

/** Typing pauses this long before the server is asked. */
export const DRUG_DEBOUNCE_MS = 250;
const MIN_QUERY = 2;

type Search =
  | { status: 'idle' }
  | { status: 'busy'; drugs: Drug[]; total: number }
  | { status: 'done'; drugs: Drug[]; total: number }
  | { status: 'error'; drugs: Drug[]; total: number; error: unknown };

const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';
const drugText = (d: Drug, lang: string): string => `${d.code} ${icd10Name(d, lang)}`;

/**
 * The drug picker of the end-of-visit form (WAI-ARIA combobox, like the ICD-10 picker): the
 * national drug list from the server's terminology service (`$expand` of drugs-bhyt; a name with
 * or without accents, or a code). Only a drug chosen from the list is passed on; typing again
 * clears the choice. The text typed stays when the form is refused.
 */
export function DrugCombobox({
  value,
  onChange,
  invalid,
  describedBy,
  inputId,
}: {
  value: Drug | undefined;
  onChange: (drug: Drug | undefined) => void;
  invalid?: boolean;
  /** Ids of the field's error message(s). */
  describedBy?: string;
  /** The input's id (for focusing it from the form); generated when not given. */
  inputId?: string;
}) {
  const { t, i18n } = useTranslation('visit');
  const errorText = useErrorText();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const lang = i18n.language.startsWith('en') ? 'en' : 'vi';
  const [query, setQuery] = useState(value ? drugText(value, lang) : '');
  const [chosenText, setChosenText] = useState<string | undefined>(value ? query : undefined);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const q = query.trim();
    if (q.length < MIN_QUERY || query === chosenText) {
      setSearch({ status: 'idle' });
      return;
    }
    const held = cachedDrugs(q);
    if (held) {
      setSearch({ status: 'done', ...held });
      return;
    }
    setSearch((s) => ({
      status: 'busy',
      drugs: 'drugs' in s ? s.drugs : [],
      total: 'total' in s ? s.total : 0,
    }));
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      searchDrugs(q, ctrl.signal).then(
        (page) => {
          if (!ctrl.signal.aborted) setSearch({ status: 'done', ...page });
        },
        (error: unknown) => {
          if (ctrl.signal.aborted || isAbort(error)) return;
          setSearch((s) => ({
            status: 'error',
            drugs: 'drugs' in s ? s.drugs : [],
            total: 'total' in s ? s.total : 0,
            error,
          }));
        },
      );
    }, DRUG_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [query, chosenText, attempt]);

  const results = search.status === 'idle' ? [] : search.drugs;
  const expanded = open && results.length > 0 && search.status !== 'error';
  const optionId = (i: number): string => `${id}-opt-${i}`;

  const choose = (d: Drug): void => {
    const text = drugText(d, lang);
    setChosenText(text);
    setQuery(text);
    setOpen(false);
    setActive(-1);
    onChange(d);
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
        const d = expanded ? results[active] : undefined;
        if (d) {
          e.preventDefault(); // choosing must not end the visit
          choose(d);
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

  const searching = query.trim().length >= MIN_QUERY && query !== chosenText;
  const linkDown = search.status === 'error' && search.error instanceof ApiError && search.error.status === 0;
  const status = !searching
    ? value
      ? t('rx.chosen', { code: value.code, name: icd10Name(value, lang) })
      : ''
    : search.status === 'busy'
      ? t('rx.searching')
      : search.status === 'done'
        ? search.drugs.length === 0
          ? t('rx.noMatch')
          : search.total > search.drugs.length
            ? t('rx.some', { count: search.drugs.length, total: search.total })
            : t('rx.results', { count: search.drugs.length })
        : '';

  return (
    <div className="icd10-combobox" data-testid="drug-combobox">
      <label htmlFor={inputId ?? `${id}-input`}>{t('medication')}</label>
      <input
        ref={inputRef}
        id={inputId ?? `${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-invalid={invalid || undefined}
        aria-describedby={[`${id}-hint`, `${id}-status`, describedBy].filter(Boolean).join(' ')}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setChosenText(undefined);
          setOpen(true);
          setActive(-1);
          if (value) onChange(undefined);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => query && setOpen(true)}
      />
      <p id={`${id}-hint`} className="doctor-hint">
        {t('rx.drugHint')}
      </p>
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={t('medication')}
        aria-busy={search.status === 'busy'}
        style={search.status === 'busy' ? { opacity: 0.6 } : undefined}
        hidden={!expanded}
      >
        {expanded &&
          results.map((d, i) => {
            const other = icd10OtherName(d, lang);
            return (
              <li
                key={d.code}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(d);
                }}
              >
                <strong>{d.code}</strong> {icd10Name(d, lang)}
                {other && (
                  <span
                    lang={lang === 'en' ? 'vi' : 'en'}
                    className="doctor-muted"
                    style={{ display: 'block' }}
                  >
                    {other}
                  </span>
                )}
              </li>
            );
          })}
      </ul>
      <p
        id={`${id}-status`}
        role="status"
        aria-live="polite"
        className="doctor-hint"
        data-testid="drug-status"
      >
        {status}
      </p>
      {searching && search.status === 'error' && (
        <div role="alert" className="error" data-testid="drug-error">
          <p>{linkDown ? t('rx.linkDown') : errorText(search.error)}</p>
          <button
            type="button"
            onClick={() => {
              setAttempt((n) => n + 1);
              setOpen(true);
              inputRef.current?.focus();
            }}
          >
            {t('retry')}
          </button>
        </div>
      )}
    </div>
  );
}
