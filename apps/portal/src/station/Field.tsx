import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

interface NotesProps {
  id: string;
  error?: string;
  warning?: string;
  hint?: string;
}
interface Described extends NotesProps {
  label: ReactNode;
}

function describedBy({ id, error, warning, hint }: NotesProps): string | undefined {
  return (
    [hint && `${id}-hint`, warning && `${id}-warning`, error && `${id}-error`].filter(Boolean).join(' ') ||
    undefined
  );
}

function Notes({ id, error, warning, hint }: NotesProps) {
  return (
    <>
      {hint && (
        <small id={`${id}-hint`} style={{ display: 'block' }}>
          {hint}
        </small>
      )}
      {warning && (
        <p id={`${id}-warning`} className="field-error">
          {warning}
        </p>
      )}
      {/* Always present so a message appearing while typing is announced (politely). */}
      <p id={`${id}-error`} className="field-error" aria-live="polite">
        {error}
      </p>
    </>
  );
}

/** A labelled input whose error and hint are tied to it (aria-invalid, aria-describedby). */
export function Field({
  id,
  label,
  error,
  warning,
  hint,
  ...input
}: Described & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, error, warning, hint })}
        {...input}
      />
      <Notes id={id} error={error} warning={warning} hint={hint} />
    </div>
  );
}

export function SelectField({
  id,
  label,
  error,
  warning,
  hint,
  children,
  ...select
}: Described & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'>) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, error, warning, hint })}
        {...select}
      >
        {children}
      </select>
      <Notes id={id} error={error} warning={warning} hint={hint} />
    </div>
  );
}
