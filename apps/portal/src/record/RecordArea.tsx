import { type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { match } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { AuditView } from './AuditView';
import './messages';
import { RecordView } from './RecordView';
import { Scale2Decision } from './Scale2Decision';
import { SharingView } from './SharingView';
import { VisitSummary } from './VisitSummary';

/** Where "back" goes from a visit summary: the record it was opened from (only /record paths). */
function backTarget(path: string): string {
  const from = new URLSearchParams(path.split('?')[1] ?? '').get('from');
  return from && /^\/record(\/[^/?#]*)?$/.test(from) ? from : '/record';
}

/**
 * The health record: `/record` (a patient's own, or a child's with a child-context token),
 * `/record/:patientId` (a clinician), `/record/visit/:encounterId` (printable visit summary),
 * `/record/audit` (who viewed my record) and `/record/sharing` (consents).
 */
export default function RecordArea({ path, claims }: { path: string; claims: Claims }) {
  const { t } = useTranslation('record');
  const own = claims.role === 'patient' ? claims.patient : undefined;
  const ownOnly = (view: (patientId: string) => ReactNode) => {
    if (claims.role !== 'patient') return <p role="alert">{t('patientsOnly')}</p>;
    if (!own) return <p role="alert">{t('noPatient')}</p>;
    return view(own);
  };

  if (match('/record/audit', path)) return ownOnly((id) => <AuditView patientId={id} />);
  if (match('/record/sharing', path)) return ownOnly((id) => <SharingView patientId={id} />);
  const visit = match('/record/visit/:encounterId', path);
  if (visit) return <VisitSummary encounterId={visit.encounterId as string} backTo={backTarget(path)} />;
  const other = match('/record/:patientId', path);
  if (other) {
    const id = other.patientId as string;
    return (
      <>
        {/* A practitioner sets and ends the NEWS2 SpO2 Scale 2 decision on the patient's record. */}
        {(claims.role === 'practitioner' || claims.role === 'clinic-staff') && (
          <Scale2Decision
            key={`scale2-${id}`}
            patientId={id}
            canEdit={claims.role === 'practitioner'}
            {...(claims.fhirUser ? { practitioner: claims.fhirUser } : {})}
          />
        )}
        <RecordView
          key={id}
          patientId={id}
          backTo={`/record/${encodeURIComponent(id)}`}
          audience={claims.role === 'patient' ? 'patient' : 'clinician'}
        />
      </>
    );
  }
  if (match('/record', path)) {
    if (own) return <RecordView key={own} patientId={own} backTo="/record" />;
    return <p role="alert">{claims.role === 'patient' ? t('noPatient') : t('clinicianPick')}</p>;
  }
  return <p role="alert">{t('notFoundPage', { ns: 'common' })}</p>;
}
