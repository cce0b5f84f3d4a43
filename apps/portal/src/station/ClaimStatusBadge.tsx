import { useTranslation } from 'react-i18next';
import { CLAIM_STATUS_STYLE, type CheckInStatus } from './insurance-claims';
import './messages';

/** A claim's (or check-in's) status: a mark and the words, on a colour that only repeats them. */
export function ClaimStatusBadge({ status }: { status: CheckInStatus }) {
  const { t } = useTranslation('station');
  const s = CLAIM_STATUS_STYLE[status];
  return (
    <span
      className="claim-status"
      data-status={status}
      style={{
        display: 'inline-block',
        padding: '2px 8px',
        borderRadius: 12,
        border: `1px solid ${s.border}`,
        color: s.color,
        background: s.background,
        fontWeight: 600,
      }}
    >
      <span aria-hidden="true">{s.mark} </span>
      {t(`claims.statuses.${status}`)}
    </span>
  );
}
