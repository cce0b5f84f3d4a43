/**
 * The patient's appointments (upcoming and past) with Join (through the device check),
 * Reschedule (another free slot of the same doctor, one atomic PUT), Cancel (confirmed first),
 * confirming a hold, and live reminders from the `/notifications` socket.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatTime, localDay } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { Link } from '../shell/router';
import { loadAppointments, loadDoctors, nextSlots, searchSlots, updateAppointment } from './booking-api';
import {
  addDays,
  type Appointment,
  appointmentDoctor,
  bookingProblem,
  canChange,
  canJoin,
  cancelBody,
  clinicianRefs,
  type DoctorInfo,
  rescheduleBody,
  ROOM_MARGIN_MINUTES,
  roomOpensAt,
  roomState,
  type Slot,
  splitAppointments,
  wasInRoom,
  hasListedReason,
  inPerson,
  isOtherReason,
  TELEHEALTH_REASON_OTHER,
  TELEHEALTH_REASONS,
  OTHER_REASON_PENDING_TEXT,
} from './booking-logic';
import './messages';
import { ReasonOptions } from './ReasonOptions';
import { DaySlotPicker, dayHeading } from './SlotPicker';
import { type MekongNotification, useNotifications } from './use-notifications';

const STATUSES = [
  'proposed',
  'pending',
  'booked',
  'checked-in',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'waitlist',
];

interface Data {
  list: Appointment[];
  doctors: Map<string, DoctorInfo>;
}

function useStatusLabel() {
  const { t } = useTranslation('booking');
  return (status: string) => t(`status.${STATUSES.includes(status) ? status : 'unknown'}`);
}

function Reminders({
  data,
  notifications,
  connection,
  quiet,
  now,
}: {
  data: Data;
  notifications: MekongNotification[];
  connection: ReturnType<typeof useNotifications>['connection'];
  /**
   * Appointments this page already speaks about: the one just booked (no "reminder" banner
   * right after booking it) and those the patient changed here (their own success message).
   */
  quiet: ReadonlySet<string>;
  now: number;
}) {
  const { t, i18n } = useTranslation('booking');
  const lang = i18n.language;
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const byId = new Map(data.list.map((a) => [`Appointment/${a.id ?? ''}`, a]));
  const doctorName = (a: Appointment | undefined) =>
    (a && data.doctors.get(appointmentDoctor(a) ?? '')?.name) || t('unknownDoctor');
  const when = (a: Appointment) => `${formatTime(a.start, lang)} ${formatDate(a.start, lang)}`;

  const items: { key: string; text: string; join?: string }[] = [];
  for (const n of notifications) {
    if (quiet.has(n.about ?? '')) continue;
    const a = byId.get(n.about ?? '');
    const fallback = (lang.startsWith('en') ? n.text?.en : n.text?.vi) ?? n.title ?? t('reminders.generic');
    if (n.topic === 'appointment-reminder' && a)
      items.push({
        key: `n${n.id}`,
        text: t('reminders.reminder', { doctor: doctorName(a), time: when(a) }),
        join: roomState(a, now) === 'open' ? a.id : undefined,
      });
    else if (n.topic === 'appointment-cancelled' && a)
      items.push({ key: `n${n.id}`, text: t('reminders.cancelled', { time: when(a) }) });
    else if (n.topic === 'waitlist-offer' && a)
      items.push({ key: `n${n.id}`, text: t('reminders.offer', { time: when(a) }) });
    else items.push({ key: `n${n.id}`, text: fallback });
  }
  // Appointments starting within a day are reminded here too, socket or not.
  const covered = new Set(
    notifications.filter((n) => n.topic === 'appointment-reminder').map((n) => n.about),
  );
  for (const a of splitAppointments(data.list).upcoming) {
    const start = Date.parse(a.start ?? '');
    const ref = `Appointment/${a.id ?? ''}`;
    if (!canJoin(a) || covered.has(ref) || quiet.has(ref) || start - now > 24 * 3600_000) continue;
    items.push({
      key: `soon${a.id ?? ''}`,
      text: t('reminders.soon', { doctor: doctorName(a), time: when(a) }),
      join: roomState(a, now) === 'open' ? a.id : undefined,
    });
  }
  const visible = items.filter((i) => !dismissed.has(i.key));

  return (
    <section aria-label={t('reminders.title')}>
      {visible.length > 0 && (
        <ul className="plain" aria-live="polite">
          {visible.map((i) => (
            <li key={i.key} className="ok" style={{ margin: '8px 0' }}>
              <p style={{ margin: '0 0 6px' }} id={`reminder-${i.key}`}>
                {i.text}
              </p>
              <p style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: 0 }}>
                {i.join && <Link to={`/appointments/${i.join}/check`}>{t('join')}</Link>}
                <button
                  type="button"
                  className="secondary"
                  aria-describedby={`reminder-${i.key}`}
                  onClick={() => setDismissed((s) => new Set([...s, i.key]))}
                >
                  {t('reminders.dismiss')}
                </button>
              </p>
            </li>
          ))}
        </ul>
      )}
      <p role="status" style={{ fontSize: '0.9em', color: '#4b5563' }}>
        {connection === 'live'
          ? t('reminders.live')
          : connection === 'signed-out'
            ? t('reminders.signIn')
            : connection === 'offline'
              ? t('reminders.offline')
              : ''}
      </p>
    </section>
  );
}

