import { type FormEvent, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { DoctorSidePanel } from '../doctor/DoctorSidePanel';
import { isoWeekday } from '../doctor/week';
import { formatDate, formatTime } from '../format';
import { useAsync } from '../shell/async';
import { localHalf } from '../shell/error-codes';
import { Link } from '../shell/router';
import { session as auth } from '../shell/session-store';
import { SignIn } from '../shell/SignIn';
import { type Colleague, ColleagueSearch } from './ColleagueSearch';
import { DrugCombobox } from './DrugCombobox';
import { EPrescriptionStatus } from './EPrescriptionStatus';
import {
  emptyFollowUp,
  FOLLOW_UP_MAX_DAYS,
  type FollowUpDraft,
  followUpAt,
  type FollowUpProblem,
  followUpProblem,
  isBlankFollowUp,
} from './follow-up';
import { fullName, loadPatientIdentity } from './patient-identity';
import { PatientBanner } from './PatientBanner';
import {
  type DraftProblem,
  draftProblems,
  emptyDraft,
  isBlank,
  MAX_DAYS,
  MAX_DAYS_APPENDIX_VII,
  type PrescriptionDraft,
  toPrescription,
  UNITS,
} from './prescription';
import './visit.css';
import { type SessionView, VisitSession, type VisitStats } from './visit-session';

declare global {
  interface Window {
    /** Read-only hooks for the device check and automated tests: what this page decodes. */
    mekongVisit?: {
      stats: () => Promise<VisitStats>;
      people: () => SessionView['people'];
      phase: () => string;
      speaker: () => string | undefined;
      mediaStarts: () => number;
      remotes: () => number;
    };
  }
}

function VideoTile({
  stream,
  label,
  muted,
  speaking,
  status,
  onHeight,
}: {
  stream: MediaStream;
  label: string;
  muted?: boolean;
  speaking?: boolean;
  /** What the sender turned off ("camera off", "muted"), shown under the picture. */
  status?: string;
  /** Told the video's rendered height (CSS pixels) whenever it changes: the layer to ask for. */
  onHeight?: (height: number) => void;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  const heightTo = useRef(onHeight);
  heightTo.current = onHeight;
  useEffect(() => {
    const video = ref.current;
    if (!video || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) heightTo.current?.(Math.round(entry.contentRect.height));
    });
    observer.observe(video);
    return () => observer.disconnect();
  }, []);
  return (
    <figure style={{ margin: 0, flex: '1 1 280px', maxWidth: '100%' }}>
      <video
        ref={ref}
        autoPlay
        playsInline
        muted={muted}
        style={{
          width: '100%',
          background: '#111',
          borderRadius: 8,
          outline: speaking ? '3px solid #2e7d32' : 'none',
        }}
        aria-label={label}
      />
      <figcaption>
        {label}
        {status && <span data-testid="remote-off"> — {status}</span>}
      </figcaption>
    </figure>
  );
}

/** An invitation link `/visit/<id>#join=<token>`: a guest joins without an account. */
const joinTokenFromLink = (): string | undefined =>
  /^#join=([A-Za-z0-9_-]{16,128})$/.exec(window.location.hash)?.[1];

