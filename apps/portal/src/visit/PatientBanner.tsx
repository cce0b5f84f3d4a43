import { useTranslation } from 'react-i18next';
import { formatDate } from '../format';
import { type AsyncState, AsyncView } from '../shell/async';
import {
  ageOn,
  cccdOf,
  conceptCode,
  conceptWords,
  fullName,
  maskCccd,
  type PatientIdentity,
} from './patient-identity';

/**
 * The doctor's visit screen, above the video: who the patient is (name, age, date of birth
 * dd/mm/yyyy whatever the device's language, sex, the CCCD's last 4 digits), their allergies in
 * a warning (high criticality first) and their active problems.
 */
export function PatientBanner({ state }: { state: AsyncState<PatientIdentity | undefined> }) {
  const { t, i18n } = useTranslation('visit');
  const lang = i18n.language;
  return (
    <section className="visit-patient card" aria-labelledby="visit-patient-name" data-testid="patient-banner">
      <AsyncView state={state}>
        {(d) => {
          if (!d) return <p id="visit-patient-name">{t('patient.unknown')}</p>;
          const p = d.patient;
          const age = ageOn(p.birthDate);
          const cccd = cccdOf(p);
          const facts = [
            age &&
              ('years' in age
                ? t('patient.years', { count: age.years })
                : t('patient.months', { count: age.months })),
            p.birthDate && `${t('patient.born')} ${formatDate(p.birthDate, lang)}`,
            p.gender && t(`patient.gender.${p.gender}`, { defaultValue: t('patient.gender.unknown') }),
            cccd && `${t('patient.cccd')} ${maskCccd(cccd)}`,
          ].filter(Boolean);
          return (
            <>
              <h2 id="visit-patient-name" className="visit-patient-name">
                <span className="visit-patient-role">{t('patient.label')}: </span>
                {fullName(p) || t('patient.noName')}
              </h2>
              <p className="visit-patient-facts" data-testid="patient-facts">
                {facts.join(' · ') || t('patient.noBirthDate')}
              </p>
              {d.allergies.length > 0 ? (
                <div className="visit-allergies" role="note" aria-label={t('patient.allergies')}>
                  <strong>⚠ {t('patient.allergies')}:</strong>
                  <ul data-testid="patient-allergies">
                    {d.allergies.map((a) => (
                      <li key={a.id} className={a.criticality === 'high' ? 'high' : undefined}>
                        {conceptWords(a.code) || '—'}
                        {a.criticality === 'high' && ` (${t('patient.highCriticality')})`}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <p className="visit-patient-facts">{t('patient.noAllergy')}</p>
              )}
              <div className="visit-problems">
                <strong>{t('patient.problems')}:</strong>{' '}
                {d.problems.length === 0 ? (
                  t('patient.noProblem')
                ) : (
                  <ul data-testid="patient-problems">
                    {d.problems.map((c) => {
                      const words = conceptWords(c.code);
                      const code = conceptCode(c.code);
                      return (
                        <li key={c.id}>
                          {words || '—'}
                          {code && code !== words && ` (${code})`}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </div>
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}
