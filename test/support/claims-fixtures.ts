/**
 * Seeds shared by the insurance-claim suites (claims-xml, claims-submission, its kill test, the
 * health book): a facility with its claims code and settings, a doctor with a practising
 * certificate, an insured patient with what a claim needs. Fixture values, not national data.
 */

const EXT = 'https://fhir.mekong.health/StructureDefinition/';

/** A commune station with its insurance facility code (MA_CSKCB). */
export const claimsFacilityOrg = (code = '92001') => ({
  resourceType: 'Organization',
  name: 'Trạm Y tế phường Ninh Kiều',
  identifier: [{ system: 'https://fhir.mekong.health/sid/ma-cskcb', value: code }],
});

/**
 * One facility's CLAIMS_CONFIG entry: the examination I.1 at 52,600 đ and Omeprazol 40.677 at
 * 1,234.5 đ, plus `prices` and `services` given.
 */
export function claimsFacilityConfig(
  more: { prices?: { code: string; price: number }[]; services?: unknown[] } = {},
): Record<string, unknown> {
  return {
    departmentCode: 'K01',
    headOfFacilityId: '9212345678',
    careType: '01',
    insuredCategory: '1.1',
    uninsuredCategory: '9',
    visitService: { code: 'I.1', name: 'Khám bệnh', unit: 'lần', costGroup: 13 },
    priceList: {
      validFrom: '2024-11-15',
      items: [{ code: 'I.1', price: 52600 }, { code: '40.677', price: 1234.5 }, ...(more.prices ?? [])],
    },
    ...(more.services ? { services: more.services } : {}),
  };
}

/** The CLAIMS_CONFIG variable for one facility. */
export const claimsConfigEnv = (org: string, more?: Parameters<typeof claimsFacilityConfig>[0]): string =>
  JSON.stringify({ facilities: { [`Organization/${org}`]: claimsFacilityConfig(more) } });

/** A doctor with a practising certificate number (MA_BAC_SI). */
export const claimsDoctor = () => ({
  resourceType: 'Practitioner',
  name: [{ family: 'Trần', given: ['Bác sĩ'] }],
  identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cchn', value: '000456/CT-CCHN' }],
});

/** A patient of `org` with the claim's extensions and an address of the current units. */
export const claimsPatient = (org: string, family = 'Nguyễn', extra: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  name: [{ family, given: ['Thị Hoà'] }],
  gender: 'female',
  birthDate: '1990-03-15',
  managingOrganization: { reference: `Organization/${org}` },
  address: [
    {
      text: 'Số 5 đường 30/4, phường Ninh Kiều, TP Cần Thơ',
      city: 'Phường Ninh Kiều',
      state: 'Thành phố Cần Thơ',
    },
  ],
  extension: [
    { url: `${EXT}nationality-code`, valueCode: '000' },
    { url: `${EXT}ethnicity-code`, valueCode: '01' },
    { url: `${EXT}occupation-code`, valueCode: '00000' },
  ],
  ...extra,
});

/** The patient's card in force for 2026 (benefit digit 4 → 80 %), registered at 92001. */
export const bhytCoverage = (patient: string) => ({
  resourceType: 'Coverage',
  status: 'active',
  beneficiary: { reference: `Patient/${patient}` },
  payor: [{ display: 'Bảo hiểm xã hội Việt Nam' }],
  identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/bhyt', value: 'GD4929212345678' }],
  period: { start: '2026-01-01', end: '2026-12-31' },
  extension: [{ url: `${EXT}bhyt-registered-facility`, valueString: '92001' }],
});