export function Visit({ appointmentId }: { appointmentId: string }) {
  const { t, i18n } = useTranslation('visit');
  const [joinToken] = useState(joinTokenFromLink);
  // The session's token: the shell's sign-in (below) stores it and this page follows.
  const token = useSyncExternalStore(
    (l) => auth.subscribe(l),
    () => auth.token,
  );
  const [inviteLink, setInviteLink] = useState<string>();
  const [inviteError, setInviteError] = useState<string>();
  const [view, setView] = useState<SessionView>();
  const session = useRef<VisitSession | undefined>(undefined);
  const [draft, setDraft] = useState('');
  const [uploadError, setUploadError] = useState<string>();
  /**
   * Why the visit is not ended: what to correct in the form (message keys: the prescription, the
   * re-visit), or the server's message (shown in the page's language).
   */
  const [endError, setEndError] = useState<{ fix: string[] } | { server: string }>();
  /** The end form's prescription, kept in state: a refusal (here or by the server) loses nothing. */
  const [rx, setRx] = useState<PrescriptionDraft>(emptyDraft);
  const [rxProblems, setRxProblems] = useState<DraftProblem[]>([]);
  /** The re-visit appointment ("hẹn khám lại"), Vietnam time; kept in state like the prescription. */
  const [followUp, setFollowUp] = useState<FollowUpDraft>(emptyFollowUp);
  const [followUpIssue, setFollowUpIssue] = useState<FollowUpProblem>();
  /** The ended visit's re-visit, shown in its summary. */
  const [endedFollowUp, setEndedFollowUp] = useState<FollowUpDraft>();
  const [ending, setEnding] = useState(false);
  /** `Encounter/<id>` of the ended visit, when it carried a prescription (its national status). */
  const [rxEncounter, setRxEncounter] = useState<string>();
  /** The waiting participant whose "Decline" awaits confirmation. */
  const [declining, setDeclining] = useState<string>();
  const [colleague, setColleague] = useState<Colleague>();
  const host = view?.role === 'host';
  // The doctor sees who the patient is (the appointment lets them read the record).
  const identity = useAsync(
    () => (host ? loadPatientIdentity(appointmentId) : Promise.resolve(undefined)),
    [appointmentId, host],
  );

  // The session lives as long as the user is signed in: a refreshed token (every 15 minutes) is
  // fetched by the session itself when it reconnects, not a reason to start the visit over.
  const signedIn = token !== null;
  useEffect(() => {
    if (!signedIn && !joinToken) return;
    const s = new VisitSession(
      appointmentId,
      joinToken ? { joinToken } : { token: () => auth.accessToken() },
      (v) => setView({ ...v }),
    );
    session.current = s;
    window.mekongVisit = {
      stats: () => s.stats(),
      phase: () => s.view.phase,
      speaker: () => s.view.speaker,
      mediaStarts: () => s.view.mediaStarts,
      people: () => s.view.people,
      remotes: () => s.view.remotes.length,
    };
    return () => s.close();
  }, [appointmentId, signedIn, joinToken]);

  if (!token && !joinToken) return <SignIn />;
  if (!view) return <p>{t('connecting')}</p>;
  const s = session.current as VisitSession;

  const personLabel = (p?: { role: string; actor: string; name?: string }): string =>
    p ? `${t(`roles.${p.role}`, { defaultValue: t('remote') })}${p.name ? ` — ${p.name}` : ''}` : t('remote');

  const offLabel = (off?: { camera?: boolean; mic?: boolean }): string | undefined =>
    [off?.camera ? t('cameraIsOff') : '', off?.mic ? t('micIsOff') : ''].filter(Boolean).join(', ') ||
    undefined;

  const endVisit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (ending) return;
    const f = new FormData(e.currentTarget);
    const code = String(f.get('diagnosis') ?? '').trim();
    // Said here, not lost: the visit stays open until what was entered can be written.
    const problems = isBlank(rx) ? [] : draftProblems(rx, code);
    const revisit = followUpProblem(followUp);
    setRxProblems(problems);
    setFollowUpIssue(revisit);
    if (problems.length > 0 || revisit) {
      setEndError({
        fix: [...(problems.length > 0 ? ['rx.fix'] : []), ...(revisit ? ['followUp.fix'] : [])],
      });
      document
        .getElementById(problems.length > 0 ? `rx-${problems[0]!.field}` : `follow-up-${revisit!.field}`)
        ?.focus();
      return;
    }
    setEndError(undefined);
    setEnding(true);
    const prescriptions = isBlank(rx) ? [] : [toPrescription(rx)];
    const at = followUpAt(followUp);
    s.end({
      notes: String(f.get('notes') ?? ''),
      diagnoses: code ? [{ code, display: String(f.get('diagnosisName') ?? '') || undefined }] : [],
      prescriptions,
      // Vietnam time with its offset (+07:00), whatever the device's zone.
      ...(at ? { followUp: { at } } : {}),
    }).then(
      (encounter) => {
        if (encounter && prescriptions.length > 0) setRxEncounter(encounter);
        if (encounter && at) setEndedFollowUp(followUp);
      },
      (err: unknown) => {
        setEnding(false);
        setEndError({ server: err instanceof Error ? err.message : String(err) });
      },
    );
  };

  const rxProblem = (field: DraftProblem['field']): DraftProblem | undefined =>
    rxProblems.find((p) => p.field === field);
  const rxField = (field: DraftProblem['field']) => {
    const problem = rxProblem(field);
    return {
      id: `rx-${field}`,
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': problem ? `rx-${field}-error` : undefined,
    };
  };
  const rxError = (field: DraftProblem['field']) => {
    const problem = rxProblem(field);
    return (
      problem && (
        <span
          id={`rx-${field}-error`}
          data-testid={`rx-${field}-error`}
          style={{ display: 'block', color: '#b3261e', fontWeight: 600 }}
        >
          {t(problem.key, problem.values)}
        </span>
      )
    );
  };
  const setRxField = (field: keyof Omit<PrescriptionDraft, 'drug'>, value: string): void => {
    setRx((d) => ({ ...d, [field]: value }));
    setRxProblems((ps) => ps.filter((p) => p.field !== field));
  };
  /**
   * The re-visit in words, from the portal and not the browser: a date input shows the device's
   * format (an English-language phone writes 01/06/2027 for 6 January), so the doctor reads the
   * day as it will be sent: "08:00, Thứ Tư 06/01/2027".
   */
  const followUpWhen = (d: FollowUpDraft) => ({
    time: d.time.slice(0, 5),
    weekday: t(`followUp.weekdays.${isoWeekday(d.date)}`),
    date: formatDate(d.date, i18n.language),
  });
  const followUpField = (field: FollowUpProblem['field']) => ({
    id: `follow-up-${field}`,
    value: followUp[field],
    onChange: (e: { target: { value: string } }) => {
      setFollowUp((d) => ({ ...d, [field]: e.target.value }));
      setFollowUpIssue(undefined);
    },
    'aria-invalid': followUpIssue?.field === field ? true : undefined,
    'aria-describedby':
      followUpIssue?.field === field ? 'follow-up-error' : 'follow-up-preview follow-up-hint',
  });

  return (
    <section aria-labelledby="visit-heading" className={host ? 'visit visit-host' : 'visit'}>
      <h1 id="visit-heading">{t('heading')}</h1>
      {view.role === 'host' && <PatientBanner state={identity} />}
      {view.phase === 'connecting' && <p>{t('connecting')}</p>}
      {view.reconnecting && (
        <p role="alert" data-testid="reconnecting">
          {t('reconnecting')}
        </p>
      )}
      {view.phase === 'waiting' && (
        <p data-testid="waiting" role="status">
          {t('waiting')}
        </p>
      )}
      {view.noDevices && ['waiting', 'in-call'].includes(view.phase) && (
        <p role="alert" data-testid="no-devices">
          {t('noDevices')}
        </p>
      )}
      {view.phase === 'waiting' && (
        <div data-testid="preview">
          {view.local && (
            <div style={{ maxWidth: 320 }}>
              <VideoTile stream={view.local} label={t('preview')} muted />
            </div>
          )}
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '8px 0' }}>
            <button type="button" aria-pressed={view.muted} onClick={() => void s.toggleMute()}>
              {view.muted ? t('unmute') : t('mute')}
            </button>
            <button type="button" aria-pressed={view.cameraOff} onClick={() => void s.toggleCamera()}>
              {view.cameraOff ? t('cameraOn') : t('cameraOff')}
            </button>
            <button type="button" onClick={() => void s.leave()}>
              {t('leave')}
            </button>
          </div>
        </div>
      )}
      {view.phase === 'declined' && <p role="status">{t('declined')}</p>}
      {view.phase === 'ended' && (
        <p data-testid="ended" role="status">
          {t('ended')}
        </p>
      )}
      {view.phase === 'ended' && host && endedFollowUp && (
        <p data-testid="follow-up-summary">{t('followUp.summary', followUpWhen(endedFollowUp))}</p>
      )}
      {view.phase === 'ended' && host && rxEncounter && <EPrescriptionStatus encounter={rxEncounter} />}
      {view.phase === 'left' && <p role="status">{t('left')}</p>}
      {view.phase === 'error' && (
        <div role="alert" data-testid="visit-error">
          <p>
            {view.errorCode !== undefined && i18n.exists(`joinErrors.${view.errorCode}`, { ns: 'visit' })
              ? t(`joinErrors.${view.errorCode}`)
              : localHalf(view.error ?? '', i18n.language)}
          </p>
          {view.errorCode !== undefined && auth.claims?.role === 'patient' && (
            <p>
              <Link to="/appointments">{t('backToAppointments')}</Link>
            </p>
          )}
          <button type="button" onClick={() => window.location.reload()}>
            {t('retry')}
          </button>
        </div>
      )}

      {view.role === 'host' && <DoctorSidePanel appointmentId={appointmentId} />}
      {view.role === 'host' && view.phase !== 'ended' && (
        <aside aria-label={t('queue')} data-testid="queue">
          <h2>{t('queue')}</h2>
          {view.queue.length === 0 && <p>{t('queueEmpty')}</p>}
          <ul className="visit-queue">
            {view.queue.map((q) => {
              const who =
                identity.data && q.actor === `Patient/${identity.data.patientId}`
                  ? fullName(identity.data.patient)
                  : undefined;
              const whoLabel = `${t(`roles.${q.role}`, { defaultValue: q.role })}${who ? ` — ${who}` : ''}`;
              return (
                <li key={q.participantId}>
                  <p>
                    <strong>{whoLabel}</strong> · {t('reason')}: {q.reason} · {t('priority')}: {q.priority} ·{' '}
                    {t('waitingSince')} {formatTime(q.since, i18n.language)}
                  </p>
                  {declining === q.participantId ? (
                    <div
                      role="group"
                      aria-label={t('declineConfirm', { name: whoLabel })}
                      className="visit-actions"
                    >
                      <p>{t('declineConfirm', { name: whoLabel })}</p>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          setDeclining(undefined);
                          void s.decline(q.participantId);
                        }}
                      >
                        {t('declineYes')}
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        autoFocus
                        onClick={() => setDeclining(undefined)}
                      >
                        {t('declineNo')}
                      </button>
                    </div>
                  ) : (
                    <div className="visit-actions">
                      <button
                        type="button"
                        className="visit-admit"
                        aria-label={`${t('admit')}: ${whoLabel}`}
                        onClick={() => void s.admit(q.participantId)}
                      >
                        {t('admit')}
                      </button>
                      <button
                        type="button"
                        className="secondary visit-decline"
                        aria-label={`${t('decline')}: ${whoLabel}`}
                        onClick={() => setDeclining(q.participantId)}
                      >
                        {t('decline')}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </aside>
      )}

      {view.phase === 'in-call' && (
        <>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            {view.local && <VideoTile stream={view.local} label={t('you')} muted />}
            {view.remotes.map((r) =>
              r.screen ? (
                <VideoTile
                  key={`${r.participantId}#screen`}
                  stream={r.stream}
                  label={`${personLabel(view.people[r.participantId])} — ${t('screen')}`}
                />
              ) : (
                <VideoTile
                  key={r.participantId}
                  stream={r.stream}
                  label={personLabel(view.people[r.participantId])}
                  speaking={view.speaker === r.participantId}
                  status={offLabel(view.remoteOff[r.participantId])}
                  onHeight={(h) => s.viewTile(r.participantId, h)}
                />
              ),
            )}
          </div>
          {view.suggestAudioOnly && !view.audioOnly && (
            <p role="alert">
              {t('weakSuggest')}{' '}
              <button type="button" onClick={() => void s.toggleAudioOnly()}>
                {t('audioOnly')}
              </button>
            </p>
          )}
          {(view.quality !== undefined || view.sendQuality !== undefined) && (
            <p role="status" data-testid="network-quality">
              {t('network')}:{' '}
              {Math.min(view.quality ?? 10, view.sendQuality ?? 10) >= 7 ? t('good') : t('weak')}
              {view.quality !== undefined && ` · ${t('receiving')} ${view.quality}/10`}
              {view.sendQuality !== undefined && ` · ${t('sending')} ${view.sendQuality}/10`}
            </p>
          )}
          {view.weakSenders.map((id) => (
            <p role="status" key={id}>
              {t('senderWeak', { name: personLabel(view.people[id]) })}
            </p>
          ))}
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '8px 0' }}>
            <button type="button" onClick={() => void s.toggleMute()}>
              {view.muted ? t('unmute') : t('mute')}
            </button>
            <button type="button" onClick={() => void s.toggleCamera()}>
              {view.cameraOff ? t('cameraOn') : t('cameraOff')}
            </button>
            <button type="button" onClick={() => void s.toggleAudioOnly()}>
              {view.audioOnly ? t('videoBack') : t('audioOnly')}
            </button>
            <button type="button" onClick={() => void s.shareScreen()}>
              {view.sharing ? t('stopShare') : t('share')}
            </button>
            <button type="button" onClick={() => void s.leave()}>
              {t('leave')}
            </button>
          </div>
          <section aria-label={t('chat')} className="visit-chat">
            <h2>{t('chat')}</h2>
            {view.chatKept ? (
              <p role="status">{t('chatKept')}</p>
            ) : (
              view.role === 'patient' && (
                <button type="button" onClick={() => void s.consentToChatRecord()}>
                  {t('keepChat')}
                </button>
              )
            )}
            {view.chatKept && !joinToken && (
              <label>
                {t('shareFile')}{' '}
                <input
                  type="file"
                  accept="image/jpeg,image/png,application/pdf"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void s.shareFile(file).catch((err: unknown) => setUploadError(String(err)));
                  }}
                />
              </label>
            )}
            {uploadError && <p role="alert">{uploadError}</p>}
            <ul data-testid="chat">
              {view.chat.map((m) => (
                <li key={`${m.at}-${m.from}`}>{m.text}</li>
              ))}
            </ul>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (draft.trim()) void s.sendChat(draft.trim()).then(() => setDraft(''));
              }}
            >
              <label>
                {t('message')}{' '}
                <input
                  name="message"
                  value={draft}
                  onChange={(e) => setDraft(e.target.value)}
                  maxLength={2000}
                />
              </label>
              <button type="submit">{t('send')}</button>
            </form>
          </section>
          {view.role === 'host' && (
            <form
              aria-label={t('invite')}
              onSubmit={(e) => {
                e.preventDefault();
                const f = new FormData(e.currentTarget);
                const name = String(f.get('inviteName') ?? '').trim();
                if (!colleague && !name) {
                  setInviteError(t('inviteNobody'));
                  return;
                }
                setInviteError(undefined);
                s.invite(
                  colleague ? { actor: colleague.reference } : { name },
                  String(f.get('inviteRole')) as 'specialist' | 'station-staff' | 'interpreter',
                ).then(setInviteLink, (err: unknown) =>
                  setInviteError(err instanceof Error ? err.message : String(err)),
                );
              }}
              className="visit-invite"
            >
              <h2>{t('invite')}</h2>
              <ColleagueSearch selected={colleague} onSelect={setColleague} />
              {!colleague && (
                <label>
                  {t('inviteName')} <input name="inviteName" maxLength={100} />
                </label>
              )}
              <label>
                {t('inviteRole')}{' '}
                <select name="inviteRole" defaultValue="specialist">
                  <option value="specialist">{t('specialist')}</option>
                  <option value="station-staff">{t('stationStaff')}</option>
                  <option value="interpreter">{t('interpreter')}</option>
                </select>
              </label>
              <button type="submit">{t('invite')}</button>
              {inviteError && <p role="alert">{inviteError}</p>}
              {inviteLink && (
                <p>
                  {t('inviteLink')}: <output data-testid="invite-link">{inviteLink}</output>{' '}
                  <button type="button" onClick={() => void navigator.clipboard?.writeText(inviteLink)}>
                    {t('copy')}
                  </button>
                </p>
              )}
            </form>
          )}
          {view.role === 'host' && (
            <form
              onSubmit={endVisit}
              className="visit-end"
              style={{ display: 'grid', gap: 8, maxWidth: 480 }}
              aria-label={t('end')}
            >
              <label>
                {t('notes')} <textarea name="notes" rows={3} maxLength={20000} />
              </label>
              <label>
                {t('diagnosis')}{' '}
                <input name="diagnosis" pattern="[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?" placeholder="I20.9" />
              </label>
              <label>
                {t('diagnosisName')} <input name="diagnosisName" />
              </label>
              <fieldset className="visit-rx" style={{ display: 'grid', gap: 8, minWidth: 0 }}>
                <legend>{t('rx.legend')}</legend>
                <div>
                  <DrugCombobox
                    inputId="rx-drug"
                    value={rx.drug}
                    onChange={(drug) => {
                      setRx((d) => ({ ...d, drug }));
                      setRxProblems((ps) => ps.filter((p) => p.field !== 'drug'));
                    }}
                    invalid={!!rxProblem('drug')}
                    describedBy={rxProblem('drug') ? 'rx-drug-error' : undefined}
                  />
                  {rxError('drug')}
                </div>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                  <div style={{ flex: '1 1 120px', display: 'grid', alignContent: 'start' }}>
                    <label htmlFor="rx-quantity">{t('rx.quantity')}</label>
                    <input
                      {...rxField('quantity')}
                      inputMode="decimal"
                      autoComplete="off"
                      value={rx.quantity}
                      onChange={(e) => setRxField('quantity', e.target.value)}
                    />
                  </div>
                  <div style={{ flex: '1 1 120px', display: 'grid', alignContent: 'start' }}>
                    <label htmlFor="rx-unit">{t('rx.unit')}</label>
                    <input
                      {...rxField('unit')}
                      list="rx-units"
                      maxLength={50}
                      autoComplete="off"
                      value={rx.unit}
                      onChange={(e) => setRxField('unit', e.target.value)}
                    />
                    <datalist id="rx-units">
                      {UNITS.map((u) => (
                        <option key={u} value={u} />
                      ))}
                    </datalist>
                  </div>
                  <div style={{ flex: '1 1 120px', display: 'grid', alignContent: 'start' }}>
                    <label htmlFor="rx-days">{t('rx.days')}</label>
                    <input
                      {...rxField('days')}
                      inputMode="numeric"
                      autoComplete="off"
                      value={rx.days}
                      onChange={(e) => setRxField('days', e.target.value)}
                    />
                  </div>
                </div>
                {/* Under the row, full width: a third of a phone's width is too narrow for them. */}
                {rxError('quantity')}
                {rxError('unit')}
                {rxError('days')}
                <p className="doctor-hint" style={{ margin: 0 }}>
                  {t('rx.daysHint', { max: MAX_DAYS, long: MAX_DAYS_APPENDIX_VII })}
                </p>
                <div style={{ display: 'grid' }}>
                  <label htmlFor="rx-dosage">{t('dosage')}</label>
                  <input
                    {...rxField('dosage')}
                    maxLength={500}
                    placeholder={t('rx.dosagePlaceholder')}
                    value={rx.dosage}
                    onChange={(e) => setRxField('dosage', e.target.value)}
                  />
                  {rxError('dosage')}
                </div>
              </fieldset>
              <fieldset className="visit-follow-up" style={{ display: 'grid', gap: 8, minWidth: 0 }}>
                <legend>{t('followUp.legend')}</legend>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                  <div style={{ flex: '1 1 140px', display: 'grid', alignContent: 'start' }}>
                    <label htmlFor="follow-up-date">{t('followUp.date')}</label>
                    <input type="date" {...followUpField('date')} />
                  </div>
                  <div style={{ flex: '1 1 140px', display: 'grid', alignContent: 'start' }}>
                    <label htmlFor="follow-up-time">{t('followUp.time')}</label>
                    <input type="time" {...followUpField('time')} />
                  </div>
                </div>
                {followUpAt(followUp) && (
                  <p
                    id="follow-up-preview"
                    data-testid="follow-up-preview"
                    style={{ margin: 0, fontWeight: 600 }}
                  >
                    {t('followUp.preview', followUpWhen(followUp))}
                  </p>
                )}
                {followUpIssue && (
                  <span
                    id="follow-up-error"
                    data-testid="follow-up-error"
                    style={{ display: 'block', color: '#b3261e', fontWeight: 600 }}
                  >
                    {t(followUpIssue.key, followUpIssue.values)}
                  </span>
                )}
                <p id="follow-up-hint" className="doctor-hint" style={{ margin: 0 }}>
                  {t('followUp.hint', { max: FOLLOW_UP_MAX_DAYS })}
                </p>
                {!isBlankFollowUp(followUp) && (
                  <button
                    type="button"
                    className="secondary"
                    style={{ justifySelf: 'start' }}
                    onClick={() => {
                      setFollowUp(emptyFollowUp());
                      setFollowUpIssue(undefined);
                    }}
                  >
                    {t('followUp.clear')}
                  </button>
                )}
              </fieldset>
              {endError && (
                <p role="alert" data-testid="end-error" style={{ whiteSpace: 'pre-line' }}>
                  {'fix' in endError
                    ? endError.fix.map((key) => t(key)).join('\n')
                    : // The server's reasons, one per line, in the page's language where it gives both.
                      `${t('endFailed')}: ${endError.server
                        .split('; ')
                        .map((m) => localHalf(m, i18n.language))
                        .join('\n')}`}
                </p>
              )}
              <button type="submit" disabled={ending} aria-busy={ending}>
                {t('end')}
              </button>
            </form>
          )}
        </>
      )}
    </section>
  );
}
