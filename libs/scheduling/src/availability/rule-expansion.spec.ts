import { clinicToday, expandExtra, expandRule, type WeeklyRule } from './rule-expansion';

const iso = (d: { start: Date; end: Date }): [string, string] => [d.start.toISOString(), d.end.toISOString()];

describe('weekly availability rules in Asia/Ho_Chi_Minh (UTC+7 all year)', () => {
  const morning: WeeklyRule = {
    daysOfWeek: [1],
    startTime: '06:00',
    endTime: '07:00',
    slotMinutes: 20,
    validFrom: '2026-01-01',
  };

  it('a Monday 06:00 slot in Vietnam starts on Sunday 23:00 UTC (crossing midnight backwards)', () => {
    // 2026-11-23 is a Monday in Vietnam.
    const slots = expandRule(morning, new Date('2026-11-22T00:00:00Z'), new Date('2026-11-24T00:00:00Z'));
    expect(slots.map(iso)).toEqual([
      ['2026-11-22T23:00:00.000Z', '2026-11-22T23:20:00.000Z'],
      ['2026-11-22T23:20:00.000Z', '2026-11-22T23:40:00.000Z'],
      ['2026-11-22T23:40:00.000Z', '2026-11-23T00:00:00.000Z'],
    ]);
  });

  it('evening hours up to 23:59 local stay on the same local day; a slot that would pass the end is not made', () => {
    const late: WeeklyRule = {
      ...morning,
      daysOfWeek: [5],
      startTime: '22:30',
      endTime: '23:50',
      slotMinutes: 30,
    };
    // Friday 2027-01-29 local.
    const slots = expandRule(
      late,
      new Date('2027-01-29T00:00:00+07:00'),
      new Date('2027-01-30T00:00:00+07:00'),
    );
    expect(slots.map(iso)).toEqual([
      ['2027-01-29T15:30:00.000Z', '2027-01-29T16:00:00.000Z'],
      ['2027-01-29T16:00:00.000Z', '2027-01-29T16:30:00.000Z'],
    ]);
  });

  it('month and year ends: 31 Jan → 1 Feb, 28 Feb → 1 Mar (2027, not a leap year), 31 Dec → 1 Jan', () => {
    const daily: WeeklyRule = {
      ...morning,
      daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
      startTime: '00:00',
      endTime: '00:30',
      slotMinutes: 30,
    };
    const days = (from: string, to: string): string[] =>
      expandRule(daily, new Date(from), new Date(to)).map((s) => s.start.toISOString());
    expect(days('2027-01-31T00:00:00+07:00', '2027-02-02T00:00:00+07:00')).toEqual([
      '2027-01-30T17:00:00.000Z',
      '2027-01-31T17:00:00.000Z',
    ]);
    expect(days('2027-02-28T00:00:00+07:00', '2027-03-02T00:00:00+07:00')).toEqual([
      '2027-02-27T17:00:00.000Z',
      '2027-02-28T17:00:00.000Z',
    ]);
    expect(days('2026-12-31T00:00:00+07:00', '2027-01-02T00:00:00+07:00')).toEqual([
      '2026-12-30T17:00:00.000Z',
      '2026-12-31T17:00:00.000Z',
    ]);
  });

  it('no daylight-saving gaps: every day of a whole year yields the same UTC time', () => {
    const daily: WeeklyRule = {
      ...morning,
      daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
      startTime: '08:00',
      endTime: '08:15',
      slotMinutes: 15,
    };
    const slots = expandRule(
      daily,
      new Date('2027-01-01T00:00:00+07:00'),
      new Date('2028-01-01T00:00:00+07:00'),
    );
    expect(slots).toHaveLength(365);
    expect(new Set(slots.map((s) => s.start.toISOString().slice(11)))).toEqual(new Set(['01:00:00.000Z']));
  });

  it('validity dates, closed periods (holidays, leave) and the window bound the slots', () => {
    const rule: WeeklyRule = {
      ...morning,
      daysOfWeek: [1, 2, 3, 4, 5],
      validFrom: '2027-02-01',
      validTo: '2027-02-05',
    };
    const tet = { start: new Date('2027-02-03T00:00:00+07:00'), end: new Date('2027-02-05T00:00:00+07:00') };
    const slots = expandRule(
      rule,
      new Date('2027-01-25T00:00:00+07:00'),
      new Date('2027-02-12T00:00:00+07:00'),
      [tet],
    );
    const localDays = [
      ...new Set(slots.map((s) => new Date(s.start.getTime() + 7 * 3600000).toISOString().slice(0, 10))),
    ];
    expect(localDays).toEqual(['2027-02-01', '2027-02-02', '2027-02-05']);
    // A window starting mid-morning drops the earlier slots of that day.
    const partial = expandRule(
      morning,
      new Date('2026-11-23T06:30:00+07:00'),
      new Date('2026-11-24T00:00:00+07:00'),
    );
    expect(partial.map((s) => s.start.toISOString())).toEqual(['2026-11-22T23:40:00.000Z']);
  });

  it('a validity date that is not YYYY-MM-DD is an error, not an open-ended rule', () => {
    const window = [new Date('2026-12-01T00:00:00Z'), new Date('2026-12-20T00:00:00Z')] as const;
    // What String(new Date(...)).slice(0, 10) gave for a pg `date` column (issue 15, item 9).
    expect(() => expandRule({ ...morning, validFrom: 'Sun Dec 06' }, ...window)).toThrow(/YYYY-MM-DD/);
    expect(() => expandRule({ ...morning, validTo: 'Sun Dec 13' }, ...window)).toThrow(/YYYY-MM-DD/);
    expect(() => expandRule({ ...morning, validFrom: '2026-02-30' }, ...window)).toThrow(/YYYY-MM-DD/);
  });

  it('extra hours are cut into whole slots; clinicToday is the date in Vietnam', () => {
    const extra = expandExtra(
      { start: new Date('2027-03-06T13:00:00+07:00'), end: new Date('2027-03-06T14:10:00+07:00') },
      30,
    );
    expect(extra.map(iso)).toEqual([
      ['2027-03-06T06:00:00.000Z', '2027-03-06T06:30:00.000Z'],
      ['2027-03-06T06:30:00.000Z', '2027-03-06T07:00:00.000Z'],
    ]);
    expect(clinicToday(new Date('2026-11-22T17:30:00Z'))).toBe('2026-11-23');
    expect(clinicToday(new Date('2026-11-22T16:59:59Z'))).toBe('2026-11-22');
  });
});
