/**
 * Folds text for accent-insensitive string search, so that `nguyen` finds `Nguyễn`: Vietnamese is
 * often typed without diacritics (old keyboards, SMS habits), and FHIR string search is defined as
 * case- and accent-insensitive.
 *
 * NFD splits a precomposed letter into base + combining marks (ễ → e + ̂ + ̃), which we drop.
 * đ/Đ are letters in their own right (not d + a mark) and survive NFD, hence the explicit mapping.
 */
export function normalizeText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
