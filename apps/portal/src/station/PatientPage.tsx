import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fhir, humanName, resources } from '../api';
import { formatDate, formatDateTime } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { Link } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { BookOnBehalf } from './BookOnBehalf';
import { maskCccd } from './identifiers';
import { addressOf, ageOf, bhytOf, cccdOf, type PatientLike, phoneOf } from './patient-view';
import { loadNames } from '../record/names';
import { Scale2Decision } from '../record/Scale2Decision';
import { VitalsForm } from './VitalsForm';
import './offline/messages';
import { keepPatient, keptPatient } from './offline/outbox';
import { ContactEdit } from './offline/ContactEdit';
import { PatientCases } from '../econsult/PatientCases';

interface AppointmentLike {
  resourceType: 'Appointment';
  id?: string;
  status?: string;
  start?: string;
  participant?: { actor?: { reference?: string; display?: string } }[];
}

const LIVE = ['booked', 'pending', 'arrived', 'checked-in'];

/** The appointment's doctor (its Practitioner participant). */
const doctorOf = (a: AppointmentLike) =>
  a.participant?.map((p) => p.actor).find((x) => x?.reference?.startsWith('Practitioner/'));

/**
 * The patient from the server, kept on this device when it is one of this station's own (readable
 * offline); without a link, the kept copy with its "as of" time (`asOf`).
 */
async function readPatient(id: string, claims: Claims): Promise<{ patient: PatientLike; asOf?: string }> {
  try {
    const patient = await fhir.read<PatientLike>('Patient', id);
    const own = (patient as { managingOrganization?: { reference?: string } }).managingOrganization
      ?.reference;
    if (own !== undefined && own === claims.organization)
      await keepPatient(claims.sub, patient).catch(() => undefined);
    return { patient };
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 0)) throw err;
    const kept = await keptPatient(claims.sub, id).catch(() => undefined);
    if (!kept) throw err;
    return { patient: kept.patient as PatientLike, asOf: kept.asOf };
  }
}

/** `/station/patient/:id`: who the patient is, their vitals, booking on their behalf, their visits. */
export function PatientPage({ id, claims, search }: { id: string; claims: Claims; search: string }) {
  const { t } = useTranslation('station');
  const { t: tOffline } = useTranslation('offline');
  const state = useAsync(() => readPatient(id, claims), [id]);
  const [visitsTick, setVisitsTick] = useState(0);
  const justRegistered = new URLSearchParams(search).has('registered');
  return (
    <>
      <p>
        <Link to="/station">{t('patient.back')}</Link>
      </p>
      <AsyncView state={state}>
        {({ patient, asOf }) => (
          <>
            {asOf && (
              <p role="status" className="pending" data-testid="as-of">
                {tOffline('asOf', { at: formatDateTime(asOf) })}
              </p>
            )}
            {justRegistered && (
              <p role="status" className="ok">
                {t('patient.registered')}
              </p>
            )}
            <Header patient={patient}>
              <ContactEdit patient={patient} />
            </Header>
            {/* The doctor's SpO2 Scale 2 decision, read-only for station staff, next to the vitals. */}
            {!asOf && (
              <Scale2Decision
                patientId={id}
                canEdit={claims.role === 'practitioner'}
                {...(claims.fhirUser ? { practitioner: claims.fhirUser } : {})}
              />
            )}
            <VitalsForm patientId={id} label={humanName(patient)} performer={claims.fhirUser} />
            {!asOf && <BookOnBehalf patientId={id} onBooked={() => setVisitsTick((n) => n + 1)} />}
            {!asOf && <UpcomingVisits patientId={id} tick={visitsTick} />}
            {!asOf && <PatientCases patientId={id} />}
          </>
        )}
      </AsyncView>
    </>
  );
}

