/** Letters Unicode does not decompose into a base letter and a mark. */
const LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ı: 'i',
};

/**
 * Folds what an organiser types the way the `search_text` and `sort_name` columns of check-in's
 * attendees are folded (migration 1764900000000): without accents, lower case, ß as ss, so that
 * "muller" finds "Müller" and "lodz" finds "Łódź".
 */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ßæœłøđðı]/g, (c) => LETTERS[c] ?? c);
}
