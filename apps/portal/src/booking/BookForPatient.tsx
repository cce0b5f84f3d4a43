/**
 * Find a doctor and book (docs/scheduling.md): by specialty, hospital and local day, the free
 * slots grouped by day and doctor; pick one, write the reason, book with an Idempotency-Key.
 * Used by patients for themselves and by commune-station staff on a patient's behalf (then the
 * patient's active Consent goes in supportingInformation; the server refuses without it).
 */
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, humanName } from '../api';
import { formatDate, formatTime, localDay } from '../format';
import { useAsync, useErrorText } from '../shell/async';
import { DateField } from '../shell/DateField';
import { session } from '../shell/session-store';
import {
  activeConsents,
  book,
  loadDoctors,
  loadOrganizations,
  nextSlots,
  recordBookingConsent,
  searchSlots,
} from './booking-api';
import {
  addDays,
  type Appointment,
  bookingBody,
  bookingProblem,
  type DoctorInfo,
  groupSlots,
  type Schedule,
  type SearchCriteria,
  type ServiceType,
  type Slot,
  SPECIALTIES,
  OTHER_REASON_PENDING_TEXT,
} from './booking-logic';
import './messages';
import { ReasonOptions } from './ReasonOptions';
import { dayHeading, TimeButtons } from './SlotPicker';
import { type TriageDone, TriageForm } from './TriageForm';
import { bookingRefusal } from './triage-logic';

interface Found {
  slots: Slot[];
  schedules: Map<string, Schedule>;
  doctors: Map<string, DoctorInfo>;
  next?: string;
}

interface Selection {
  slot: Slot;
  schedule: Schedule | undefined;
  doctorName: string;
}

function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The booking flow: first the pre-visit symptom check (TriageForm); after a non-emergency result
 * the search-and-book below. An emergency offers no booking (the server refuses it too: 422).
 */
export function BookForPatient({
  patientId,
  onBooked,
}: {
  patientId: string;
  onBooked?: (appointmentId: string, status?: string) => void;
}) {
  const [triage, setTriage] = useState<TriageDone>();
  // The patient's consents, read while the symptom check is filled in (the link may be down by
  // the time the booking step shows: a station booking request still names the consent).
  const earlyConsents = useMemo(() => {
    if (session.claims?.role !== 'clinic-staff') return undefined;
    const read = activeConsents(patientId);
    read.catch(() => undefined); // used (and its failure shown) by the booking step
    return read;
  }, [patientId]);
  return (
    <>
      <TriageForm key={patientId} patientId={patientId} onDone={setTriage} />
      {triage && triage.level !== 'emergency' && (
        <BookingSearch
          patientId={patientId}
          onBooked={onBooked}
          triageQr={triage.qr || undefined}
          triageQueued={'queued' in triage ? triage.queued : undefined}
          earlyConsents={earlyConsents}
        />
      )}
    </>
  );
}