/** How many days one reschedule search covers ("more days" asks for the next ones). */
const RESCHEDULE_DAYS = 14;

function Reschedule({
  appointment,
  doctorName,
  onDone,
  onClose,
}: {
  appointment: Appointment;
  doctorName: string;
  onDone: (a: Appointment) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('booking');
  const lang = i18n.language;
  const errorText = useErrorText();
  const ids = useId();
  const doctor = appointmentDoctor(appointment);
  const current = appointment.slot?.[0]?.reference;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  /** The free times loaded so far, the next page (server link) and the next day to search from. */
  const [pages, setPages] = useState<{ slots: Slot[]; next?: string; nextDay: string }>();
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<unknown>();
  const [pick, setPick] = useState<Slot>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const load = useCallback(
    async (prev?: { slots: Slot[]; next?: string; nextDay: string }) => {
      if (!doctor) return setPages({ slots: [], nextDay: localDay() });
      setLoading(true);
      setLoadError(undefined);
      try {
        const day = prev?.nextDay ?? localDay();
        const page = prev?.next
          ? await nextSlots(prev.next)
          : await searchSlots(
              { specialty: '', organization: '', day, days: RESCHEDULE_DAYS, serviceType: '' },
              doctor,
            );
        const seen = new Set(prev?.slots.map((s) => s.id));
        setPages({
          slots: [
            ...(prev?.slots ?? []),
            ...page.slots.filter((s) => !seen.has(s.id) && `Slot/${s.id}` !== current),
          ],
          next: page.next,
          nextDay: prev?.next ? prev.nextDay : addDays(day, RESCHEDULE_DAYS),
        });
      } catch (err) {
        setLoadError(err);
      } finally {
        setLoading(false);
      }
    },
    [doctor, current],
  );

  useEffect(() => {
    void load();
    headingRef.current?.focus();
  }, [load]);
  // After picking a time, the confirm step (right under it) takes the focus.
  const groupRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!pick) return;
    confirmRef.current?.focus({ preventScroll: true });
    // The whole step (summary and buttons) on screen, not just its heading.
    groupRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [pick]);

  const move = async () => {
    if (!pick) return;
    setBusy(true);
    setError(undefined);
    try {
      onDone(await updateAppointment(rescheduleBody(appointment, pick)));
    } catch (err) {
      setError(err);
      if (bookingProblem(err) === 'taken') {
        const gone = pick.id;
        setPick(undefined);
        setPages((p) => p && { ...p, slots: p.slots.filter((s) => s.id !== gone) });
      }
    } finally {
      setBusy(false);
    }
  };

  const confirm = pick && (
    <div
      role="group"
      ref={groupRef}
      aria-labelledby={`${ids}-c`}
      className="card"
      style={{ margin: '8px 0 0' }}
    >
      <h5 id={`${ids}-c`} ref={confirmRef} tabIndex={-1} style={{ margin: '0 0 4px', fontSize: '1em' }}>
        {t('rescheduleFromTo', {
          from: `${formatTime(appointment.start, lang)}, ${dayHeading(localDay(appointment.start), lang)}`,
          to: `${formatTime(pick.start, lang)}, ${dayHeading(localDay(pick.start), lang)}`,
        })}
      </h5>
      <p style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '8px 0 0' }}>
        <button type="button" disabled={busy} onClick={() => void move()} style={{ minHeight: 44 }}>
          {busy ? t('working') : t('rescheduleConfirm')}
        </button>
        <button
          type="button"
          className="secondary"
          style={{ minHeight: 44 }}
          onClick={() => {
            setPick(undefined);
            headingRef.current?.focus();
          }}
        >
          {t('confirm.change')}
        </button>
      </p>
    </div>
  );

  return (
    <div className="card">
      <h4 id={`${ids}-t`} ref={headingRef} tabIndex={-1}>
        {t('rescheduleTitle', { doctor: doctorName })}
      </h4>
      <p style={{ margin: '0 0 8px', fontSize: '0.9em', color: '#4b5563' }}>{t('timeZoneNote')}</p>
      {error !== undefined && (
        <p role="alert" className="error">
          {bookingProblem(error) === 'taken' ? t('rescheduleTaken') : errorText(error)}
        </p>
      )}
      {pages && pages.slots.length === 0 && !loading && <p>{t('noOtherSlots', { days: RESCHEDULE_DAYS })}</p>}
      {pages && pages.slots.length > 0 && (
        <DaySlotPicker
          slots={pages.slots}
          selectedId={pick?.id}
          onPick={(s) => {
            setPick(s);
            setError(undefined);
          }}
          label={(s) =>
            t('reschedulePick', {
              time: `${formatTime(s.start, lang)}, ${dayHeading(localDay(s.start), lang)}`,
            })
          }
          chosen={confirm}
        />
      )}
      {loading && <p role="status">{t('find.searching')}</p>}
      {loadError !== undefined && (
        <p role="alert" className="error">
          {errorText(loadError)}
        </p>
      )}
      <p style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {pages && !loading && (
          <button
            type="button"
            className="secondary"
            style={{ minHeight: 44 }}
            onClick={() => void load(pages)}
          >
            {t('moreDays')}
          </button>
        )}
        <button type="button" className="secondary" style={{ minHeight: 44 }} onClick={onClose}>
          {t('close')}
        </button>
      </p>
    </div>
  );
}

