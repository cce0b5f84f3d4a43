import * as care from '@mekong/care';

describe('@mekong/care barrel', () => {
  it('exposes the four rule sets through the path alias', () => {
    expect(typeof care.forecast).toBe('function');
    expect(typeof care.toImmunizationRecommendation).toBe('function');
    expect(typeof care.news2).toBe('function');
    expect(typeof care.toObservation).toBe('function');
    expect(typeof care.triage).toBe('function');
    expect(typeof care.checkEligibility).toBe('function');
    expect(care.CURRENT_SCHEDULE.version).toBe('vn-epi-2024.4');
    expect(care.TRIAGE_QUESTIONNAIRE.url).toBe('https://fhir.mekong.health/Questionnaire/triage');
  });
});
