import './messages';
import './offline.css';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { humanName } from '../../api';
import { Link } from '../../shell/router';
import { Field } from '../Field';
import { normalizePhone } from '../identifiers';
import { type PatientLike, phoneOf } from '../patient-view';
import { queueUpdate } from './queue';
import { useOutbox } from './use-outbox';

const lineOf = (p: PatientLike) => p.address?.[0]?.line?.[0] ?? '';

/**
 * Editing a patient's phone and address line, online or not: the change goes through the outbox as
 * a PUT with If-Match on the version shown, so a change made on the server meanwhile is a conflict
 * to resolve, never overwritten.
 */
export function ContactEdit({ patient }: { patient: PatientLike & { meta?: { versionId?: string } } }) {
  const { t } = useTranslation('offline');
  const { t: ts } = useTranslation('station');
  const { items } = useOutbox();
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState(phoneOf(patient) ?? '');
  const [line, setLine] = useState(lineOf(patient));
  const [tried, setTried] = useState(false);
  const [queued, setQueued] = useState<string>();
  const item = queued ? items?.find((i) => i.id === queued) : undefined;
  const badPhone = phone.trim() !== '' && !normalizePhone(phone);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (badPhone || !patient.meta?.versionId) return;
    const changes = {
      ...(phone.trim() !== (phoneOf(patient) ?? '') ? { phone } : {}),
      ...(line.trim() !== lineOf(patient) ? { line } : {}),
    };
    if (Object.keys(changes).length === 0) return setOpen(false);
    setQueued(await queueUpdate(patient, patient.meta.versionId, changes, humanName(patient)));
    setOpen(false);
  };

  return (
    <div>
      {item?.state === 'waiting' && (
        <p role="status" className="pending" data-testid="contact-state">
          {t('contact.waiting')}
        </p>
      )}
      {item?.state === 'sent' && (
        <p role="status" className="ok" data-testid="contact-state">
          {t('contact.sent')}
        </p>
      )}
      {(item?.state === 'conflict' || item?.state === 'refused') && (
        <p role="alert" className="error" data-testid="contact-state">
          {t('contact.conflict')} <Link to="/station/outbox">{t('banner.open')}</Link>
        </p>
      )}
      {!open ? (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {t('contact.edit')}
        </button>
      ) : (
        <form onSubmit={(e) => void save(e)} noValidate aria-labelledby="contact-h">
          <h2 id="contact-h">{t('contact.heading')}</h2>
          <Field
            id="contact-phone"
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            label={t('outbox.phone')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            error={tried && badPhone ? ts('register.badPhone') : undefined}
          />
          <Field
            id="contact-line"
            name="line"
            autoComplete="off"
            label={t('outbox.line')}
            value={line}
            onChange={(e) => setLine(e.target.value)}
          />
          <div className="outbox-actions">
            <button type="submit">{t('contact.save')}</button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              {t('contact.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
