import { CVX_SYSTEM, EPI_ANTIGEN_SYSTEM } from './schedule';
import { displayName, forecastFor, inScope, scheduleCoding } from './immunization-record';

const child = {
  resourceType: 'Patient',
  id: 'c1',
  birthDate: '2026-01-10',
  name: [{ family: 'Lê', given: ['Văn', 'An'] }],
};
const imm = (
  id: string,
  extra: Record<string, unknown>,
): Record<string, unknown> & { resourceType: string } => ({
  resourceType: 'Immunization',
  id,
  status: 'completed',
  patient: { reference: 'Patient/c1' },
  occurrenceDateTime: '2026-01-10T02:00:00Z',
  vaccineCode: { coding: [{ system: CVX_SYSTEM, code: '8' }] },
  ...extra,
});
const series = (pf: ReturnType<typeof forecastFor>, code: string) =>
  pf?.result.forecasts.find((f) => f.antigen === code);

describe('immunization-record: from FHIR Immunizations to the forecast', () => {
  it('counts completed doses only, matching CVX (8 → 08) or the local antigen code', () => {
    const pf = forecastFor(
      'c1',
      child,
      [
        imm('i1', {}),
        imm('i2', {
          status: 'entered-in-error',
          vaccineCode: { coding: [{ system: CVX_SYSTEM, code: '19' }] },
        }),
        imm('i3', {
          status: 'not-done',
          vaccineCode: { coding: [{ system: EPI_ANTIGEN_SYSTEM, code: 'BCG' }] },
        }),
      ],
      '2026-01-20',
    );
    expect(series(pf, 'HEPB-BIRTH')).toMatchObject({ status: 'complete' });
    expect(series(pf, 'BCG')).toMatchObject({ status: 'due', due: '2026-01-10', overdue: '2026-02-10' });
    expect(pf?.notCounted).toEqual([]);
  });

  it('lists doses it cannot use, with why, instead of dropping them', () => {
    const pf = forecastFor(
      'c1',
      child,
      [
        imm('u1', { vaccineCode: { coding: [{ system: 'urn:x-local', code: 'ABC' }] } }),
        imm('u2', { occurrenceDateTime: '2025-12-31' }),
        imm('u3', { occurrenceDateTime: undefined }),
      ],
      '2026-01-20',
    );
    expect(pf?.notCounted.map((n) => n.reference)).toEqual([
      'Immunization/u2',
      'Immunization/u3',
      'Immunization/u1',
    ]);
    expect(pf?.notCounted[2]).toMatchObject({
      code: 'urn:x-local|ABC',
      date: '2026-01-10',
      why: expect.stringMatching(
        /urn:x-local\|ABC is unknown .* matches no series of vn-epi-2024.4/,
      ) as unknown,
    });
    // Day 10: past HepBBirthDoseAgeLimitDays (7), the birth dose no longer applies (never overdue).
    expect(series(pf, 'HEPB-BIRTH')).toMatchObject({ status: 'not-applicable' });
  });

  it('prefers the coding the schedule knows', () => {
    expect(
      scheduleCoding(
        imm('x', {
          vaccineCode: {
            coding: [
              { system: 'urn:x-product', code: 'ENGERIX-B' },
              { system: CVX_SYSTEM, code: '08' },
            ],
          },
        }),
      ),
    ).toEqual({ system: CVX_SYSTEM, code: '08' });
  });

  it('applies only to children with a full birthDate, born, under 16', () => {
    expect(inScope(child, '2026-01-10')).toBe(true);
    expect(inScope(child, '2042-01-09')).toBe(true);
    expect(inScope(child, '2042-01-10')).toBe(false);
    expect(inScope({ ...child, birthDate: '2026-02-01' }, '2026-01-10')).toBe(false);
    expect(inScope({ ...child, birthDate: '2026' }, '2026-06-10')).toBe(false);
    expect(inScope({ resourceType: 'Patient' }, '2026-06-10')).toBe(false);
    // An adult: no forecast (Td has no maximum age in the schedule).
    expect(forecastFor('a', { ...child, birthDate: '1990-05-01' }, [], '2026-06-10')).toBeUndefined();
    // A 6-year-old with every EPI dose aged out still has Td ahead.
    expect(
      series(forecastFor('c', { ...child, birthDate: '2020-05-01' }, [], '2026-06-10'), 'TD'),
    ).toMatchObject({
      status: 'upcoming',
      due: '2027-05-01',
    });
  });

  it('names the child in Vietnamese order', () => {
    expect(displayName(child)).toBe('Lê Văn An');
    expect(displayName({ resourceType: 'Patient', name: [{ text: 'Bé Na' }] })).toBe('Bé Na');
  });
});
