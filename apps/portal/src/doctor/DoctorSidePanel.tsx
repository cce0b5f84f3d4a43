import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FhirResource, fhir } from '../api';
import { PatientSummary } from '../record/PatientSummary';
import { AsyncView, useAsync } from '../shell/async';
import { type Icd10Code, icd10Name } from './icd10';
import { Icd10Combobox } from './Icd10Combobox';
import './doctor.css';
import './messages';

interface AppointmentLike {
  participant?: { actor?: { reference?: string } }[];
}

/**
 * Sets an input React renders (controlled or not) the way typing would: the native value setter
 * (React tracks the value it set last) then a bubbling `input` event.
 */
export function setInputValue(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  if (setter) setter.call(input, value);
  else input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Fills the visit's end form (inputs `diagnosis` and `diagnosisName`); false if it is not shown yet. */
export function fillDiagnosis(code: string, name: string, root: ParentNode = document): boolean {
  const codeInput = root.querySelector<HTMLInputElement>('input[name=diagnosis]');
  if (!codeInput) return false;
  setInputValue(codeInput, code);
  const nameInput = root.querySelector<HTMLInputElement>('input[name=diagnosisName]');
  if (nameInput) setInputValue(nameInput, name);
  return true;
}

/** The ICD-10 picker: fills the end form's diagnosis, now or as soon as the form appears. */
function DiagnosisPicker({ patientId }: { patientId?: string }) {
  const { t, i18n } = useTranslation('doctor');
  const [picked, setPicked] = useState<{ code: Icd10Code; filled: boolean }>();
  const name = (c: Icd10Code): string => icd10Name(c, i18n.language);

  useEffect(() => {
    if (!picked || picked.filled) return;
    const observer = new MutationObserver(() => {
      if (fillDiagnosis(picked.code.code, name(picked.code))) setPicked({ ...picked, filled: true });
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  });

  return (
    <>
      <h3>{t('side.icdHeading')}</h3>
      <Icd10Combobox
        usage="primary-diagnosis"
        patientId={patientId}
        onSelect={(c) => setPicked({ code: c, filled: fillDiagnosis(c.code, name(c)) })}
      />
      {picked && (
        <p role="status" className={picked.filled ? 'ok' : undefined}>
          {t(picked.filled ? 'side.icdFilled' : 'side.icdPending', {
            code: picked.code.code,
            name: name(picked.code),
          })}
        </p>
      )}
    </>
  );
}

/** Beside the video, for the doctor: who the patient is, their summary, and the ICD-10 picker. */
export function DoctorSidePanel({ appointmentId }: { appointmentId: string }) {
  const { t } = useTranslation('doctor');
  const appointment = useAsync(async () => {
    const a = await fhir.read<AppointmentLike & FhirResource>('Appointment', appointmentId);
    const ref = a.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
    return { patientId: ref?.slice('Patient/'.length) ?? '' };
  }, [appointmentId]);

  return (
    <aside className="doctor-side card" aria-label={t('side.heading')}>
      <h2>{t('side.heading')}</h2>
      <AsyncView state={appointment}>
        {({ patientId }) =>
          patientId ? <PatientSummary patientId={patientId} /> : <p>{t('side.noPatient')}</p>
        }
      </AsyncView>
      <DiagnosisPicker patientId={appointment.data?.patientId || undefined} />
    </aside>
  );
}
