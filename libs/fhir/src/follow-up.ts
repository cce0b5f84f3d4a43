/**
 * A re-visit appointment given at the end of a visit ("giấy hẹn khám lại"): a ServiceRequest with
 * this code, `encounter` = the visit, `occurrenceDateTime` = when to come back, `requester` = the
 * doctor, and an identifier in FOLLOW_UP_LETTER_SYSTEM (the letter number, SO_GIAYHEN_KL). The
 * insurance claim's XML14 is made from it (docs/claims-xml130.md).
 */
export const FOLLOW_UP_CODE = {
  system: 'http://snomed.info/sct',
  code: '390906007',
  display: 'Follow-up encounter',
} as const;

/** ServiceRequest.identifier: the re-visit letter's number (XML14 SO_GIAYHEN_KL, ≤ 50 characters). */
export const FOLLOW_UP_LETTER_SYSTEM = 'https://fhir.mekong.health/sid/follow-up-letter';
