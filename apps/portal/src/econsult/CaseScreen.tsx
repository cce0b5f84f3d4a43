import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ECONSULT_REPLY_KINDS,
  type EconsultDocument,
  type EconsultReplyKind,
} from '../../../../libs/contracts/src';
import '../booking/messages';
import { formatDateTime } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { Link } from '../shell/router';
import type { Claims } from '../shell/session-store';
import { SelectField } from '../station/Field';
import {
  claimCase,
  dataUrlOf,
  documentBlob,
  type EconsultCaseView,
  getCase,
  replyCase,
} from './econsult-api';
import { CaseState } from './PatientCases';
import './messages';
import { valueText, vitalName } from './vitals-text';

/** A photo of the case, fetched with the bearer token and shown as a `data:` image. */
function Photo({ caseId, doc }: { caseId: string; doc: EconsultDocument }) {
  const { t } = useTranslation('econsult');
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    documentBlob(caseId, doc.id)
      .then(dataUrlOf)
      .then((url) => live && setSrc(url))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [caseId, doc.id]);
  return src ? (
    <img
      src={src}
      alt={t('case.photoAlt', { name: doc.title })}
      style={{ maxWidth: '100%', maxHeight: 360, display: 'block' }}
      data-testid="econsult-photo"
    />
  ) : null;
}

/** Saves a document under its name (the bytes need the bearer token: fetched, then a blob link). */
async function download(caseId: string, doc: EconsultDocument): Promise<void> {
  const blob = await documentBlob(caseId, doc.id);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = doc.title;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ReplyForm({ c, onDone }: { c: EconsultCaseView; onDone: (v: EconsultCaseView) => void }) {
  const { t } = useTranslation('econsult');
  const errorText = useErrorText();
  const [kind, setKind] = useState<EconsultReplyKind>('advice');
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setError(t('case.replyErrors.text'));
      document.getElementById('econsult-reply-text')?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      onDone(await replyCase(c.id, { kind, text: text.trim() }));
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="econsult-reply-h" className="card">
      <h2 id="econsult-reply-h">{t('case.reply')}</h2>
      <SelectField
        id="econsult-reply-kind"
        label={t('case.replyKind')}
        value={kind}
        onChange={(e) => setKind(e.target.value as EconsultReplyKind)}
      >
        {ECONSULT_REPLY_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <div>
        <label htmlFor="econsult-reply-text">{t('case.replyText')}</label>
        <textarea
          id="econsult-reply-text"
          rows={5}
          maxLength={4000}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby="econsult-reply-text-error"
          onChange={(e) => setText(e.target.value)}
        />
        <p id="econsult-reply-text-error" className="field-error" aria-live="polite">
          {error}
        </p>
      </div>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('case.replySend')}
      </button>
    </form>
  );
}

/** `/doctor/econsult/:id`: the case (question, vitals, photos, documents), take it, reply. */
export function CaseScreen({ id, claims }: { id: string; claims: Claims }) {
  const { t, i18n } = useTranslation('econsult');
  const errorText = useErrorText();
  const state = useAsync(() => getCase(id), [id]);
  const [view, setView] = useState<EconsultCaseView>();
  const [note, setNote] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const take = async () => {
    setFailure(undefined);
    try {
      setView(await claimCase(id));
      setNote(t('case.taken'));
    } catch (err) {
      setFailure(errorText(err));
    }
  };
  return (
    <>
      <p>
        <Link to="/doctor/econsult">{t('case.back')}</Link>
      </p>
      <AsyncView state={state}>
        {(loaded) => {
          const c = view ?? loaded;
          const mine = c.assignee !== undefined && c.assignee === claims.fhirUser;
          const photos = c.documents.filter((d) => d.contentType.startsWith('image/'));
          return (
            <article aria-labelledby="econsult-case-h" data-testid="econsult-case-screen">
              <h1 id="econsult-case-h">
                {t('case.heading', { name: c.patient.name ?? t('worklist.noName') })}
              </h1>
              <ul className="plain">
                <CaseState c={c} />
              </ul>
              <p>
                {t('case.from', {
                  facility: c.names[c.senderOrg] ?? '',
                  who: c.names[c.sender] ?? '',
                  at: formatDateTime(c.createdAt),
                })}
              </p>
              {c.triage && <p>{t('case.triage', { level: t(`case.triageLevel.${c.triage}`) })}</p>}
              <section aria-labelledby="econsult-vitals-h" className="card">
                <h2 id="econsult-vitals-h">{t('case.vitals')}</h2>
                {c.news2 !== undefined && <p>NEWS2 = {c.news2}</p>}
                {(c.vitals ?? []).length === 0 ? (
                  <p>{t('case.vitalsNone')}</p>
                ) : (
                  <ul data-testid="econsult-case-vitals">
                    {(c.vitals ?? []).map((v) => (
                      <li key={v.id}>
                        {vitalName(t, v.code, v.display)}: {valueText(v.value, i18n.language)}
                        {v.at && <small> ({formatDateTime(v.at)})</small>}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="econsult-docs-h" className="card">
                <h2 id="econsult-docs-h">{t('case.documents')}</h2>
                {c.documents.length === 0 && <p>{t('case.documentsNone')}</p>}
                {photos.map((d) => (
                  <Photo key={d.id} caseId={c.id} doc={d} />
                ))}
                <ul className="plain">
                  {c.documents.map((d) => (
                    <li key={d.id}>
                      <button type="button" className="secondary" onClick={() => void download(c.id, d)}>
                        {t('case.download', { name: d.title })}
                      </button>{' '}
                      <small>{Math.ceil(d.size / 1024)} KB</small>
                    </li>
                  ))}
                </ul>
              </section>
              {note && (
                <p role="status" className="ok">
                  {note}
                </p>
              )}
              {failure && (
                <p role="alert" className="error">
                  {failure}
                </p>
              )}
              {c.status === 'requested' && (
                <p>
                  <button type="button" onClick={() => void take()}>
                    {t('case.take')}
                  </button>
                </p>
              )}
              {c.status !== 'completed' && (c.status === 'requested' || mine) && (
                <ReplyForm
                  c={c}
                  onDone={(v) => {
                    setView(v);
                    setNote(t('case.replied'));
                  }}
                />
              )}
            </article>
          );
        }}
      </AsyncView>
    </>
  );
}
