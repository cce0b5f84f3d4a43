import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { useErrorText } from '../shell/async';
import {
  cachedIcd10,
  checkPrimaryDiagnosis,
  type Icd10Code,
  icd10Name,
  icd10OtherName,
  patientSex,
  searchIcd10,
} from './icd10';
import './messages';

/** Typing pauses this long before the server is asked (each key would be a request on a phone). */
export const ICD10_DEBOUNCE_MS = 250;
/** Shorter than this, a search would match too much to be useful. */
const MIN_QUERY = 2;

type Search =
  | { status: 'idle' }
  | { status: 'busy'; codes: Icd10Code[]; total: number }
  | { status: 'done'; codes: Icd10Code[]; total: number }
  | { status: 'error'; codes: Icd10Code[]; total: number; error: unknown };

type Check =
  | { status: 'checking'; code: Icd10Code }
  | { status: 'refused'; code: Icd10Code; message?: string }
  | { status: 'warned'; code: Icd10Code; message: string }
  | { status: 'error'; code: Icd10Code; error: unknown };

const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

/**
 * An ICD-10 picker (WAI-ARIA combobox with a listbox popup) over the server's terminology service:
 * type a name (accents optional) or a code, move with ↑/↓, choose with Enter (or a click), close
 * with Escape. Requests wait for a pause in typing and the previous one is cancelled; a failing
 * link says so and offers a retry. With `usage="primary-diagnosis"` a chosen code is first checked
 * by the server (`$validate-code`, with the patient's sex when `patientId` is given) and only
 * passed on when it may be the main diagnosis; a refusal shows the server's reason, and so does a
 * code allowed with a caution (e.g. listed for the other sex only or mainly).
 */
