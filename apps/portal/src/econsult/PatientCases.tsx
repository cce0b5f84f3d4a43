import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../booking/messages';
import { formatDateTime } from '../format';
import { AsyncView, useAsync } from '../shell/async';
import { type EconsultCaseView, getCase, listCases } from './econsult-api';
import './econsult.css';
import './messages';
import { SendCase } from './SendCase';

/** The patient's cases (newest five), each read for its names and reply. */
async function casesOf(patientId: string): Promise<EconsultCaseView[]> {
  const mine = (await listCases()).filter((c) => c.patientId === patientId).slice(0, 5);
  return Promise.all(mine.map((c) => getCase(c.id)));
}

/** One case's state as the station sees it: waiting, taken by whom, or the reply. */
export function CaseState({ c }: { c: EconsultCaseView }) {
  const { t } = useTranslation('econsult');
  const { t: tb } = useTranslation('booking');
  const assignee = c.assignee ? c.names[c.assignee] : undefined;
  const by = c.reply?.by ? (c.names[c.reply.by] ?? '') : '';
  return (
    <li className="card" data-testid="econsult-case" data-status={c.status}>
      <p style={{ margin: 0 }}>
        <strong>{tb(`specialties.${c.specialty}`, { defaultValue: c.specialty })}</strong> ·{' '}
        <span className={`econsult-priority econsult-priority-${c.priority}`}>
          {t(`priority.${c.priority}`)}
        </span>{' '}
        ·{' '}
        <span data-testid="econsult-status">
          {c.status === 'requested'
            ? t('status.requested')
            : c.status === 'assigned'
              ? assignee
                ? t('status.assigned', { who: assignee })
                : t('status.assignedNoName')
              : t('status.completed')}
        </span>
      </p>
      <p style={{ margin: 0 }}>
        {t('status.sentAt', { at: formatDateTime(c.createdAt) })}
        {c.status !== 'completed' && <> · {t('status.dueAt', { at: formatDateTime(c.dueAt) })}</>}
      </p>
      {c.escalations > 0 && c.status !== 'completed' && <p style={{ margin: 0 }}>{t('status.escalated')}</p>}
      {c.question && <p style={{ margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>{c.question}</p>}
      {c.reply && (
        <div data-testid="econsult-reply" style={{ marginTop: 8 }}>
          <p style={{ margin: 0, fontWeight: 600 }}>
            {t('status.reply', {
              who: by,
              kind: c.reply.kind ? t(`kind.${c.reply.kind}`, { defaultValue: c.reply.kind }) : '',
            })}
          </p>
          <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{c.reply.text}</p>
          {c.reply.at && <small>{formatDateTime(c.reply.at)}</small>}
        </div>
      )}
    </li>
  );
}

/**
 * On a patient's page at the station: the e-consultations sent for them (status, reply) and the
 * "send to a specialist" form.
 */
export function PatientCases({ patientId }: { patientId: string }) {
  const { t } = useTranslation('econsult');
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const state = useAsync(() => casesOf(patientId), [patientId, tick]);
  return (
    <section aria-labelledby="econsult-h" className="card" data-testid="econsult-panel">
      <h2 id="econsult-h">{t('status.heading')}</h2>
      {sent && (
        <p role="status" className="ok">
          {t('send.sent')}
        </p>
      )}
      <AsyncView state={state}>
        {(list) =>
          list.length === 0 ? (
            <p>{t('status.none')}</p>
          ) : (
            <ul className="plain">
              {list.map((c) => (
                <CaseState key={c.id} c={c} />
              ))}
            </ul>
          )
        }
      </AsyncView>
      {open ? (
        <SendCase
          patientId={patientId}
          onClose={() => setOpen(false)}
          onSent={() => {
            setOpen(false);
            setSent(true);
            setTick((n) => n + 1);
          }}
        />
      ) : (
        <p>
          <button
            type="button"
            onClick={() => {
              setSent(false);
              setOpen(true);
            }}
          >
            {t('send.open')}
          </button>
        </p>
      )}
    </section>
  );
}
