/**
 * Which antigens each vaccine code carries — DATA, so a dose counts for every series whose antigen
 * it carries, whatever product (CVX code) the record names (issue 17 item 6).
 *
 * CVX rows: CDC CDSi Supporting Data, Version 4.64-508, ScheduleSupportingData "CVX to Antigen
 * Map" (as vendored in fhir-fli/cicada, cicada_generator/lib/Version_4.64-508/XML/
 * ScheduleSupportingData.xml, commit f331ed1e47939d9d5cd6f720244b4b8828aa1dad); see
 * docs/research/issue-17-sources.md § 5. Local rows: our own EPI code system, one per vaccine the
 * Circular 10/2024 rows name (LOCAL POLICY: the code system is ours).
 */

export type Antigen =
  | 'Diphtheria'
  | 'Tetanus'
  | 'Pertussis'
  | 'HepB'
  | 'Hib'
  | 'Polio'
  | 'Measles'
  | 'Mumps'
  | 'Rubella'
  | 'Varicella'
  | 'Japanese Encephalitis'
  | 'Rotavirus'
  | 'Pneumococcal'
  | 'BCG';

export interface VaccineAntigenRow {
  /** CVX code (two digits at least, "08") or a local EPI code. */
  code: string;
  short: string;
  antigens: Antigen[];
  source: string;
}

export const CDSI_CVX_VERSION = 'CDC CDSi Supporting Data 4.64-508';
const CDSI = `${CDSI_CVX_VERSION}, CVX to Antigen Map (docs/research/issue-17-sources.md § 5, source A)`;
const LOCAL_CODES =
  'LOCAL POLICY: local code system vn-epi-antigen (ours); antigens of the vaccine the Circular 10/2024/TT-BYT row names';

const DTP: Antigen[] = ['Diphtheria', 'Tetanus', 'Pertussis'];
const TD: Antigen[] = ['Tetanus', 'Diphtheria'];
const cdsi = (code: string, short: string, antigens: Antigen[]): VaccineAntigenRow => ({
  code,
  short,
  antigens,
  source: CDSI,
});
const local = (code: string, short: string, antigens: Antigen[]): VaccineAntigenRow => ({
  code,
  short,
  antigens,
  source: LOCAL_CODES,
});

/** CVX (CDSi 4.64) and local EPI codes → antigens. A code not here is unknown: never counted, always shown. */
export const VACCINE_ANTIGENS: readonly VaccineAntigenRow[] = [
  cdsi('198', 'DTP-HepB-Hib Pentavalent Non-US', [...DTP, 'HepB', 'Hib']),
  cdsi('102', 'DTP-Hib-Hep B', [...DTP, 'Hib', 'HepB']),
  cdsi('110', 'DTaP-Hep B-IPV', [...DTP, 'HepB', 'Polio']),
  cdsi('120', 'DTaP-Hib-IPV', [...DTP, 'Hib', 'Polio']),
  cdsi('146', 'DTaP, IPV, Hib, HepB', [...DTP, 'Polio', 'Hib', 'HepB']),
  cdsi('01', 'DTP', DTP),
  cdsi('20', 'DTaP', DTP),
  cdsi('107', 'DTaP, unspecified formulation', DTP),
  cdsi('28', 'DT (pediatric)', ['Diphtheria', 'Tetanus']),
  cdsi('08', 'Hep B, adolescent or pediatric', ['HepB']),
  cdsi('45', 'Hep B, unspecified formulation', ['HepB']),
  cdsi('10', 'IPV', ['Polio']),
  cdsi('89', 'polio, unspecified formulation', ['Polio']),
  cdsi('02', 'OPV', ['Polio']),
  cdsi('178', 'OPV bivalent', ['Polio']),
  cdsi('182', 'OPV, Unspecified', ['Polio']),
  cdsi('119', 'rotavirus, monovalent', ['Rotavirus']),
  cdsi('116', 'rotavirus, pentavalent', ['Rotavirus']),
  cdsi('122', 'rotavirus, unspecified formulation', ['Rotavirus']),
  cdsi('03', 'MMR', ['Measles', 'Mumps', 'Rubella']),
  cdsi('94', 'MMRV', ['Measles', 'Mumps', 'Rubella', 'Varicella']),
  cdsi('04', 'M/R', ['Measles', 'Rubella']),
  cdsi('05', 'measles', ['Measles']),
  cdsi('39', 'Japanese encephalitis SC', ['Japanese Encephalitis']),
  cdsi('129', 'Japanese Encephalitis, unspecified formulation', ['Japanese Encephalitis']),
  cdsi('134', 'Japanese Encephalitis, VC', ['Japanese Encephalitis']),
  cdsi('09', 'Td (adult), adsorbed', TD),
  cdsi('113', 'Td (adult) preservative free', TD),
  cdsi('115', 'Tdap', [...TD, 'Pertussis']),
  cdsi('138', 'Td (adult)', TD),
  cdsi('139', 'Td(adult) unspecified formulation', TD),
  cdsi('196', 'Td, adsorbed, preservative free, adult use, Lf unspecified', TD),
  cdsi('35', 'tetanus toxoid, adsorbed', ['Tetanus']),
  cdsi('112', 'tetanus toxoid, unspecified formulation', ['Tetanus']),
  cdsi('142', 'tetanus toxoid, not adsorbed', ['Tetanus']),
  cdsi('133', 'Pneumococcal conjugate PCV 13', ['Pneumococcal']),
  cdsi('152', 'Pneumococcal Conjugate, unspecified formulation', ['Pneumococcal']),
  cdsi('215', 'Pneumococcal conjugate PCV 15', ['Pneumococcal']),
  cdsi('100', 'pneumococcal conjugate PCV 7', ['Pneumococcal']),
  cdsi('109', 'pneumococcal, unspecified formulation', ['Pneumococcal']),
  cdsi('216', 'Pneumococcal conjugate PCV 20', ['Pneumococcal']),
  {
    code: '19',
    short: 'BCG',
    antigens: ['BCG'],
    source:
      'CDC CVX table (docs/research/issue-17-sources.md § 5, source B: "Bacillus Calmette-Guerin vaccine"); not in the CDSi map (no US BCG series), antigen name LOCAL POLICY',
  },
  local('HEPB-BIRTH', 'Hepatitis B birth dose (monovalent)', ['HepB']),
  local('BCG', 'BCG', ['BCG']),
  local('DTP-HEPB-HIB', 'DPT-VGB-Hib (5-in-1)', [...DTP, 'HepB', 'Hib']),
  local('DTP', 'DPT', DTP),
  local('OPV', 'Oral polio vaccine', ['Polio']),
  local('IPV', 'Inactivated polio vaccine', ['Polio']),
  local('MEASLES', 'Measles', ['Measles']),
  local('MR', 'Measles-Rubella', ['Measles', 'Rubella']),
  local('JE', 'Japanese encephalitis', ['Japanese Encephalitis']),
  local('TD', 'Td (reduced-dose diphtheria, tetanus)', TD),
  local('ROTA', 'Rotavirus (oral)', ['Rotavirus']),
  local('TT', 'Tetanus toxoid (VAT)', ['Tetanus']),
];

const BY_CODE = new Map(VACCINE_ANTIGENS.map((r) => [r.code, r]));

/** The antigens a code carries (CVX written "08", local codes upper case); undefined: unknown code. */
export function antigensOf(code: string): readonly Antigen[] | undefined {
  return BY_CODE.get(code)?.antigens;
}