function BookingSearch({
  patientId,
  onBooked,
  triageQr,
  triageQueued,
  earlyConsents,
}: {
  patientId: string;
  onBooked?: (appointmentId: string, status?: string) => void;
  /** The QuestionnaireResponse of the symptom check, referenced by the booking. */
  triageQr?: string;
  /** Station, link down: the outbox item of the symptom check (the booking is queued after it). */
  triageQueued?: string;
  /** The consents as read when the flow opened (used once, then read again on reload). */
  earlyConsents?: Promise<Awaited<ReturnType<typeof activeConsents>>>;
}) {
  const { t, i18n } = useTranslation('booking');
  const errorText = useErrorText();
  const ids = useId();
  const onBehalf = session.claims?.role === 'clinic-staff';
  const today = localDay();

  const orgs = useAsync(loadOrganizations, []);
  const [criteria, setCriteria] = useState<SearchCriteria>({
    specialty: '',
    organization: '',
    day: today,
    // The next 7 days by default: "today only" came back empty on a Sunday (issue 18 item 8).
    days: 7,
    serviceType: 'video',
  });
  /** The criteria of the results shown (which days they cover). */
  const [searched, setSearched] = useState<SearchCriteria>();
  const [dayError, setDayError] = useState(false);
  const [found, setFound] = useState<Found>();
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<unknown>();

  const [selected, setSelected] = useState<Selection>();
  const [reason, setReason] = useState('');
  /** The listed reason picked for a video visit (`system|code`), "" when none is picked. */
  const [pick, setPick] = useState('');
  const [pickError, setPickError] = useState(false);
  const pickRef = useRef<HTMLSelectElement>(null);
  const [reasonError, setReasonError] = useState(false);
  const [booking, setBooking] = useState(false);
  const [bookError, setBookError] = useState<unknown>();
  const [booked, setBooked] = useState<{ appointment: Appointment; doctorName: string }>();
  /** Station, link down (or after a queued symptom check): the booking request kept in the outbox. */
  const [requested, setRequested] = useState<{ start?: string; doctorName: string }>();
  const lastAttempt = useRef<{ body: string; key: string }>(undefined);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const earlyUsed = useRef(false);
  const consents = useAsync(() => {
    const early = earlyUsed.current ? undefined : earlyConsents;
    earlyUsed.current = true;
    return onBehalf ? (early ?? activeConsents(patientId)) : Promise.resolve([]);
  }, [patientId, onBehalf]);
  const [consentId, setConsentId] = useState('');
  const [recordConsent, setRecordConsent] = useState(false);
  useEffect(() => {
    const first = consents.data?.[0]?.id;
    if (first && !consentId) setConsentId(first);
  }, [consents.data, consentId]);

  useEffect(() => {
    if (selected) reasonRef.current?.focus();
  }, [selected]);

  const set = <K extends keyof SearchCriteria>(k: K, v: SearchCriteria[K]) =>
    setCriteria((c) => ({ ...c, [k]: v }));

  const withDoctors = async (
    page: { slots: Slot[]; schedules: Map<string, Schedule>; next?: string },
    prev?: Found,
  ) => {
    const schedules = new Map([...(prev?.schedules ?? []), ...page.schedules]);
    const refs = [...page.schedules.values()].flatMap((s) => (s.actor ?? []).map((a) => a.reference ?? ''));
    const known = prev?.doctors ?? new Map<string, DoctorInfo>();
    const doctors = new Map([...known, ...(await loadDoctors(refs.filter((r) => r && !known.has(r))))]);
    const seen = new Set(prev?.slots.map((s) => s.id));
    return {
      slots: [...(prev?.slots ?? []), ...page.slots.filter((s) => !seen.has(s.id))],
      schedules,
      doctors,
      next: page.next,
    };
  };

  const search = async (e?: FormEvent, override?: SearchCriteria) => {
    e?.preventDefault();
    const c = override ?? criteria;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(c.day) || c.day < today) {
      setDayError(true);
      return;
    }
    setDayError(false);
    setSearching(true);
    setSearchError(undefined);
    setSelected(undefined);
    try {
      setFound(await withDoctors(await searchSlots(c)));
      setSearched(c);
    } catch (err) {
      setSearchError(err);
    } finally {
      setSearching(false);
    }
  };

  const more = async () => {
    if (!found?.next) return;
    setSearching(true);
    setSearchError(undefined);
    try {
      setFound(await withDoctors(await nextSlots(found.next), found));
    } catch (err) {
      setSearchError(err);
    } finally {
      setSearching(false);
    }
  };

  const submitBooking = async (e: FormEvent) => {
    e.preventDefault();
    if (!selected || booking) return;
    // A video visit names its reason from the remote-care list, or "other" (a doctor confirms it):
    // a reason only in words would be refused (issue 17 item 8).
    if (remoteSlot(selected.slot) && !pick) {
      setPickError(true);
      pickRef.current?.focus();
      return;
    }
    setPickError(false);
    if (!reason.trim()) {
      setReasonError(true);
      reasonRef.current?.focus();
      return;
    }
    setReasonError(false);
    setBooking(true);
    setBookError(undefined);
    try {
      let consent = onBehalf ? consentId : undefined;
      if (onBehalf && !consent && recordConsent) {
        consent = await recordBookingConsent(patientId, t('consent.recordText'));
        setConsentId(consent);
        setRecordConsent(false);
        consents.reload();
      }
      const base = bookingBody({
        slot: selected.slot,
        schedule: selected.schedule,
        patientId,
        reason,
        consentId: consent || undefined,
        pick: remoteSlot(selected.slot) ? pick || undefined : undefined,
      });
      const body = triageQr
        ? {
            ...base,
            supportingInformation: [
              ...(base.supportingInformation ?? []),
              { reference: `QuestionnaireResponse/${triageQr}` },
            ],
          }
        : base;
      if (onBehalf && (triageQueued || navigator.onLine === false)) {
        // Kept in the station's outbox; sent through this same booking route when the link
        // returns (after the symptom check it follows), never rebooked elsewhere.
        const { queueBooking } = await import('../station/offline/queue');
        const { getItem, keptPatient } = await import('../station/offline/outbox');
        const owner = session.claims?.sub ?? '';
        const kept = await keptPatient(owner, patientId);
        const label =
          (kept && humanName(kept.patient as { name?: { text?: string }[] })) ||
          (triageQueued && (await getItem(triageQueued))?.label) ||
          `Patient/${patientId}`;
        await queueBooking(body, { id: patientId }, label, triageQueued);
        setRequested({ start: selected.slot.start, doctorName: selected.doctorName });
        setSelected(undefined);
        setReason('');
        setPick('');
        return;
      }
      // The same body retried (e.g. after a network failure) keeps its key: never two bookings.
      const text = JSON.stringify(body);
      if (lastAttempt.current?.body !== text) lastAttempt.current = { body: text, key: newKey() };
      const appointment = await book(body, lastAttempt.current.key);
      setBooked({ appointment, doctorName: selected.doctorName });
      // The booked time is no longer free: not offered again (also when booking on behalf).
      const taken = selected.slot.id;
      setFound((f) => f && { ...f, slots: f.slots.filter((s) => s.id !== taken) });
      setSelected(undefined);
      setReason('');
      setPick('');
      lastAttempt.current = undefined;
      if (appointment.id) onBooked?.(appointment.id, appointment.status);
    } catch (err) {
      setBookError(err);
      if (bookingProblem(err) === 'taken' || bookingProblem(err) === 'past') {
        const gone = selected.slot.id;
        setFound((f) => f && { ...f, slots: f.slots.filter((s) => s.id !== gone) });
      }
    } finally {
      setBooking(false);
    }
  };

  const bookErrorText = (err: unknown): string => {
    const refusal = bookingRefusal(err, i18n.language);
    if (refusal) return t(`errors.${refusal.kind === 'in-person' ? 'inPerson' : refusal.kind}`);
    const problem = bookingProblem(err);
    switch (problem) {
      case 'taken':
      case 'consent':
      case 'past':
      case 'forbidden':
      case 'network':
      case 'expired':
        return t(`errors.${problem}`);
      case 'rejected':
        return t('errors.rejected');
      case 'other':
        return errorText(err);
    }
  };

  const groups = found ? groupSlots(found.slots, found.schedules, found.doctors) : [];
  const lang = i18n.language;
  const specialtyName = (code: string | undefined) =>
    code && (SPECIALTIES as readonly string[]).includes(code) ? t(`specialties.${code}`) : undefined;

  const confirmPanel = (sel: Selection) => {
    const problem = bookError === undefined ? undefined : bookingProblem(bookError);
    const refusal = bookError === undefined ? undefined : bookingRefusal(bookError, lang);
    return (
      <form
        className="card"
        onSubmit={(e) => void submitBooking(e)}
        aria-labelledby={`${ids}-confirm`}
        noValidate
      >
        <h4 id={`${ids}-confirm`}>{t('confirm.title')}</h4>
        <p>
          <strong>
            {t('confirm.summary', {
              doctor: sel.doctorName,
              time: `${formatTime(sel.slot.start, lang)}–${formatTime(sel.slot.end, lang)}, ${dayHeading(localDay(sel.slot.start), lang)}`,
            })}
          </strong>
        </p>
        {remoteSlot(sel.slot) && (
          <>
            <label htmlFor={`${ids}-pick`}>{t('confirm.pick')}</label>
            <select
              id={`${ids}-pick`}
              ref={pickRef}
              value={pick}
              required
              aria-invalid={pickError || undefined}
              aria-describedby={`${ids}-pick-hint${pickError ? ` ${ids}-pick-error` : ''}`}
              onChange={(e) => {
                setPick(e.target.value);
                if (e.target.value) setPickError(false);
              }}
            >
              <ReasonOptions />
            </select>
            <p id={`${ids}-pick-hint`} style={{ margin: '2px 0 8px', fontSize: '0.9em', color: '#4b5563' }}>
              {pick.endsWith('|other') ? t('confirm.pickOtherHint') : t('confirm.pickHint')}
            </p>
            {pickError && (
              <p id={`${ids}-pick-error`} className="field-error" role="alert">
                {t('confirm.pickRequired')}
              </p>
            )}
          </>
        )}
        <label htmlFor={`${ids}-reason`}>{t('reason')}</label>
        <textarea
          id={`${ids}-reason`}
          ref={reasonRef}
          rows={3}
          value={reason}
          required
          aria-invalid={reasonError || undefined}
          aria-describedby={`${ids}-reason-hint${reasonError ? ` ${ids}-reason-error` : ''}`}
          onChange={(e) => setReason(e.target.value)}
        />
        <p id={`${ids}-reason-hint`} style={{ margin: '2px 0 0', fontSize: '0.9em', color: '#4b5563' }}>
          {t('confirm.reasonHint')}
        </p>
        {reasonError && (
          <p id={`${ids}-reason-error`} className="field-error" role="alert">
            {t('confirm.reasonRequired')}
          </p>
        )}
        {onBehalf && (
          <fieldset>
            <legend>{t('consent.title')}</legend>
            <p>{t('consent.explain')}</p>
            {consents.error !== undefined && (
              <p role="alert" className="error">
                {t('consent.loadFailed')}
              </p>
            )}
            {consents.data && consents.data.length > 0 ? (
              <>
                <label htmlFor={`${ids}-consent`}>{t('consent.choose')}</label>
                <select
                  id={`${ids}-consent`}
                  value={consentId}
                  onChange={(e) => setConsentId(e.target.value)}
                >
                  {consents.data.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.text}
                      {c.date ? ` (${formatDate(c.date, lang)})` : ''}
                    </option>
                  ))}
                </select>
              </>
            ) : (
              consents.data && (
                <>
                  <p>{t('consent.none')}</p>
                  <label style={{ display: 'flex', gap: 8, alignItems: 'flex-start', fontWeight: 400 }}>
                    <input
                      type="checkbox"
                      checked={recordConsent}
                      onChange={(e) => setRecordConsent(e.target.checked)}
                      style={{ width: 'auto', minHeight: 0, marginTop: 4 }}
                    />
                    <span>{t('consent.record')}</span>
                  </label>
                </>
              )
            )}
          </fieldset>
        )}
        {bookError !== undefined && (
          <div role="alert" className="error">
            <p>{refusal ? <strong>{bookErrorText(bookError)}</strong> : bookErrorText(bookError)}</p>
            {refusal && refusal.reasons.length > 0 && (
              <>
                <p style={{ margin: '4px 0' }}>{t('errors.reasons')}</p>
                <ul style={{ margin: 0 }}>
                  {refusal.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </>
            )}
            {bookError instanceof ApiError &&
              !refusal &&
              problem !== 'other' &&
              problem !== 'network' &&
              bookError.message && <p>{t('errors.detail', { message: bookError.message })}</p>}
          </div>
        )}
        <p style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          <button type="submit" disabled={booking}>
            {booking ? t('confirm.booking') : t('confirm.book')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setSelected(undefined);
              setBookError(undefined);
            }}
          >
            {t('confirm.change')}
          </button>
        </p>
      </form>
    );
  };

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{onBehalf ? t('find.titleFor') : t('find.title')}</h2>
      <p>{t('find.intro')}</p>
      {requested && (
        <p role="status" className="pending" data-testid="booking-queued">
          {t('confirm.queued', {
            time: `${formatTime(requested.start, lang)}, ${formatDate(requested.start, lang)}`,
            doctor: requested.doctorName,
          })}
        </p>
      )}
      {booked && (
        <p role="status" className="ok">
          {t(booked.appointment.status === 'pending' ? 'confirm.requestedFor' : 'confirm.bookedFor', {
            time: `${formatTime(booked.appointment.start, lang)}, ${formatDate(booked.appointment.start, lang)}`,
            doctor: booked.doctorName,
          })}
          {booked.appointment.status === 'pending' && (
            <> {lang.startsWith('en') ? OTHER_REASON_PENDING_TEXT.en : OTHER_REASON_PENDING_TEXT.vi}</>
          )}
        </p>
      )}
      <form className="card" onSubmit={(e) => void search(e)} noValidate>
        <div className="grid2">
          <div>
            <label htmlFor={`${ids}-specialty`}>{t('find.specialty')}</label>
            <select
              id={`${ids}-specialty`}
              value={criteria.specialty}
              onChange={(e) => set('specialty', e.target.value)}
            >
              <option value="">{t('find.anySpecialty')}</option>
              {SPECIALTIES.map((code) => (
                <option key={code} value={code}>
                  {t(`specialties.${code}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${ids}-hospital`}>{t('find.hospital')}</label>
            <select
              id={`${ids}-hospital`}
              value={criteria.organization}
              onChange={(e) => set('organization', e.target.value)}
              aria-busy={orgs.loading || undefined}
            >
              <option value="">{t('find.anyHospital')}</option>
              {(orgs.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name ?? o.id}
                </option>
              ))}
            </select>
            {orgs.error !== undefined && <p className="field-error">{t('find.organizationsFailed')}</p>}
          </div>
          <div>
            <label htmlFor={`${ids}-day`}>{t('find.day')}</label>
            <DateField
              id={`${ids}-day`}
              min={today}
              value={criteria.day}
              aria-invalid={dayError || undefined}
              aria-describedby={dayError ? `${ids}-day-error` : undefined}
              onChange={(day) => set('day', day)}
            />
            {dayError && (
              <p id={`${ids}-day-error`} className="field-error" role="alert">
                {t('find.dayInvalid')}
              </p>
            )}
          </div>
          <div>
            <label htmlFor={`${ids}-days`}>{t('find.days')}</label>
            <select
              id={`${ids}-days`}
              value={criteria.days}
              onChange={(e) => set('days', Number(e.target.value))}
            >
              <option value={1}>{t('find.days1')}</option>
              <option value={3}>{t('find.days3')}</option>
              <option value={7}>{t('find.days7')}</option>
            </select>
          </div>
          <div>
            <label htmlFor={`${ids}-service`}>{t('find.serviceType')}</label>
            <select
              id={`${ids}-service`}
              value={criteria.serviceType}
              onChange={(e) => set('serviceType', e.target.value as ServiceType)}
            >
              <option value="video">{t('find.video')}</option>
              <option value="in-person">{t('find.inPerson')}</option>
              <option value="">{t('find.anyService')}</option>
            </select>
          </div>
        </div>
        <p>
          <button type="submit" disabled={searching}>
            {searching ? t('find.searching') : t('find.search')}
          </button>
        </p>
      </form>

      {searching && (
        <p role="status" aria-live="polite">
          {t('find.searching')}
        </p>
      )}
      {searchError !== undefined && (
        <div role="alert" className="error">
          <p>{errorText(searchError)}</p>
          <button type="button" onClick={() => void search()}>
            {t('check.retry')}
          </button>
        </div>
      )}

      {found && (
        <section aria-labelledby={`${ids}-free`}>
          <h3 id={`${ids}-free`}>{t('find.freeTimes')}</h3>
          {searched && (
            <p style={{ margin: '0 0 4px' }}>
              {searched.days <= 1
                ? t('find.shownDay', { day: dayHeading(searched.day, lang) })
                : t('find.shownDays', {
                    from: dayHeading(searched.day, lang),
                    to: dayHeading(addDays(searched.day, searched.days - 1), lang),
                  })}
            </p>
          )}
          <p role="status" aria-live="polite">
            {found.slots.length === 0
              ? t('find.none')
              : found.next || found.slots.length >= SLOT_PAGE
                ? t('find.resultsFirst', { count: found.slots.length })
                : t('find.results', { count: found.slots.length })}{' '}
            <small>({t('timeZoneNote')})</small>
          </p>
          {found.slots.length === 0 && searched && (
            <p>
              <button
                type="button"
                className="secondary"
                disabled={searching}
                onClick={() => {
                  const next = { ...searched, day: addDays(searched.day, searched.days) };
                  setCriteria(next);
                  void search(undefined, next);
                }}
              >
                {searched.days <= 1 ? t('find.nextDay') : t('find.nextDays', { count: searched.days })}
              </button>
            </p>
          )}
          {groups.map((g) => (
            <section key={g.day} aria-label={dayHeading(g.day, lang)}>
              <h4>{dayHeading(g.day, lang)}</h4>
              <ul className="plain">
                {g.doctors.map((d) => {
                  const name = d.name ?? t('unknownDoctor');
                  const chosen = selected && d.slots.some((s) => s.id === selected.slot.id);
                  return (
                    <li key={d.doctor} className="card">
                      <p style={{ margin: '0 0 8px' }}>
                        <strong>{name}</strong>
                        {specialtyName(d.specialty) && <> · {specialtyName(d.specialty)}</>}
                        {d.organization && <> · {t('find.at', { organization: d.organization })}</>}
                      </p>
                      <TimeButtons
                        slots={d.slots}
                        selectedId={selected?.slot.id}
                        label={(s) =>
                          t('find.pick', {
                            time: `${formatTime(s.start, lang)} ${formatDate(s.start, lang)}`,
                            doctor: name,
                          })
                        }
                        onPick={(s) => {
                          setSelected({
                            slot: s,
                            schedule: found.schedules.get(s.schedule.reference ?? ''),
                            doctorName: name,
                          });
                          setBookError(undefined);
                          setBooked(undefined);
                        }}
                      />
                      {chosen && selected && confirmPanel(selected)}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
          {selected && !found.slots.some((s) => s.id === selected.slot.id) && confirmPanel(selected)}
          {found.next && (
            <p>
              <button type="button" className="secondary" disabled={searching} onClick={() => void more()}>
                {t('find.more')}
              </button>
            </p>
          )}
        </section>
      )}
    </section>
  );
}

/** The server's page size of the slot search (slotSearchParams' `_count`). */
const SLOT_PAGE = 100;

/** A slot that is not in person (video, or unspecified: the platform's default is remote). */
function remoteSlot(slot: Slot): boolean {
  return !(slot.serviceType ?? []).some((c) => (c.coding ?? []).some((x) => x.code === 'in-person'));
}
