import { useTranslation } from 'react-i18next';
import { priorityLevel } from './waiting';
import './messages';

/** A triage priority as every doctor's screen shows it: "Khẩn (2)" / "Urgent (2)", "Chưa phân loại". */
export function Priority({ value }: { value: number | undefined }) {
  const { t } = useTranslation('doctor');
  const level = priorityLevel(value);
  return (
    <span className={level.key === 'urgent' ? `doctor-priority-${level.value ?? ''}` : undefined}>
      {t(`priority.${level.key}`, { value: level.value })}
    </span>
  );
}
