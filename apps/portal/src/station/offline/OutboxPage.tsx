import './messages';
import './offline.css';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fhir, humanName, resources } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { useErrorText } from '../../shell/async';
import { Link } from '../../shell/router';
import { CCCD_SYSTEM, maskCccd } from '../identifiers';
import { addressOf, type PatientLike, phoneOf } from '../patient-view';
import { applyContact } from './queue';
import { type OutboxItem, putItem, removeItem } from './outbox';
import { type SyncResult, syncOutbox } from './sync';
import { useOutbox } from './use-outbox';

/** `/station/outbox`: what this user captured on this device, its state, and what needs them. */
export function OutboxPage() {
  const { t } = useTranslation('offline');
  const { items } = useOutbox();
  const [sending, setSending] = useState(false);
  const [last, setLast] = useState<SyncResult>();
  const sendNow = () => {
    setSending(true);
    setLast(undefined);
    syncOutbox()
      .then(setLast, () => undefined)
      .finally(() => setSending(false));
  };
  const waiting = items?.some((i) => i.state === 'waiting') ?? false;
  return (
    <section aria-labelledby="outbox-h">
      <h1 id="outbox-h">{t('outbox.heading')}</h1>
      <p>{t('outbox.intro')}</p>
      {waiting && (
        <p>
          <button type="button" onClick={sendNow} disabled={sending}>
            {sending ? t('outbox.sending') : t('outbox.sendNow')}
          </button>
        </p>
      )}
      {last?.stopped && (
        <p role="status" className="pending">
          {last.stopped === 'offline'
            ? t('outbox.stoppedOffline')
            : last.stopped === 'signed-out'
              ? t('outbox.stoppedSignedOut')
              : t('outbox.stoppedLater')}
        </p>
      )}
      {items?.length === 0 && <p>{t('outbox.empty')}</p>}
      <ul className="plain">
        {items?.map((item) => (
          <li key={item.id}>
            <OutboxEntry item={item} all={items} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function OutboxEntry({ item, all }: { item: OutboxItem; all: OutboxItem[] }) {
  const { t } = useTranslation('offline');
  const errorText = useErrorText();
  const registration =
    item.patient && 'queued' in item.patient
      ? all.find((i) => i.id === (item.patient as { queued: string }).queued)
      : undefined;
  const waitsFor = item.state === 'waiting' && registration !== undefined && !registration.serverId;
  const triage = item.triage ? all.find((i) => i.id === item.triage) : undefined;
  const waitsForTriage = item.state === 'waiting' && triage !== undefined && !triage.result;
  const patientLink =
    item.kind === 'register'
      ? item.serverId
        ? `/station/patient/${encodeURIComponent(item.serverId)}`
        : `/station/queued/${encodeURIComponent(item.id)}`
      : item.patient && 'id' in item.patient
        ? `/station/patient/${encodeURIComponent(item.patient.id)}`
        : registration?.serverId
          ? `/station/patient/${encodeURIComponent(registration.serverId)}`
          : registration
            ? `/station/queued/${encodeURIComponent(registration.id)}`
            : undefined;
  // A registration not on the server takes the vitals waiting for it along (they could never go).
  const dependents =
    item.kind === 'register' && !item.serverId
      ? all.filter((i) => i.patient && 'queued' in i.patient && i.patient.queued === item.id)
      : [];
  const remove = () => {
    const question = dependents.length > 0 ? t('outbox.confirmRemoveWithVitals') : t('outbox.confirmRemove');
    if (item.state !== 'sent' && !window.confirm(question)) return;
    void Promise.all([item, ...dependents].map((i) => removeItem(i.id)));
  };
  const cls =
    item.state === 'conflict' || item.state === 'refused'
      ? 'error'
      : item.state === 'sent'
        ? 'ok'
        : 'pending';
  return (
    <article className={`card outbox-item`} data-testid="outbox-item" data-state={item.state}>
      <h3>
        {t(`outbox.kind.${item.kind}`)}: {item.label}
      </h3>
      <p className={cls}>
        <span className="outbox-state">{t(`outbox.state.${item.state}`)}</span>
        {item.state === 'sent' && item.syncedAt && (
          <> · {t('outbox.synced', { at: formatDateTime(item.syncedAt) })}</>
        )}
      </p>
      <p>{t('outbox.captured', { at: formatDateTime(item.capturedAt) })}</p>
      {item.resolved && <p>{t('outbox.resolved')}</p>}
      {waitsFor && <p>{t('outbox.waitsFor')}</p>}
      {waitsForTriage && <p>{t('outbox.bookingWaitsTriage')}</p>}
      {item.kind === 'triage' && item.state === 'sent' && (
        <p data-testid="outbox-result" role={item.result?.level === 'emergency' ? 'alert' : undefined}>
          {item.result?.level
            ? t('outbox.triageLevel', { level: t(`outbox.level.${item.result.level}`) })
            : t('outbox.triageNoLevel')}
          {item.result?.level === 'emergency' && (
            <>
              {' '}
              <strong>{t('outbox.triageEmergency')}</strong> <a href="tel:115">115</a>
            </>
          )}
        </p>
      )}
      {item.kind === 'booking' && item.state === 'sent' && item.result && (
        <p data-testid="outbox-result">
          {t('outbox.bookingDone', { at: formatDateTime(String(item.resources[0]?.start ?? '')) })}
        </p>
      )}
      {item.state === 'refused' && item.kind === 'booking' && item.refusal?.status === 409 && (
        <p data-testid="outbox-reason">{t('outbox.slotTaken')}</p>
      )}
      {item.state === 'refused' &&
        item.refusal &&
        !(item.kind === 'booking' && item.refusal.status === 409) && (
          <p data-testid="outbox-reason">
            {t('outbox.reason', {
              reason: errorText(new ApiError(item.refusal.status, item.refusal.message, item.refusal.body)),
            })}
          </p>
        )}
      {item.state === 'conflict' && item.conflict?.kind === 'changed' && <ChangedConflict item={item} />}
      {item.state === 'conflict' && item.conflict?.kind === 'cccd' && (
        <CccdConflict item={item} cccd={item.conflict.cccd} />
      )}
      <div className="outbox-actions">
        {patientLink && <Link to={patientLink}>{t('outbox.openPatient')}</Link>}
        {item.state !== 'waiting' && item.conflict?.kind !== 'changed' && (
          <button type="button" className="secondary" onClick={remove}>
            {t('outbox.remove')}
          </button>
        )}
      </div>
    </article>
  );
}

/**
 * A queued registration whose CCCD the server already holds: never merged silently. The nurse
 * looks at the existing patient and either uses that record (the waiting vitals then go to it) or
 * removes the registration.
 */
function CccdConflict({ item, cccd }: { item: OutboxItem; cccd: string }) {
  const { t, i18n } = useTranslation('offline');
  const errorText = useErrorText();
  const [existing, setExisting] = useState<PatientLike | null>();
  const [error, setError] = useState<string>();
  const find = () => {
    setError(undefined);
    fhir
      .searchByPost<PatientLike>('Patient', { identifier: `${CCCD_SYSTEM}|${cccd}`, _count: '1' })
      .then((b) => setExisting(resources(b)[0] ?? null))
      .catch((err: unknown) => setError(errorText(err)));
  };
  const choose = (id: string) => {
    void putItem({
      ...item,
      state: 'sent',
      resolved: true,
      serverId: id,
      syncedAt: new Date().toISOString(),
      conflict: undefined,
    }).then(() => syncOutbox().catch(() => undefined));
  };
  return (
    <div data-testid="outbox-conflict">
      <p>{t('outbox.cccdConflict', { cccd: maskCccd(cccd) })}</p>
      {existing === undefined && (
        <p>
          <button type="button" onClick={find}>
            {t('outbox.findExisting')}
          </button>
        </p>
      )}
      {existing === null && <p>{t('outbox.existingNotFound')}</p>}
      {existing && (
        <>
          <p>
            {t('outbox.existingIs', {
              name: humanName(existing),
              birthDate: formatDate(existing.birthDate, i18n.language),
            })}
          </p>
          <p>
            <button type="button" onClick={() => existing.id && choose(existing.id)}>
              {t('outbox.useExisting')}
            </button>
          </p>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * An edit whose record changed on the server meanwhile (412 on If-Match): the user sees both and
 * either writes their change onto the server's new version or keeps the server's.
 */
function ChangedConflict({ item }: { item: OutboxItem }) {
  const { t } = useTranslation('offline');
  const errorText = useErrorText();
  const [server, setServer] = useState<PatientLike & { meta?: { versionId?: string } }>();
  const [error, setError] = useState<string>();
  const id = item.patient && 'id' in item.patient ? item.patient.id : '';
  const show = () => {
    setError(undefined);
    fhir
      .read<PatientLike & { meta?: { versionId?: string } }>('Patient', id)
      .then(setServer)
      .catch((err: unknown) => setError(errorText(err)));
  };
  const applyMine = () => {
    if (!server?.meta?.versionId || !item.changes) return;
    void putItem({
      ...item,
      state: 'waiting',
      conflict: undefined,
      refusal: undefined,
      baseVersion: server.meta.versionId,
      resources: [applyContact(server, item.changes)],
    }).then(() => syncOutbox().catch(() => undefined));
  };
  const value = (v: string | undefined) => (v ? v : t('outbox.blank'));
  const changes = item.changes ?? {};
  return (
    <div data-testid="outbox-changed">
      <p>{t('outbox.changedConflict')}</p>
      <p>
        <strong>{t('outbox.yourChange')}:</strong>{' '}
        {[
          changes.phone !== undefined ? `${t('outbox.phone')}: ${value(changes.phone)}` : '',
          changes.line !== undefined ? `${t('outbox.line')}: ${value(changes.line)}` : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {!server && (
        <p>
          <button type="button" onClick={show}>
            {t('outbox.showServer')}
          </button>
        </p>
      )}
      {server && (
        <>
          <p data-testid="outbox-server-now">
            <strong>{t('outbox.serverNow')}:</strong> {t('outbox.phone')}: {value(phoneOf(server))} ·{' '}
            {t('outbox.line')}: {value(addressOf(server))}
          </p>
          <div className="outbox-actions">
            <button type="button" onClick={applyMine}>
              {t('outbox.applyMine')}
            </button>
            <button type="button" className="secondary" onClick={() => void removeItem(item.id)}>
              {t('outbox.keepServer')}
            </button>
          </div>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
