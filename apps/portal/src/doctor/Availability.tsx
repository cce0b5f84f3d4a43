import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AvailabilityException,
  AvailabilityExceptionAdded,
  AvailabilityExceptionBody,
  AvailabilityRule,
  AvailabilityRuleAdded,
  AvailabilityRuleBody,
  ServiceType,
  SlotsWithdrawn,
} from '../../../../libs/contracts/src';
import { api, type FhirResource, fhir, resources } from '../api';
import { formatDate, formatDateTime, localDay } from '../format';
import { AsyncView, useAsync, useErrorText } from '../shell/async';
import { DateField, TimeField } from '../shell/DateField';
import { DateTimeField } from '../shell/DateTimeField';
import type { Claims } from '../shell/session-store';
import {
  addDays,
  buildWeekGrid,
  type GridDay,
  isoWeekday,
  localInputToInstant,
  type SlotLike,
  startOfDay,
  weekStart,
} from './week';
import './messages';

/** A weekly rule as GET …/rules lists it: the shared contract (libs/contracts), the server's own type. */
type Rule = AvailabilityRule;

type Notice = { kind: 'ok' | 'error'; text: string } | undefined;

/** A labelled date/time field in a `.doctor-row` (the shared fields bring their own messages). */
const FIELD = { flex: '1 1 140px', minWidth: 0, alignSelf: 'flex-start' } as const;