function AppointmentItem({
  a,
  doctors,
  onChanged,
  now,
  message,
}: {
  a: Appointment;
  doctors: Map<string, DoctorInfo>;
  /** A change succeeded: its one message (and, after a cancellation, the appointment's id). */
  onChanged: (message: string, cancelled?: string) => void;
  now: number;
  /** The success message of the last change made on this card (shown here, focused). */
  message?: string;
}) {
  const { t, i18n } = useTranslation('booking');
  const lang = i18n.language;
  const errorText = useErrorText();
  const statusLabel = useStatusLabel();
  const [mode, setMode] = useState<'none' | 'cancel' | 'reschedule'>('none');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const info = doctors.get(appointmentDoctor(a) ?? '');
  const doctorName = info?.name || t('unknownDoctor');
  const time = formatDateTime(a.start, lang);
  const upcoming = canChange(a) && Date.parse(a.end ?? a.start ?? '') > now;
  const room = roomState(a, now);
  // A video offer (from the waitlist) carries no reason: confirming it names one from the list.
  const needsReason = a.status === 'pending' && !isOtherReason(a) && !hasListedReason(a) && !inPerson(a);
  const [pick, setPick] = useState('');
  const [pickError, setPickError] = useState(false);
  const messageRef = useRef<HTMLParagraphElement>(null);
  const rescheduleRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  const change = async (next: Appointment, message: (saved: Appointment) => string) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await updateAppointment(next);
      setMode('none');
      onChanged(message(saved), saved.status === 'cancelled' ? (saved.id ?? a.id) : undefined);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card">
      <p style={{ margin: 0 }}>
        <strong>{time}</strong> · <span>{statusLabel(a.status)}</span>
      </p>
      <p style={{ margin: '4px 0' }}>
        {t('doctor')}: {doctorName}
        {info?.organization ? ` · ${info.organization}` : ''}
      </p>
      <p style={{ margin: '4px 0' }}>
        {t('reason')}: {a.reasonCode?.[0]?.text ?? a.reasonCode?.[0]?.coding?.[0]?.display ?? t('noReason')}
      </p>
      {message && (
        <p role="status" className="ok" ref={messageRef} tabIndex={-1}>
          {message}
        </p>
      )}
      {a.status === 'pending' && upcoming && !isOtherReason(a) && <p>{t('holdNote')}</p>}
      {a.status === 'pending' && upcoming && isOtherReason(a) && (
        <p role="note">
          {lang.startsWith('en') ? OTHER_REASON_PENDING_TEXT.en : OTHER_REASON_PENDING_TEXT.vi}
        </p>
      )}
      {error !== undefined && (
        <p role="alert" className="error">
          {bookingProblem(error) === 'expired' ? t('errors.expired') : errorText(error)}
        </p>
      )}
      {upcoming && mode === 'none' && needsReason && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const picked = TELEHEALTH_REASONS.find((r) => `${r.system}|${r.code}` === pick);
            if (!picked) {
              setPickError(true);
              return;
            }
            const other = picked.system === TELEHEALTH_REASON_OTHER.system;
            const text = a.reasonCode?.[0]?.text;
            void change(
              {
                ...a,
                status: other ? 'pending' : 'booked',
                reasonCode: [
                  {
                    coding: [{ system: picked.system, code: picked.code, display: picked.label.vi }],
                    ...(text ? { text } : {}),
                  },
                ],
              },
              (s) => (other ? t('bookedWaiting') : t('confirmed', { time: formatDateTime(s.start, lang) })),
            );
          }}
        >
          <label htmlFor={`${a.id ?? ''}-pick`}>{t('confirm.pick')}</label>
          <select
            id={`${a.id ?? ''}-pick`}
            value={pick}
            required
            aria-invalid={pickError || undefined}
            onChange={(e) => {
              setPick(e.target.value);
              setPickError(false);
            }}
          >
            <ReasonOptions />
          </select>
          {pickError && (
            <p className="field-error" role="alert">
              {t('confirm.pickRequired')}
            </p>
          )}
          <button type="submit" disabled={busy} style={{ marginTop: 8 }}>
            {t('confirmHold')}
          </button>
        </form>
      )}
      {room === 'not-yet' && mode === 'none' && (
        <p style={{ margin: '4px 0', color: '#374151' }}>
          {t('roomOpensAt', {
            time: `${formatTime(new Date(roomOpensAt(a)), lang)}, ${formatDate(new Date(roomOpensAt(a)), lang)}`,
            minutes: ROOM_MARGIN_MINUTES,
          })}
        </p>
      )}
      {room === 'open' && !upcoming && (
        <p style={{ margin: '8px 0 0' }}>
          <Link
            to={`/appointments/${a.id ?? ''}/check`}
            aria-label={t(wasInRoom(a) ? 'rejoinLabel' : 'joinLabel', { time })}
          >
            {t(wasInRoom(a) ? 'rejoin' : 'join')}
          </Link>
        </p>
      )}
      {upcoming && mode === 'none' && (
        <p style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '8px 0 0' }}>
          {room === 'open' && (
            <Link
              to={`/appointments/${a.id ?? ''}/check`}
              aria-label={t(wasInRoom(a) ? 'rejoinLabel' : 'joinLabel', { time })}
            >
              {t(wasInRoom(a) ? 'rejoin' : 'join')}
            </Link>
          )}
          {a.status === 'pending' && !isOtherReason(a) && !needsReason && (
            <button
              type="button"
              disabled={busy}
              aria-label={t('confirmHoldLabel', { time, doctor: doctorName })}
              onClick={() =>
                void change({ ...a, status: 'booked' }, (s) =>
                  t('confirmed', { time: formatDateTime(s.start, lang) }),
                )
              }
            >
              {t('confirmHold')}
            </button>
          )}
          {a.status === 'booked' && (
            <button
              type="button"
              className="secondary"
              ref={rescheduleRef}
              aria-label={t('rescheduleLabel', { time, doctor: doctorName })}
              onClick={() => setMode('reschedule')}
            >
              {t('reschedule')}
            </button>
          )}
          <button
            type="button"
            className="secondary"
            aria-label={t('cancelLabel', { time, doctor: doctorName })}
            onClick={() => setMode('cancel')}
          >
            {t('cancelAppointment')}
          </button>
        </p>
      )}
      {mode === 'cancel' && (
        <div role="group" aria-label={t('cancelAppointment')} className="card">
          <p>{t('cancelConfirm', { time })}</p>
          <p style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() =>
                void change(cancelBody(a, t('cancelReasonText')), () => t('cancelledOk', { time }))
              }
            >
              {busy ? t('working') : t('cancelYes')}
            </button>
            <button type="button" className="secondary" onClick={() => setMode('none')} autoFocus>
              {t('cancelNo')}
            </button>
          </p>
        </div>
      )}
      {mode === 'reschedule' && (
        <Reschedule
          appointment={a}
          doctorName={doctorName}
          onClose={() => {
            setMode('none');
            setTimeout(() => rescheduleRef.current?.focus());
          }}
          onDone={(saved) => {
            setMode('none');
            onChanged(t('rescheduled', { time: formatDateTime(saved.start, lang) }));
          }}
        />
      )}
    </li>
  );
}