export function Icd10Combobox({
  onSelect,
  usage,
  patientId,
}: {
  onSelect: (code: Icd10Code) => void;
  usage?: 'primary-diagnosis';
  patientId?: string;
}) {
  const { t, i18n } = useTranslation('doctor');
  const errorText = useErrorText();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  /** The text the input shows after a choice: not a search. */
  const [chosenText, setChosenText] = useState<string>();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const [check, setCheck] = useState<Check>();
  const checking = useRef<AbortController | undefined>(undefined);
  const lang = i18n.language.startsWith('en') ? 'en' : 'vi';

  useEffect(() => {
    const q = query.trim();
    if (q.length < MIN_QUERY || query === chosenText) {
      setSearch({ status: 'idle' });
      return;
    }
    const held = cachedIcd10(q, lang);
    if (held) {
      setSearch({ status: 'done', ...held });
      return;
    }
    setSearch((s) => ({
      status: 'busy',
      codes: 'codes' in s ? s.codes : [],
      total: 'total' in s ? s.total : 0,
    }));
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      searchIcd10(q, lang, ctrl.signal).then(
        (page) => {
          if (!ctrl.signal.aborted) setSearch({ status: 'done', ...page });
        },
        (error: unknown) => {
          if (ctrl.signal.aborted || isAbort(error)) return;
          setSearch((s) => ({
            status: 'error',
            codes: 'codes' in s ? s.codes : [],
            total: 'total' in s ? s.total : 0,
            error,
          }));
        },
      );
    }, ICD10_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [query, chosenText, lang, attempt]);

  useEffect(() => () => checking.current?.abort(), []);

  const results = search.status === 'idle' ? [] : search.codes;
  const expanded = open && results.length > 0 && search.status !== 'error';
  const optionId = (i: number): string => `${id}-opt-${i}`;

  const runCheck = (c: Icd10Code): void => {
    checking.current?.abort();
    const ctrl = new AbortController();
    checking.current = ctrl;
    setCheck({ status: 'checking', code: c });
    const sex = patientId
      ? patientSex(patientId, ctrl.signal).catch((e: unknown) => {
          if (isAbort(e)) throw e;
          return undefined; // the sex rule is then left to the end of the visit
        })
      : Promise.resolve(undefined);
    sex
      .then((s) => checkPrimaryDiagnosis(c.code, s, ctrl.signal))
      .then(
        (r) => {
          if (ctrl.signal.aborted) return;
          if (r.result) {
            // Allowed, perhaps with the server's caution (e.g. a code listed for the other sex).
            setCheck(r.message ? { status: 'warned', code: c, message: r.message } : undefined);
            onSelect(c);
          } else setCheck({ status: 'refused', code: c, ...(r.message ? { message: r.message } : {}) });
        },
        (error: unknown) => {
          if (!ctrl.signal.aborted && !isAbort(error)) setCheck({ status: 'error', code: c, error });
        },
      );
  };

  const choose = (c: Icd10Code): void => {
    const text = `${c.code} ${icd10Name(c, lang)}`;
    setChosenText(text);
    setQuery(text);
    setOpen(false);
    setActive(-1);
    if (usage === 'primary-diagnosis') runCheck(c);
    else onSelect(c);
  };

  const retry = (): void => {
    setAttempt((n) => n + 1);
    setOpen(true);
    inputRef.current?.focus();
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

  const searching = query.trim().length >= MIN_QUERY && query !== chosenText;
  const linkDown = search.status === 'error' && search.error instanceof ApiError && search.error.status === 0;
  const status = !searching
    ? ''
    : search.status === 'busy'
      ? t('side.icdSearching')
      : search.status === 'done'
        ? search.codes.length === 0
          ? t('side.icdNoMatch')
          : search.total > search.codes.length
            ? t('side.icdSome', { count: search.codes.length, total: search.total })
            : t('side.icdResults', { count: search.codes.length })
        : '';

  return (
    <div className="icd10-combobox">
      <label htmlFor={`${id}-input`}>{t('side.icdSearch')}</label>
      <input
        ref={inputRef}
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${id}-list`}
        aria-describedby={`${id}-hint ${id}-status`}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setChosenText(undefined);
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
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={t('side.icdSearch')}
        aria-busy={search.status === 'busy'}
        // Results of the previous search stay (dimmed) while the next one is on its way.
        style={search.status === 'busy' ? { opacity: 0.6 } : undefined}
        hidden={!expanded}
      >
        {expanded &&
          results.map((c, i) => {
            const other = icd10OtherName(c, lang);
            return (
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
                <strong>{c.code}</strong> {icd10Name(c, lang)}
                {other && (
                  <span
                    lang={lang === 'en' ? 'vi' : 'en'}
                    className="doctor-muted"
                    style={{ display: 'block', fontSize: '0.9em' }}
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
        data-testid="icd10-status"
      >
        {status}
      </p>
      {searching && search.status === 'error' && (
        <div role="alert" className="error" data-testid="icd10-error">
          <p>{linkDown ? t('side.icdLinkDown') : errorText(search.error)}</p>
          <button type="button" onClick={retry}>
            {t('side.icdRetry')}
          </button>
        </div>
      )}
      {check?.status === 'checking' && (
        <p role="status" className="doctor-hint">
          {t('side.icdChecking', { code: check.code.code })}
        </p>
      )}
      {check?.status === 'refused' && (
        <div role="alert" className="error" data-testid="icd10-refused">
          <p>{t('side.icdRefused', { code: check.code.code, name: icd10Name(check.code, lang) })}</p>
          {check.message && (
            <p lang="en" className="doctor-muted">
              {check.message}
            </p>
          )}
        </div>
      )}
      {check?.status === 'warned' && (
        <div
          role="status"
          data-testid="icd10-warned"
          style={{
            border: '1px solid #b45309',
            background: '#fffbeb',
            color: '#78350f',
            borderRadius: 6,
            padding: '4px 12px',
            margin: '8px 0',
          }}
        >
          <p>{t('side.icdWarned', { code: check.code.code })}</p>
          <p lang="en">{check.message}</p>
        </div>
      )}
      {check?.status === 'error' && (
        <div role="alert" className="error" data-testid="icd10-check-error">
          <p>
            {check.error instanceof ApiError && check.error.status === 0
              ? t('side.icdCheckLinkDown', { code: check.code.code })
              : `${t('side.icdCheckFailed', { code: check.code.code })} ${errorText(check.error)}`}
          </p>
          <button type="button" onClick={() => runCheck(check.code)}>
            {t('side.icdRetry')}
          </button>
        </div>
      )}
    </div>
  );
}
