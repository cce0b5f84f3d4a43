import { useTranslation } from 'react-i18next';
import { type FhirResource, fhir, resources } from '../api';
import { formatDate, formatNumber } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { Link } from '../shell/router';
import { encounterDoctors } from './entry-text';
import { type CodeableConcept, conceptCode, conceptText, type Reference } from './fhir-util';
import './messages';
import { loadNames } from './names';
import { useUnitText } from './VitalChart';
import { extractVitals, formatVital, latest } from './vitals';

interface SummaryData {
  problems: (FhirResource & { code?: CodeableConcept })[];
  allergies: (FhirResource & { code?: CodeableConcept; criticality?: string })[];
  medications: (FhirResource & {
    medicationCodeableConcept?: CodeableConcept;
    medicationReference?: Reference;
    dosageInstruction?: { text?: string }[];
  })[];
  vitals: ReturnType<typeof extractVitals>;
  visits: (FhirResource & { period?: { start?: string }; reasonCode?: CodeableConcept[] })[];
  names: Map<string, string>;
}

export async function loadPatientSummary(patientId: string): Promise<SummaryData> {
  const patient = `Patient/${patientId}`;
  const [problems, allergies, medications, observations, visits] = await Promise.all([
    fhir.search<SummaryData['problems'][number]>('Condition', {
      patient,
      'clinical-status': 'active,recurrence,relapse',
      _count: '50',
    }),
    fhir.search<SummaryData['allergies'][number]>('AllergyIntolerance', { patient, _count: '50' }),
    fhir.search<SummaryData['medications'][number]>('MedicationRequest', {
      patient,
      status: 'active',
      _count: '50',
    }),
    fhir.search('Observation', { patient, category: 'vital-signs', _sort: '-date', _count: '100' }),
    fhir.search<SummaryData['visits'][number]>('Encounter', { patient, _sort: '-date', _count: '3' }),
  ]);
  const visitList = resources(visits);
  const refs = visitList.flatMap((v) =>
    ((v as { participant?: { individual?: Reference }[] }).participant ?? []).map(
      (p) => p.individual?.reference,
    ),
  );
  return {
    problems: resources(problems),
    allergies: resources(allergies).filter(
      (a) =>
        !['inactive', 'resolved'].includes(
          (a as { clinicalStatus?: CodeableConcept }).clinicalStatus?.coding?.[0]?.code ?? '',
        ),
    ),
    medications: resources(medications),
    vitals: extractVitals(resources(observations)),
    visits: visitList,
    names: await loadNames(refs),
  };
}

/**
 * A compact summary of a patient for a clinician (e.g. beside a video visit): current problems,
 * allergies, current medicines, latest vital signs and the last visits.
 */
export function PatientSummary({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation('record');
  const unitText = useUnitText();
  const lang = i18n.language;
  const state = useAsync(() => loadPatientSummary(patientId), [patientId]);
  const none = <p>{t('summary.none')}</p>;
  return (
    <section className="patient-summary" aria-labelledby={`ps-${patientId}`}>
      <h2 id={`ps-${patientId}`}>{t('summary.heading')}</h2>
      <AsyncView state={state}>
        {(d) => (
          <>
            <h3>{t('summary.allergies')}</h3>
            {d.allergies.length === 0 ? (
              <p>{t('summary.noKnownAllergy')}</p>
            ) : (
              <ul>
                {d.allergies.map((a) => (
                  <li key={a.id}>
                    <strong>{conceptText(a.code) || '—'}</strong>
                    {a.criticality === 'high' && ` (${t('criticality.high')})`}
                  </li>
                ))}
              </ul>
            )}
            <h3>{t('summary.problems')}</h3>
            {d.problems.length === 0 ? (
              none
            ) : (
              <ul>
                {d.problems.map((c) => {
                  const text = conceptText(c.code);
                  const code = conceptCode(c.code);
                  return (
                    <li key={c.id}>
                      {text || '—'}
                      {code && code !== text && ` (${code})`}
                    </li>
                  );
                })}
              </ul>
            )}
            <h3>{t('summary.medications')}</h3>
            {d.medications.length === 0 ? (
              none
            ) : (
              <ul>
                {d.medications.map((m) => {
                  const dosage = (m.dosageInstruction ?? [])
                    .map((x) => x.text)
                    .filter(Boolean)
                    .join('; ');
                  return (
                    <li key={m.id}>
                      {conceptText(m.medicationCodeableConcept) || m.medicationReference?.display || '—'}
                      {dosage && ` — ${dosage}`}
                    </li>
                  );
                })}
              </ul>
            )}
            <h3>{t('summary.vitals')}</h3>
            {d.vitals.length === 0 ? (
              none
            ) : (
              <ul>
                {d.vitals.map((s) => {
                  const last = latest(s);
                  if (!last) return null;
                  return (
                    <li key={s.key}>
                      {t(`vitals.${s.key}`)}:{' '}
                      <strong>
                        {formatVital(last, (n, digits) => formatNumber(n, lang, digits), s.digits)}{' '}
                        {unitText(s.unit)}
                      </strong>{' '}
                      ({formatDate(last.date, lang)})
                    </li>
                  );
                })}
              </ul>
            )}
            <h3>{t('summary.visits')}</h3>
            {d.visits.length === 0 ? (
              none
            ) : (
              <ul>
                {d.visits.map((v) => {
                  const reason = (v.reasonCode ?? []).map(conceptText).filter(Boolean).join(', ');
                  const doctors = encounterDoctors(v, d.names);
                  return (
                    <li key={v.id}>
                      {formatDate(v.period?.start, lang) || '—'}
                      {reason && ` — ${reason}`}
                      {doctors.length > 0 && ` (${doctors.join(', ')})`}
                    </li>
                  );
                })}
              </ul>
            )}
            <p>
              <Link to={`/record/${encodeURIComponent(patientId)}`}>{t('summary.openRecord')}</Link>
            </p>
          </>
        )}
      </AsyncView>
    </section>
  );
}