function NoticeLine({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return (
    <p role={notice.kind === 'error' ? 'alert' : 'status'} className={notice.kind}>
      {notice.text}
    </p>
  );
}

function useRuleText(): (r: Rule) => string {
  const { t, i18n } = useTranslation('doctor');
  return (r) => {
    const days = [...r.daysOfWeek]
      .sort((a, b) => a - b)
      .map((d) => t(`weekdays.${d}`))
      .join(', ');
    const base = t('availability.ruleSummary', {
      days,
      start: r.startTime,
      end: r.endTime,
      minutes: r.slotMinutes,
      service: t(`service.${r.serviceType}`),
    });
    const from = `${t('availability.validFrom')} ${formatDate(r.validFrom, i18n.language)}`;
    const to = r.validTo ? `, ${t('availability.validTo')} ${formatDate(r.validTo, i18n.language)}` : '';
    return `${base} (${from}${to})`;
  };
}

function Rules({ scheduleId, onChanged }: { scheduleId: string; onChanged: () => void }) {
  const { t } = useTranslation('doctor');
  const errorText = useErrorText();
  const ruleText = useRuleText();
  const base = `/scheduling/schedules/${encodeURIComponent(scheduleId)}`;
  const rules = useAsync(() => api<Rule[]>(`${base}/rules`), [scheduleId]);
  const [notice, setNotice] = useState<Notice>();
  const [days, setDays] = useState<number[]>([1, 2, 3, 4, 5]);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string>();

  const keptText = (kept: string[]): string =>
    kept.length > 0 ? ` ${t('availability.bookedKept', { list: kept.join(', ') })}` : '';

  const add = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const startTime = String(f.get('startTime') ?? '');
    const endTime = String(f.get('endTime') ?? '');
    if (days.length === 0) return setFieldError(t('availability.pickDay'));
    if (endTime <= startTime) return setFieldError(t('availability.endBeforeStart'));
    setFieldError(undefined);
    const validFrom = String(f.get('validFrom') ?? '');
    const validTo = String(f.get('validTo') ?? '');
    setBusy(true);
    setNotice(undefined);
    const json: AvailabilityRuleBody = {
      daysOfWeek: [...days].sort((a, b) => a - b),
      startTime,
      endTime,
      slotMinutes: Number(f.get('slotMinutes')),
      // the form's select offers the two service types only
      serviceType: String(f.get('serviceType')) as ServiceType,
      ...(validFrom ? { validFrom } : {}),
      ...(validTo ? { validTo } : {}),
    };
    api<AvailabilityRuleAdded>(`${base}/rules`, { method: 'POST', json })
      .then(
        (r) => {
          setNotice({ kind: 'ok', text: t('availability.ruleAdded', { count: r.slotsCreated }) });
          rules.reload();
          onChanged();
        },
        (err: unknown) => setNotice({ kind: 'error', text: errorText(err) }),
      )
      .finally(() => setBusy(false));
  };

  const end = (rule: Rule): void => {
    setNotice(undefined);
    api<SlotsWithdrawn>(`${base}/rules/${encodeURIComponent(rule.id)}`, {
      method: 'DELETE',
    }).then(
      (r) => {
        setNotice({
          kind: 'ok',
          text: t('availability.ruleEnded', { count: r.slotsRemoved }) + keptText(r.bookedKept),
        });
        rules.reload();
        onChanged();
      },
      (err: unknown) => setNotice({ kind: 'error', text: errorText(err) }),
    );
  };

  return (
    <section className="card" aria-labelledby="doctor-rules-heading">
      <h2 id="doctor-rules-heading">{t('availability.rules')}</h2>
      <AsyncView state={rules}>
        {(list) =>
          list.length === 0 ? (
            <p>{t('availability.noRules')}</p>
          ) : (
            <ul className="plain" data-testid="doctor-rules">
              {list.map((r) => (
                <li key={r.id} className="doctor-row">
                  <span>{ruleText(r)}</span>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => end(r)}
                    aria-label={t('availability.endRuleOf', { summary: ruleText(r) })}
                  >
                    {t('availability.endRule')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </AsyncView>
      <NoticeLine notice={notice} />
      <form onSubmit={add} aria-labelledby="doctor-add-rule">
        <h3 id="doctor-add-rule">{t('availability.addRule')}</h3>
        <fieldset className="doctor-days" aria-describedby={fieldError ? 'doctor-rule-error' : undefined}>
          <legend>{t('availability.days')}</legend>
          {[1, 2, 3, 4, 5, 6, 7].map((d) => (
            <label key={d}>
              <input
                type="checkbox"
                name="daysOfWeek"
                value={d}
                checked={days.includes(d)}
                onChange={(e) => setDays((ds) => (e.target.checked ? [...ds, d] : ds.filter((x) => x !== d)))}
              />
              {t(`weekdays.${d}`)}
            </label>
          ))}
        </fieldset>
        <div className="doctor-row">
          <div style={FIELD}>
            <label htmlFor="doctor-rule-start">{t('availability.startTime')}</label>
            <TimeField id="doctor-rule-start" name="startTime" defaultValue="08:00" required />
          </div>
          <div style={FIELD}>
            <label htmlFor="doctor-rule-end">{t('availability.endTime')}</label>
            <TimeField id="doctor-rule-end" name="endTime" defaultValue="11:30" required />
          </div>
        </div>
        <div className="doctor-row">
          <label>
            {t('availability.slotMinutes')}{' '}
            <input type="number" name="slotMinutes" min={5} max={240} step={5} defaultValue={20} required />
          </label>
          <label>
            {t('availability.serviceType')}{' '}
            <select name="serviceType" defaultValue="video">
              <option value="video">{t('service.video')}</option>
              <option value="in-person">{t('service.in-person')}</option>
            </select>
          </label>
        </div>
        <div className="doctor-row">
          <div style={FIELD}>
            <label htmlFor="doctor-rule-from">{t('availability.validFromOptional')}</label>
            <DateField id="doctor-rule-from" name="validFrom" />
          </div>
          <div style={FIELD}>
            <label htmlFor="doctor-rule-to">{t('availability.validToOptional')}</label>
            <DateField id="doctor-rule-to" name="validTo" />
          </div>
        </div>
        {fieldError && (
          <p id="doctor-rule-error" role="alert" className="field-error">
            {fieldError}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('availability.add')}
        </button>
      </form>
    </section>
  );
}

function Exceptions({ scheduleId, onChanged }: { scheduleId: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation('doctor');
  const errorText = useErrorText();
  const base = `/scheduling/schedules/${encodeURIComponent(scheduleId)}`;
  const list = useAsync(() => api<AvailabilityException[]>(`${base}/exceptions`), [scheduleId]);
  const [kind, setKind] = useState<'closed' | 'extra'>('closed');
  const [notice, setNotice] = useState<Notice>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const add = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const start = String(f.get('start') ?? '');
    const end = String(f.get('end') ?? '');
    if (!start || !end || end <= start) return setFieldError(t('availability.endBeforeStart'));
    setFieldError(undefined);
    setBusy(true);
    setNotice(undefined);
    const json: AvailabilityExceptionBody = {
      kind,
      start: localInputToInstant(start),
      end: localInputToInstant(end),
      reason: String(f.get('reason') ?? '').trim(),
      ...(kind === 'extra'
        ? // the form's select offers the two service types only
          {
            slotMinutes: Number(f.get('slotMinutes')),
            serviceType: String(f.get('serviceType')) as ServiceType,
          }
        : {}),
    };
    api<AvailabilityExceptionAdded>(`${base}/exceptions`, { method: 'POST', json })
      .then(
        (r) => {
          const kept =
            r.bookedKept.length > 0
              ? ` ${t('availability.bookedKept', { list: r.bookedKept.join(', ') })}`
              : '';
          setNotice({
            kind: 'ok',
            text:
              t('availability.exceptionAdded', { created: r.slotsCreated, removed: r.slotsRemoved }) + kept,
          });
          form.reset();
          list.reload();
          onChanged();
        },
        (err: unknown) => setNotice({ kind: 'error', text: errorText(err) }),
      )
      .finally(() => setBusy(false));
  };

  return (
    <section className="card" aria-labelledby="doctor-exceptions-heading">
      <h2 id="doctor-exceptions-heading">{t('availability.exceptions')}</h2>
      <AsyncView state={list}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('availability.noExceptions')}</p>
          ) : (
            <ul data-testid="doctor-exceptions">
              {items.map((x) => (
                <li key={x.id}>
                  {t('availability.exceptionSummary', {
                    kind: t(`availability.kinds.${x.kind}`),
                    start: formatDateTime(x.start, i18n.language),
                    end: formatDateTime(x.end, i18n.language),
                  })}
                  {x.reason && ` — ${x.reason}`}
                </li>
              ))}
            </ul>
          )
        }
      </AsyncView>
      <NoticeLine notice={notice} />
      <form onSubmit={add} aria-labelledby="doctor-add-exception">
        <h3 id="doctor-add-exception">{t('availability.addException')}</h3>
        <label>
          {t('availability.kind')}{' '}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'closed' | 'extra')}>
            <option value="closed">{t('availability.kinds.closed')}</option>
            <option value="extra">{t('availability.kinds.extra')}</option>
          </select>
        </label>
        <div className="doctor-row">
          <div style={{ ...FIELD, flexBasis: 260 }}>
            <label htmlFor="doctor-exception-start">{t('availability.start')}</label>
            <DateTimeField
              id="doctor-exception-start"
              label={t('availability.start')}
              name="start"
              required
            />
          </div>
          <div style={{ ...FIELD, flexBasis: 260 }}>
            <label htmlFor="doctor-exception-end">{t('availability.end')}</label>
            <DateTimeField id="doctor-exception-end" label={t('availability.end')} name="end" required />
          </div>
        </div>
        <label>
          {t('availability.reason')} <input name="reason" maxLength={500} required />
        </label>
        {kind === 'extra' && (
          <div className="doctor-row">
            <label>
              {t('availability.slotMinutes')}{' '}
              <input type="number" name="slotMinutes" min={5} max={240} step={5} defaultValue={20} required />
            </label>
            <label>
              {t('availability.serviceType')}{' '}
              <select name="serviceType" defaultValue="video">
                <option value="video">{t('service.video')}</option>
                <option value="in-person">{t('service.in-person')}</option>
              </select>
            </label>
          </div>
        )}
        {fieldError && (
          <p role="alert" className="field-error">
            {fieldError}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('availability.add')}
        </button>
      </form>
    </section>
  );
}

/** The week's slots: seven columns on a wide screen; one day (chosen with the day picker) on a phone. */
export function WeekGrid({
  days,
  selected,
  onSelect,
}: {
  days: GridDay[];
  selected: string;
  onSelect: (day: string) => void;
}) {
  const { t, i18n } = useTranslation('doctor');
  return (
    <>
      <div className="doctor-daypicker" role="group" aria-label={t('availability.dayPicker')}>
        {days.map((d) => (
          <button
            key={d.day}
            type="button"
            className={d.day === selected ? undefined : 'secondary'}
            aria-pressed={d.day === selected}
            onClick={() => onSelect(d.day)}
            aria-label={`${t(`weekdays.${d.weekday}`)} ${formatDate(d.day, i18n.language)}`}
          >
            {formatDate(d.day, i18n.language).slice(0, 5)}
          </button>
        ))}
      </div>
      <div className="doctor-week" data-testid="doctor-week">
        {days.map((d) => (
          <section
            key={d.day}
            className={`doctor-day${d.day === selected ? ' selected' : ''}`}
            aria-label={`${t(`weekdays.${d.weekday}`)} ${formatDate(d.day, i18n.language)}`}
            data-day={d.day}
          >
            <h3>
              {t(`weekdays.${d.weekday}`)}
              <br />
              <span className="doctor-muted">{formatDate(d.day, i18n.language)}</span>
            </h3>
            <p className="doctor-hint">{t('availability.slotCount', { count: d.slots.length })}</p>
            {d.slots.length === 0 ? (
              <p className="doctor-muted">{t('availability.noSlots')}</p>
            ) : (
              <ul>
                {d.slots.map((s) => (
                  <li
                    key={s.id}
                    className={`doctor-slot ${s.status}`}
                    title={t('availability.slotLabel', {
                      from: s.from,
                      to: s.to,
                      status: t(`availability.slotStatus.${s.status}`, { defaultValue: s.status }),
                      service: s.serviceType
                        ? t(`service.${s.serviceType}`, { defaultValue: s.serviceType })
                        : '',
                    })}
                  >
                    {s.from}–{s.to}{' '}
                    <span className="visually-hidden">
                      {t(`availability.slotStatus.${s.status}`, { defaultValue: s.status })}
                    </span>
                    {s.status !== 'free' && (
                      <span aria-hidden="true">
                        {' '}
                        · {t(`availability.slotStatus.${s.status}`, { defaultValue: s.status })}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    </>
  );
}

function Calendar({ scheduleId, version }: { scheduleId: string; version: number }) {
  const { t, i18n } = useTranslation('doctor');
  const today = localDay();
  const [monday, setMonday] = useState(() => weekStart(today));
  const [selected, setSelected] = useState(today);
  const slots = useAsync(async () => {
    const bundle = await fhir.search<FhirResource & SlotLike>('Slot', {
      schedule: `Schedule/${scheduleId}`,
      start: [`ge${startOfDay(monday)}`, `lt${startOfDay(addDays(monday, 7))}`],
      _sort: 'start',
      _count: '1000',
    });
    return buildWeekGrid(resources(bundle), monday);
  }, [scheduleId, monday, version]);

  const go = (m: string): void => {
    setMonday(m);
    // Keep the same weekday selected on a phone (this week: today).
    setSelected(m === weekStart(today) ? today : addDays(m, isoWeekday(selected) - 1));
  };

  return (
    <section className="card" aria-labelledby="doctor-calendar-heading">
      <h2 id="doctor-calendar-heading">{t('availability.calendar')}</h2>
      <p aria-live="polite">
        {t('availability.weekOf', {
          from: formatDate(monday, i18n.language),
          to: formatDate(addDays(monday, 6), i18n.language),
        })}
      </p>
      <div className="doctor-row">
        <button type="button" className="secondary" onClick={() => go(addDays(monday, -7))}>
          {t('availability.prevWeek')}
        </button>
        <button type="button" className="secondary" onClick={() => go(weekStart(today))}>
          {t('availability.thisWeek')}
        </button>
        <button type="button" className="secondary" onClick={() => go(addDays(monday, 7))}>
          {t('availability.nextWeek')}
        </button>
      </div>
      <AsyncView state={slots}>
        {(days) => <WeekGrid days={days} selected={selected} onSelect={setSelected} />}
      </AsyncView>
    </section>
  );
}

/** `/doctor/availability`: weekly hours, closed periods and extra hours, and the resulting slots. */
export function Availability({ claims }: { claims: Claims }) {
  const { t } = useTranslation('doctor');
  const practitioner = claims.fhirUser ?? '';
  const schedules = useAsync(
    async () =>
      resources(await fhir.search<FhirResource>('Schedule', { actor: practitioner, active: 'true' })),
    [practitioner],
  );
  const [chosen, setChosen] = useState<string>();
  const [version, setVersion] = useState(0);
  const bump = (): void => setVersion((v) => v + 1);

  return (
    <section aria-labelledby="doctor-availability-heading">
      <h1 id="doctor-availability-heading">{t('availability.heading')}</h1>
      <AsyncView state={schedules}>
        {(list) => {
          if (list.length === 0) return <p role="status">{t('availability.noSchedule')}</p>;
          const scheduleId = chosen ?? (list[0]?.id as string);
          return (
            <>
              {list.length > 1 && (
                <label>
                  {t('availability.schedule')}{' '}
                  <select value={scheduleId} onChange={(e) => setChosen(e.target.value)}>
                    {list.map((s) => (
                      <option key={s.id} value={s.id}>
                        {(s.comment as string | undefined) ?? s.id}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <Calendar scheduleId={scheduleId} version={version} />
              <div className="grid2">
                <Rules key={`r-${scheduleId}`} scheduleId={scheduleId} onChanged={bump} />
                <Exceptions key={`x-${scheduleId}`} scheduleId={scheduleId} onChanged={bump} />
              </div>
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}