function Header({ patient, children }: { patient: PatientLike; children?: ReactNode }) {
  const { t, i18n } = useTranslation('station');
  const [showCccd, setShowCccd] = useState(false);
  const age = ageOf(patient.birthDate);
  const cccd = cccdOf(patient);
  const bhyt = bhytOf(patient);
  const phone = phoneOf(patient);
  const address = addressOf(patient);
  const row = (label: string, value: ReactNode) => (
    <div>
      <dt style={{ display: 'inline', fontWeight: 600 }}>{label}: </dt>
      <dd style={{ display: 'inline', margin: 0 }}>{value}</dd>
    </div>
  );
  return (
    <section aria-labelledby="pt-h" className="card">
      <h1 id="pt-h" style={{ marginTop: 0 }}>
        {humanName(patient) || t('patient.noName')}
        {age && (
          <span style={{ fontWeight: 400, fontSize: '0.8em' }}>
            {' '}
            (
            {'years' in age
              ? t('patient.ageYears', { n: age.years })
              : t('patient.ageMonths', { n: age.months })}
            )
          </span>
        )}
      </h1>
      <dl>
        {patient.birthDate && row(t('patient.birthDate'), formatDate(patient.birthDate, i18n.language))}
        {patient.gender && row(t('patient.sex'), t(`gender.${patient.gender}`))}
        {cccd &&
          row(
            t('patient.cccd'),
            <>
              <span>{showCccd ? cccd : maskCccd(cccd)}</span>{' '}
              <button
                type="button"
                className="secondary"
                aria-pressed={showCccd}
                onClick={() => setShowCccd((s) => !s)}
              >
                {showCccd ? t('patient.hide') : t('patient.show')}
              </button>
            </>,
          )}
        {bhyt && row(t('patient.bhyt'), bhyt)}
        {phone && row(t('patient.phone'), <a href={`tel:${phone}`}>{phone}</a>)}
        {address && row(t('patient.address'), address)}
      </dl>
      <p>
        <Link to={`/record/${encodeURIComponent(patient.id ?? '')}`}>{t('patient.record')}</Link>
      </p>
      {children}
    </section>
  );
}

function UpcomingVisits({ patientId, tick }: { patientId: string; tick: number }) {
  const { t, i18n } = useTranslation('station');
  // From two hours ago: a visit that has just started can still be joined.
  // The doctor's name on each card (issue 18 item 17): from the reference's display, else looked up
  // in one Practitioner search for all the cards.
  const state = useAsync(async () => {
    const bundle = await fhir.search<AppointmentLike>('Appointment', {
      patient: `Patient/${patientId}`,
      date: `ge${new Date(Date.now() - 2 * 3600_000).toISOString()}`,
      status: LIVE.join(','),
      _sort: 'date',
      _count: '20',
    });
    const list = resources(bundle);
    const names = await loadNames(list.map((a) => doctorOf(a)?.reference));
    return { list, names };
  }, [patientId, tick]);
  return (
    <section aria-labelledby="visits-h" className="card">
      <h2 id="visits-h">{t('visits.heading')}</h2>
      <p>{t('visits.note')}</p>
      <AsyncView state={state}>
        {({ list, names }) => {
          if (list.length === 0) return <p>{t('visits.none')}</p>;
          return (
            <ul className="plain">
              {list.map((a) => {
                const doctor = doctorOf(a);
                const doctorName = doctor?.display || (doctor?.reference && names.get(doctor.reference));
                return (
                  <li key={a.id} className="card">
                    <p style={{ margin: 0 }}>
                      <strong>{formatDateTime(a.start, i18n.language)}</strong>
                      {a.status && LIVE.includes(a.status) && <> · {t(`visits.status.${a.status}`)}</>}
                    </p>
                    {doctorName && (
                      <p style={{ margin: 0 }} data-testid="visit-doctor">
                        {t('visits.with', { who: doctorName })}
                      </p>
                    )}
                    <p style={{ margin: '8px 0 0' }}>
                      <Link to={`/visit/${encodeURIComponent(a.id ?? '')}`}>{t('visits.join')}</Link>
                    </p>
                  </li>
                );
              })}
            </ul>
          );
        }}
      </AsyncView>
    </section>
  );
}
