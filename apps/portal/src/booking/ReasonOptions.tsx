import { useTranslation } from 'react-i18next';
import { TELEHEALTH_REASONS } from './booking-logic';
import './messages';

/**
 * The options of a video visit's reason picker: a disabled "choose a reason" first, then the
 * remote-care list's rows and "other" in the user's language (values `system|code`). Used by the
 * booking form and by confirming a waitlist offer.
 */
export function ReasonOptions() {
  const { t, i18n } = useTranslation('booking');
  const en = i18n.language.startsWith('en');
  return (
    <>
      <option value="" disabled>
        {t('confirm.pickNone')}
      </option>
      {TELEHEALTH_REASONS.map((r) => (
        <option key={r.code} value={`${r.system}|${r.code}`}>
          {en ? r.label.en : r.label.vi}
        </option>
      ))}
    </>
  );
}
