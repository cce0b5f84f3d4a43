import { parse } from 'fhirpath';
import {
  RESOURCE_TYPES,
  isResourceType,
  narrowExpression,
  searchParametersFor,
  splitUnion,
} from './definitions';

describe('RESOURCE_TYPES', () => {
  it('lists the R4 resource types without abstract or Medplum-only ones', () => {
    expect(RESOURCE_TYPES.length).toBeGreaterThan(140);
    expect(RESOURCE_TYPES).toEqual(
      expect.arrayContaining(['Patient', 'Observation', 'Immunization', 'Bundle']),
    );
    expect(RESOURCE_TYPES).not.toContain('Resource');
    expect(RESOURCE_TYPES).not.toContain('DomainResource');
    expect(RESOURCE_TYPES).not.toContain('Project');
    expect(RESOURCE_TYPES).not.toContain('Bot');
  });

  it('isResourceType', () => {
    expect(isResourceType('Encounter')).toBe(true);
    expect(isResourceType('HumanName')).toBe(false);
    expect(isResourceType('patient')).toBe(false);
  });
});

describe('searchParametersFor', () => {
  it('has the Patient parameters, including the Resource ones', () => {
    const params = searchParametersFor('Patient');
    for (const code of [
      'name',
      'family',
      'given',
      'identifier',
      'birthdate',
      'gender',
      'address',
      'telecom',
      'phone',
      'general-practitioner',
      'organization',
      '_id',
      '_lastUpdated',
      '_tag',
      '_profile',
    ]) {
      expect(params.has(code)).toBe(true);
    }
    expect(params.get('name')).toMatchObject({ type: 'string', expression: 'Patient.name' });
    expect(params.get('_id')).toMatchObject({ type: 'token', expression: 'Patient.id' });
    expect(params.get('birthdate')).toMatchObject({
      type: 'date',
      expression: 'Patient.birthDate',
      url: 'http://hl7.org/fhir/SearchParameter/individual-birthdate',
    });
  });

  it('leaves out composite, special and non-value parameters', () => {
    const codes = [...searchParametersFor('Observation').keys()];
    expect(codes).not.toContain('code-value-quantity');
    expect(codes).not.toContain('_text');
    expect(codes).not.toContain('_content');
    expect(codes).not.toContain('_query');
    expect([...searchParametersFor('Location').keys()]).not.toContain('near');
  });

  it('narrows multi-resource expressions to the type', () => {
    const observation = searchParametersFor('Observation');
    expect(observation.get('subject')?.target).toContain('Patient');
    expect(observation.get('patient')?.expression).toBe(
      "Observation.subject.where(reference.matches('^(.*/)?Patient/[^/]+(/_history/[^/]+)?$'))",
    );
    expect(observation.get('value-quantity')?.expression).toBe(
      'Observation.value.ofType(Quantity) | Observation.value.ofType(SampledData)',
    );
    expect(searchParametersFor('Immunization').get('patient')?.expression).toBe('Immunization.patient');
    expect(searchParametersFor('Condition').get('code')?.expression).toBe('Condition.code');
  });

  it('returns an empty map for unknown types and caches', () => {
    expect(searchParametersFor('Foo').size).toBe(0);
    expect(searchParametersFor('Patient')).toBe(searchParametersFor('Patient'));
  });

  it('gives every type expressions that fhirpath can parse', () => {
    const unparsable: string[] = [];
    for (const type of RESOURCE_TYPES) {
      for (const def of searchParametersFor(type).values()) {
        try {
          parse(def.expression);
        } catch {
          unparsable.push(`${type}.${def.code}`);
        }
      }
    }
    expect(unparsable).toEqual([]);
  });

  it('gives every narrowed branch the type as its root', () => {
    for (const type of RESOURCE_TYPES) {
      for (const def of searchParametersFor(type).values()) {
        for (const branch of splitUnion(def.expression)) {
          expect(branch.replace(/^\(+/, '')).toMatch(new RegExp(`^${type}\\.`));
        }
      }
    }
  });
});

describe('narrowExpression', () => {
  it('keeps the branches of the type', () => {
    expect(
      narrowExpression('AllergyIntolerance.patient | Condition.subject | Consent.patient', 'Condition'),
    ).toBe('Condition.subject');
    expect(narrowExpression('AllergyIntolerance.patient', 'Condition')).toBeUndefined();
  });

  it('rewrites Resource and relative roots to the type', () => {
    expect(narrowExpression('Resource.meta.tag', 'Patient')).toBe('Patient.meta.tag');
    expect(narrowExpression('name | alias', 'InsurancePlan')).toBe(
      'InsurancePlan.name | InsurancePlan.alias',
    );
  });

  it('does not split inside parentheses or strings', () => {
    expect(splitUnion("(A.b as C) | A.c.where(x = 'a|b')")).toEqual(['(A.b as C)', "A.c.where(x = 'a|b')"]);
  });
});