export function MyAppointments({
  patientId,
  bookedId,
  waiting,
}: {
  patientId: string;
  bookedId?: string;
  /** The booking just made waits for a doctor's confirmation (reason "other"). */
  waiting?: boolean;
}) {
  const { t } = useTranslation('booking');
  const ids = useId();
  const state = useAsync(async (): Promise<Data> => {
    const list = await loadAppointments(patientId);
    return { list, doctors: await loadDoctors(list.flatMap(clinicianRefs)) };
  }, [patientId]);
  /** One success message: the booking just made (at the top), or the last change (on its card). */
  const [message, setMessage] = useState<{ text: string; id?: string } | undefined>(
    bookedId ? { text: t(waiting ? 'bookedWaiting' : 'booked') } : undefined,
  );
  /** Appointments this page already tells about (just booked, cancelled here): no banner for them. */
  const [quiet, setQuiet] = useState<ReadonlySet<string>>(
    () => new Set(bookedId ? [`Appointment/${bookedId}`] : []),
  );
  // The "booked" message is said once: a reload (or coming back) does not repeat it.
  useEffect(() => {
    if (bookedId && window.location.search.includes('booked='))
      window.history.replaceState(window.history.state, '', window.location.pathname);
  }, [bookedId]);
  // The join link appears when the room opens, without a reload.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const reload = state.reload;
  const onNotification = useCallback(
    (n: MekongNotification) => {
      if (n.topic !== 'appointment-reminder') reload();
    },
    [reload],
  );
  const { connection, notifications } = useNotifications(onNotification);

  return (
    <section aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`}>{t('myAppointments')}</h1>
      <p>
        <Link to="/appointments/book">{t('bookNew')}</Link>
      </p>
      {message && !message.id && (
        <p role="status" className="ok">
          {message.text}
        </p>
      )}
      <AsyncView state={state}>
        {(data) => {
          const { upcoming, cancelled, past } = splitAppointments(data.list, new Date(now));
          const changed = (id: string | undefined) => (m: string, cancelledId?: string) => {
            setMessage({ text: m, id });
            // The card's own message speaks about it now: no reminder banner about the same
            // appointment beside it (cancelled, or moved — a banner would still show the old time).
            const about = cancelledId ?? id;
            if (about) setQuiet((q) => new Set([...q, `Appointment/${about}`]));
            reload();
          };
          const item = (a: Appointment) => (
            <AppointmentItem
              key={a.id}
              a={a}
              doctors={data.doctors}
              onChanged={changed(a.id)}
              now={now}
              message={message?.id !== undefined && message.id === a.id ? message.text : undefined}
            />
          );
          return (
            <>
              <Reminders
                data={data}
                notifications={notifications}
                connection={connection}
                quiet={quiet}
                now={now}
              />
              <p style={{ fontSize: '0.9em', color: '#4b5563' }}>{t('timeZoneNote')}</p>
              <h3>{t('upcoming')}</h3>
              {upcoming.length === 0 ? (
                <p>{t('noUpcoming')}</p>
              ) : (
                <ul className="plain">{upcoming.map(item)}</ul>
              )}
              {cancelled.length > 0 && (
                <>
                  <h3>{t('cancelledGroup')}</h3>
                  <ul className="plain">{cancelled.map(item)}</ul>
                </>
              )}
              <h3>{t('past')}</h3>
              {past.length === 0 ? <p>{t('noPast')}</p> : <ul className="plain">{past.map(item)}</ul>}
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}
