import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FhirResource, fhir, resources } from '../api';
import { formatDateTime } from '../format';
import { AreaBoundary } from '../shell/AreaBoundary';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { lazyArea } from '../shell/lazy-area';
import { activeBookingConsent, bookingConsent } from './consent';

// apps/portal/src/booking/BookForPatient.tsx (the booking area's): loaded when this step is reached;
// if that download fails, the patient page stays and this step offers a retry.
const BookForPatient = lazyArea(async () => ({
  default: (await import('../booking/BookForPatient')).BookForPatient,
}));

/**
 * "Book a video consultation on this patient's behalf": first the patient's consent (a FHIR
 * Consent the server requires in supportingInformation), recorded by the staff, then booking.
 */
export function BookOnBehalf({ patientId, onBooked }: { patientId: string; onBooked?: () => void }) {
  const { t, i18n } = useTranslation('station');
  const errorText = useErrorText();
  const consents = useAsync(
    () => fhir.search('Consent', { patient: `Patient/${patientId}`, status: 'active', _count: '50' }),
    [patientId],
  );
  const [recorded, setRecorded] = useState<FhirResource>();
  const [agreed, setAgreed] = useState(false);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const record = async () => {
    setTried(true);
    setError(undefined);
    if (!agreed) return;
    setSaving(true);
    try {
      setRecorded(await fhir.create(bookingConsent(patientId)));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="book-h" className="card">
      <h2 id="book-h">{t('booking.heading')}</h2>
      <AsyncView state={consents}>
        {(bundle) => {
          const consent = recorded ?? activeBookingConsent(resources(bundle), patientId);
          if (!consent)
            return (
              <div>
                <p>{t('booking.consentIntro')}</p>
                <label>
                  <input
                    type="checkbox"
                    checked={agreed}
                    onChange={(e) => setAgreed(e.target.checked)}
                    style={{ display: 'inline-block', width: 'auto', minHeight: 0, marginRight: 8 }}
                    aria-invalid={tried && !agreed ? true : undefined}
                    aria-describedby={tried && !agreed ? 'consent-error' : undefined}
                  />
                  {t('booking.consentCheck')}
                </label>
                {tried && !agreed && (
                  <p id="consent-error" role="alert" className="field-error">
                    {t('booking.consentNeeded')}
                  </p>
                )}
                {error && (
                  <p role="alert" className="error">
                    {error}
                  </p>
                )}
                <p>
                  <button type="button" onClick={() => void record()} disabled={saving}>
                    {saving ? t('booking.consentSaving') : t('booking.consentRecord')}
                  </button>
                </p>
              </div>
            );
          return (
            <div>
              <p role="status" className="ok">
                {t('booking.consentOnFile', {
                  date: formatDateTime(
                    String(
                      consent.dateTime ??
                        (consent.meta as { lastUpdated?: string } | undefined)?.lastUpdated ??
                        '',
                    ),
                    i18n.language,
                  ),
                })}
              </p>
              <AreaBoundary resetKey={patientId} level={3}>
                <Suspense fallback={<p role="status">{t('loading', { ns: 'common' })}</p>}>
                  <BookForPatient patientId={patientId} onBooked={() => onBooked?.()} />
                </Suspense>
              </AreaBoundary>
            </div>
          );
        }}
      </AsyncView>
    </section>
  );
}
