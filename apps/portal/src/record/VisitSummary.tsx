import { useTranslation } from 'react-i18next';
import { type FhirResource, fhir, humanName, resources } from '../api';
import { formatDate, formatDateTime, formatTime } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { Link } from '../shell/router';
import { StackCell, StackRow, StackTable } from '../stack-table';
import { encounterDoctors } from './entry-text';
import { type CodeableConcept, conceptCode, conceptText, type Reference, refId } from './fhir-util';
import './messages';
import { loadNames } from './names';

/** The re-visit appointment's code and letter number (libs/fhir follow-up.ts). */
const FOLLOW_UP = { system: 'http://snomed.info/sct', code: '390906007' };
const FOLLOW_UP_LETTER = 'https://fhir.mekong.health/sid/follow-up-letter';
/** The national e-prescription code on a MedicationRequest once issued. */
const E_PRESCRIPTION_CODE = 'https://fhir.mekong.health/sid/e-prescription-code';

interface SummaryData {
  encounter: FhirResource & {
    period?: { start?: string; end?: string };
    class?: { code?: string };
    reasonCode?: CodeableConcept[];
    subject?: Reference;
  };
  patient?: FhirResource & { birthDate?: string };
  conditions: (FhirResource & { code?: CodeableConcept })[];
  medications: (FhirResource & {
    medicationCodeableConcept?: CodeableConcept;
    medicationReference?: Reference;
    dosageInstruction?: { text?: string }[];
    identifier?: { system?: string; value?: string }[];
  })[];
  /** The re-visit appointment the doctor gave at this visit (a ServiceRequest, SNOMED 390906007). */
  followUp?: FhirResource & {
    occurrenceDateTime?: string;
    identifier?: { system?: string; value?: string }[];
    note?: { text?: string }[];
  };
  notes: (FhirResource & { summary?: string; description?: string })[];
  names: Map<string, string>;
}

export async function loadVisitSummary(encounterId: string): Promise<SummaryData> {
  const encounter = await fhir.read<SummaryData['encounter']>('Encounter', encounterId);
  const ref = `Encounter/${encounterId}`;
  const patientId = refId(encounter.subject, 'Patient');
  const [patient, conditions, medications, notes, requests] = await Promise.all([
    patientId ? fhir.read<SummaryData['patient']>('Patient', patientId).catch(() => undefined) : undefined,
    fhir.search<SummaryData['conditions'][number]>('Condition', { encounter: ref, _count: '100' }),
    fhir.search<SummaryData['medications'][number]>('MedicationRequest', { encounter: ref, _count: '100' }),
    fhir.search<SummaryData['notes'][number]>('ClinicalImpression', { encounter: ref, _count: '100' }),
    // The re-visit appointment; a token that may not read service requests still sees the rest.
    fhir
      .search<NonNullable<SummaryData['followUp']>>('ServiceRequest', {
        encounter: ref,
        code: `${FOLLOW_UP.system}|${FOLLOW_UP.code}`,
        _count: '10',
      })
      .catch(() => undefined),
  ]);
  const participants = ((encounter as { participant?: { individual?: Reference }[] }).participant ?? []).map(
    (p) => p.individual?.reference,
  );
  return {
    encounter,
    patient,
    conditions: resources(conditions),
    medications: resources(medications),
    notes: resources(notes),
    followUp: requests
      ? resources(requests).find((r) => r.status === 'active' || r.status === 'completed')
      : undefined,
    names: await loadNames(participants),
  };
}

const prescriptionCode = (m: SummaryData['medications'][number]): string | undefined =>
  m.identifier?.find((i) => i.system === E_PRESCRIPTION_CODE && i.value)?.value;

/** Print rules: only the summary on paper (no header, navigation, footer or buttons). */
const PRINT_STYLE = `
.visit-summary dl { display: grid; grid-template-columns: minmax(7em, max-content) 1fr; gap: 4px 12px; margin: 0; }
.visit-summary dt { font-weight: 600; }
.visit-summary dd { margin: 0; }
@media print {
  header.top, nav.nav, footer, .skip, .no-print { display: none !important; }
  body { background: #fff; color: #000; font-size: 12pt; }
  #root { max-width: none; padding: 0; }
  main { padding: 0; min-height: 0; }
  .visit-summary .card { border: none; padding: 0; margin: 8pt 0; }
  .visit-summary section { break-inside: avoid; }
  .visit-summary a { color: #000; text-decoration: none; }
}
`;

