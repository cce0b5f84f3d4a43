/**
 * A table that is a table where it fits and one card per row where it does not (≤ 600 px: phones,
 * a half-width column), each card a "label: value" line per column (issue 18 item 12). The roles
 * are explicit because `display: block` on table elements drops their table semantics in some
 * browsers: a screen reader meets the same table, with its column headers, at every width.
 * No word is broken letter by letter; only `.stack-id` (ids, codes) may break anywhere.
 */
import type { ReactNode } from 'react';
import './stack-table.css';

export function StackTable({
  columns,
  caption,
  testId,
  children,
}: {
  /** The column headers, also the label of each value on a card. */
  columns: readonly string[];
  /** A caption for screen readers (visually hidden). */
  caption?: string;
  testId?: string;
  /** The rows: `StackRow`s of `StackCell`s. */
  children: ReactNode;
}) {
  return (
    <div className="stack-wrap">
      <table role="table" className="stack-table" data-testid={testId}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((c) => (
              <th role="columnheader" scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">{children}</tbody>
      </table>
    </div>
  );
}

export function StackRow({ children }: { children: ReactNode }) {
  return <tr role="row">{children}</tr>;
}

/** One value; `label` (the column's header) is shown before it on a card, hidden on a wide screen. */
export function StackCell({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <td role="cell" data-label={label} className={className}>
      <span className="stack-label" aria-hidden="true">
        {label}
      </span>
      <div className="stack-value">{children}</div>
    </td>
  );
}
