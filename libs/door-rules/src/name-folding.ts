/**
 * Letters Unicode does not decompose into a base letter and a mark, with what they fold to; both
 * cases, so the fold does not depend on how a database lowers non-ASCII letters.
 */
export const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  þ: 'th',
  Þ: 'th',
  ł: 'l',
  Ł: 'l',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ħ: 'h',
  Ħ: 'h',
  ı: 'i',
};

/** Combining diacritical marks, as left by canonical decomposition (é = e + U+0301). */
const MARKS = '[\u0300-\u036f]';
const MARK_PATTERN = new RegExp(MARKS, 'g');
const LETTER_PATTERN = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

/**
 * Folds a name for searching: compatibility-decomposed, without accents, the letters above spelled
 * out, lower case, single spaces. "François Łódź Nuñez" folds to "francois lodz nunez", so what is
 * typed without accents finds what is stored with them. The one folding of the project: the stored
 * search columns, what organisers and stewards type, and the scanner page's offline search all use
 * it (in SQL through `foldNameSql`, which must fold exactly as this does).
 */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARK_PATTERN, '')
    .replace(LETTER_PATTERN, (letter) => LETTER_FOLDS[letter] ?? letter)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The same folding as a PostgreSQL expression over `expression` (immutable, so it can define a
 * generated column). The letters are spelled out one `replace` each, so the two cannot pair
 * letters of different lists.
 */
export function foldNameSql(expression: string): string {
  let sql = `regexp_replace(normalize(${expression}, NFKD), '${MARKS}', '', 'g')`;
  for (const [letter, folded] of Object.entries(LETTER_FOLDS)) {
    sql = `replace(${sql}, '${letter}', '${folded}')`;
  }
  return `btrim(regexp_replace(lower(${sql}), '\\s+', ' ', 'g'))`;
}