/** A print-friendly visit summary; the browser's print dialog saves it as PDF. */
export function VisitSummary({ encounterId, backTo }: { encounterId: string; backTo: string }) {
  const { t, i18n } = useTranslation('record');
  const state = useAsync(() => loadVisitSummary(encounterId), [encounterId]);
  const lang = i18n.language;
  return (
    <article className="visit-summary" aria-labelledby="visit-h">
      <style>{PRINT_STYLE}</style>
      <p className="no-print">
        <Link to={backTo}>{t('visit.back')}</Link>
      </p>
      <h1 id="visit-h">{t('visit.heading')}</h1>
      <AsyncView state={state}>
        {(d) => {
          const start = d.encounter.period?.start;
          const end = d.encounter.period?.end;
          const doctors = encounterDoctors(d.encounter, d.names);
          const cls = d.encounter.class?.code;
          const reason = (d.encounter.reasonCode ?? []).map(conceptText).filter(Boolean).join(', ');
          const none = <span>{t('visit.none')}</span>;
          const codes = d.medications.some((m) => prescriptionCode(m));
          const letter = d.followUp?.identifier?.find((i) => i.system === FOLLOW_UP_LETTER)?.value;
          return (
            <>
              <div className="no-print">
                <button type="button" onClick={() => window.print()}>
                  {t('visit.download')}
                </button>
                <p>{t('visit.printHint')}</p>
              </div>
              <section className="card" aria-labelledby="visit-info-h">
                <h2 id="visit-info-h" className="visually-hidden">
                  {t('visit.heading')}
                </h2>
                <dl>
                  <dt>{t('visit.patient')}</dt>
                  <dd>
                    {humanName(d.patient as Parameters<typeof humanName>[0]) || '—'}
                    {d.patient?.birthDate &&
                      ` (${t('born', { date: formatDate(d.patient.birthDate, lang) })})`}
                  </dd>
                  <dt>{t('visit.when')}</dt>
                  <dd>
                    {start ? formatDateTime(start, lang) : '—'}
                    {end && ` – ${formatTime(end, lang)}`} <small>({t('visit.timeZone')})</small>
                  </dd>
                  <dt>{t('visit.kind')}</dt>
                  <dd>
                    {t(
                      `visitClass.${cls && ['VR', 'AMB', 'HH', 'IMP', 'EMER'].includes(cls) ? cls : 'other'}`,
                    )}
                  </dd>
                  <dt>{t('visit.doctor')}</dt>
                  <dd>{doctors.length ? doctors.join(', ') : none}</dd>
                  <dt>{t('visit.reason')}</dt>
                  <dd>{reason || none}</dd>
                </dl>
              </section>
              <section className="card" aria-labelledby="visit-dx-h">
                <h2 id="visit-dx-h">{t('visit.diagnoses')}</h2>
                {d.conditions.length === 0 ? (
                  <p>{none}</p>
                ) : (
                  <ul>
                    {d.conditions.map((c) => {
                      const text = conceptText(c.code);
                      const code = conceptCode(c.code);
                      return (
                        <li key={c.id}>
                          {text || '—'}
                          {code && code !== text && ` (${t('codeLabel', { code })})`}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </section>
              <section className="card" aria-labelledby="visit-rx-h">
                <h2 id="visit-rx-h">{t('visit.prescriptions')}</h2>
                {d.medications.length === 0 ? (
                  <p>{none}</p>
                ) : (
                  <StackTable
                    columns={[
                      t('visit.medication'),
                      t('visit.dosage'),
                      ...(codes ? [t('visit.prescriptionCode')] : []),
                    ]}
                  >
                    {d.medications.map((m) => (
                      <StackRow key={m.id}>
                        <StackCell label={t('visit.medication')}>
                          {conceptText(m.medicationCodeableConcept) || m.medicationReference?.display || '—'}
                        </StackCell>
                        <StackCell label={t('visit.dosage')}>
                          {(m.dosageInstruction ?? [])
                            .map((x) => x.text)
                            .filter(Boolean)
                            .join('; ') || '—'}
                        </StackCell>
                        {codes && (
                          <StackCell label={t('visit.prescriptionCode')}>
                            <strong className="rx-code">{prescriptionCode(m) ?? '—'}</strong>
                          </StackCell>
                        )}
                      </StackRow>
                    ))}
                  </StackTable>
                )}
                {codes && <p>{t('visit.prescriptionCodeHint')}</p>}
              </section>
              {d.followUp && (
                <section className="card" aria-labelledby="visit-followup-h">
                  <h2 id="visit-followup-h">{t('visit.followUp')}</h2>
                  <p>
                    {d.followUp.occurrenceDateTime
                      ? formatDateTime(d.followUp.occurrenceDateTime, lang)
                      : '—'}{' '}
                    <small>({t('visit.timeZone')})</small>
                  </p>
                  {letter && <p>{t('visit.followUpLetter', { number: letter })}</p>}
                  {(d.followUp.note ?? []).map((n, i) => (n.text ? <p key={i}>{n.text}</p> : null))}
                </section>
              )}
              <section className="card" aria-labelledby="visit-notes-h">
                <h2 id="visit-notes-h">{t('visit.notes')}</h2>
                {d.notes.length === 0 ? (
                  <p>{none}</p>
                ) : (
                  d.notes.map((n) => (
                    <p key={n.id} style={{ whiteSpace: 'pre-wrap' }}>
                      {n.summary ?? n.description ?? ''}
                    </p>
                  ))
                )}
              </section>
              <p>
                <small>{t('visit.generated', { when: formatDateTime(new Date(), lang) })}</small>
              </p>
            </>
          );
        }}
      </AsyncView>
    </article>
  );
}
