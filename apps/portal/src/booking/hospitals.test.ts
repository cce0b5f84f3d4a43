import { describe, expect, it } from 'vitest';
import { hospitalsOf, type Organization, organizationKind, type PractitionerRole } from './booking-api';

const org = (id: string, name: string, type?: Organization['type']): Organization => ({
  resourceType: 'Organization',
  id,
  name,
  ...(type ? { type } : {}),
});
const role = (id: string, orgId: string): PractitionerRole => ({
  resourceType: 'PractitionerRole',
  id,
  organization: { reference: `Organization/${orgId}` },
});
const hospital = org('h1', 'Bệnh viện Chợ Rẫy');
const station = org('s1', 'Trạm Y tế xã An Bình');

describe('the "Bệnh viện" filter lists hospitals only (issue 18 item 17)', () => {
  it('an untyped Organization is listed when a doctor there has a Schedule', () => {
    const list = hospitalsOf(
      [station, hospital],
      [role('r1', 'h1'), role('r2', 's1')],
      new Set(['PractitionerRole/r1']),
    );
    expect(list.map((o) => o.name)).toEqual(['Bệnh viện Chợ Rẫy']);
  });
  it('every role counts when the Schedules could not be read', () => {
    expect(hospitalsOf([station, hospital], [role('r1', 'h1')], undefined).map((o) => o.id)).toEqual(['h1']);
  });
  it('a type says it: HOSP / SNOMED hospital in, any other type out', () => {
    const typed = org('h2', 'Bệnh viện Đa khoa Cần Thơ', [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'HOSP' }] },
    ]);
    const typedStation = org('s2', 'Trạm Y tế Long Hồ', [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] },
    ]);
    expect(organizationKind(typed)).toBe('hospital');
    expect(organizationKind(typedStation)).toBe('other');
    expect(organizationKind(station)).toBeUndefined();
    expect(
      hospitalsOf([typedStation, typed, station], [role('r1', 's2')], new Set(['PractitionerRole/r1'])).map(
        (o) => o.id,
      ),
    ).toEqual(['h2']);
  });
  it('with nothing to tell them apart every Organization is listed, by name', () => {
    expect(hospitalsOf([station, hospital], [], undefined).map((o) => o.id)).toEqual(['h1', 's1']);
  });
});
