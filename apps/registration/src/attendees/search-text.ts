/** Letters that Unicode does not decompose into a base letter and a mark. */
const FOLDS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  ł: 'l',
  Ł: 'l',
  ø: 'o',
  Ø: 'o',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

/**
 * Folds text for searching: lower case, without accents, so that "muller" finds "Müller" and
 * "lodz" finds "Łódź". Applied both to what is stored and to what is searched for.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßẞłŁøØæÆœŒđĐðþıħ]/g, (c) => FOLDS[c] ?? c)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
