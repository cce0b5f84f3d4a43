import { useTranslation } from 'react-i18next';
import { type ClaimReason, reasonText } from './insurance-claims';

/** Why a claim was refused or could not be made: each reason with its field (when known). */
export function ClaimReasons({ reasons }: { reasons: readonly ClaimReason[] }) {
  const { i18n } = useTranslation('station');
  return (
    <ul className="claim-reasons" style={{ margin: 0, paddingLeft: '1.2em' }}>
      {reasons.map((r, i) => (
        <li key={i}>
          {r.field && (
            <>
              <code className="stack-id">{r.field}</code>
              {': '}
            </>
          )}
          {reasonText(r, i18n.language)}
        </li>
      ))}
    </ul>
  );
}
