/**
 * Accent folding for search: Vietnamese written with or without diacritics finds the same concept
 * ("sot xuat huyet" finds "Sốt xuất huyết"). NFD splits each letter from its marks, the marks
 * (U+0300–U+036F) are dropped, and đ/Đ — a letter of its own, not d with a mark — becomes d.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/** The words of a filter, folded: `filter` matches a concept when every word does. */
export function filterWords(filter: string): string[] {
  return fold(filter)
    .split(/[^\p{L}\p{N}.-]+/u)
    .filter((w) => w.length > 0);
}
