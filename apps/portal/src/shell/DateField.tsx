import { type ChangeEvent, type CSSProperties, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  autoSeparate,
  dateToText,
  type InputProblem,
  type Parsed,
  parseDateText,
  parseTimeText,
  rangeProblem,
  timeToText,
} from './date-input';
import './field-messages';

/**
 * What the shared date and time fields take. Values in and out are ISO (`YYYY-MM-DD`, `HH:mm`),
 * exactly what a native `<input type="date|time">` gave its callers: '' while the field is empty or
 * what is typed is not a valid date/time yet.
 */
export interface TypedFieldProps {
  id: string;
  /** For forms read with FormData: a hidden input of this name carries the ISO value. */
  name?: string;
  /** Controlled: the ISO value. */
  value?: string;
  /** Uncontrolled: the ISO value at first (and after the form is reset). */
  defaultValue?: string;
  onChange?: (value: string) => void;
  onBlur?: () => void;
  /** ISO bounds; a value outside is reported (and blocks a form that validates). */
  min?: string;
  max?: string;
  required?: boolean;
  disabled?: boolean;
  autoComplete?: string;
  /** The caller's own message for this field, shown when the field has none of its own. */
  error?: string;
  'aria-label'?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  style?: CSSProperties;
}

interface Kind {
  kind: 'date' | 'time';
  parse: (text: string) => Parsed;
  toText: (value: string | undefined) => string;
  placeholder: string;
  maxLength: number;
}

const DATE: Kind = {
  kind: 'date',
  parse: parseDateText,
  toText: dateToText,
  placeholder: 'dd/mm/yyyy',
  maxLength: 10,
};
const TIME: Kind = {
  kind: 'time',
  parse: parseTimeText,
  toText: timeToText,
  placeholder: 'HH:mm',
  maxLength: 5,
};

/**
 * A text input for a date or a time (issue 18 item 16): numeric keypad, the format as placeholder
 * and description, a clear message in the user's language when what is typed is not a real
 * date/time, and ISO values for the caller. Typed text that is not valid never reaches the caller
 * as a value; a form containing it is not submitted (also with `noValidate`), and the field gets
 * the focus.
 */
function TypedField({ spec, ...p }: TypedFieldProps & { spec: Kind }) {
  const { t } = useTranslation('fields');
  const { kind, parse, toText } = spec;
  const controlled = p.value !== undefined;
  const [text, setText] = useState(() => toText(controlled ? p.value : p.defaultValue));
  const [seen, setSeen] = useState(p.value);
  const [touched, setTouched] = useState(false);
  const ref = useRef<HTMLInputElement>(null);

  const parsed = parse(text);
  const value = parsed.ok ? parsed.value : '';
  // The caller set another value (a default, a reset after saving): show it.
  if (controlled && p.value !== seen) {
    setSeen(p.value);
    if (p.value !== value) setText(toText(p.value));
  }
  const callerInvalid = Boolean(p['aria-invalid'] || p.error);
  const problem: InputProblem | undefined = parsed.ok
    ? callerInvalid
      ? undefined
      : rangeProblem(value, p.min, p.max)
    : parsed.problem;
  const problemText =
    problem && t(`${kind}.${problem}`, { min: toText(p.min) || p.min, max: toText(p.max) || p.max });
  const shown = (touched && problemText) || p.error || undefined;

  // The browser's own check (forms without noValidate) uses the same sentence.
  useEffect(() => {
    ref.current?.setCustomValidity(problemText ?? '');
  }, [problemText]);

  const unparsable = useRef(false);
  unparsable.current = !parsed.ok;
  const initial = useRef(p.defaultValue);
  initial.current = p.defaultValue;
  const onChange = useRef(p.onChange);
  onChange.current = p.onChange;
  useEffect(() => {
    const form = ref.current?.form;
    if (!form) return;
    const onSubmit = (e: Event) => {
      if (!unparsable.current) return;
      // Never submit what the caller would read as "empty" while the user typed something.
      const first = !e.defaultPrevented;
      e.preventDefault();
      e.stopImmediatePropagation();
      setTouched(true);
      if (first) ref.current?.focus();
    };
    const onReset = () => {
      setText(toText(initial.current));
      setTouched(false);
      onChange.current?.(initial.current ?? '');
    };
    form.addEventListener('submit', onSubmit, true);
    form.addEventListener('reset', onReset);
    return () => {
      form.removeEventListener('submit', onSubmit, true);
      form.removeEventListener('reset', onReset);
    };
  }, [toText]);

  const change = (e: ChangeEvent<HTMLInputElement>) => {
    const next = autoSeparate(text, e.target.value, kind);
    setText(next);
    const r = parse(next);
    const nextValue = r.ok ? r.value : '';
    if (nextValue !== value) p.onChange?.(nextValue);
  };
  const blur = () => {
    setTouched(true);
    if (parsed.ok && value) setText(toText(value));
    p.onBlur?.();
  };

  const hintId = `${p.id}-format`;
  const problemId = `${p.id}-problem`;
  const describedBy = [hintId, p['aria-describedby'], shown && problemId].filter(Boolean).join(' ');
  return (
    <>
      <input
        ref={ref}
        id={p.id}
        type="text"
        inputMode="numeric"
        placeholder={spec.placeholder}
        maxLength={spec.maxLength}
        autoComplete={p.autoComplete ?? 'off'}
        value={text}
        onChange={change}
        onBlur={blur}
        onInvalid={() => setTouched(true)}
        required={p.required}
        disabled={p.disabled}
        aria-label={p['aria-label']}
        aria-invalid={p['aria-invalid'] || Boolean(touched && problem) || Boolean(p.error) || undefined}
        aria-describedby={describedBy}
        data-kind={kind}
        style={p.style}
      />
      {p.name && <input type="hidden" name={p.name} value={value} />}
      <span id={hintId} className="visually-hidden">
        {t(kind === 'date' ? 'dateHint' : 'timeHint')}
      </span>
      <span id={problemId} className="field-error" style={{ display: 'block' }} aria-live="polite">
        {shown}
      </span>
    </>
  );
}

/** A date typed as dd/mm/yyyy, given to the caller as `YYYY-MM-DD`. */
export function DateField(props: TypedFieldProps) {
  return <TypedField spec={DATE} {...props} />;
}

/** A time typed as HH:mm (24 h), given to the caller as `HH:mm`. */
export function TimeField(props: TypedFieldProps) {
  return <TypedField spec={TIME} {...props} />;
}
