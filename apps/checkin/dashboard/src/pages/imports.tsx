import { useWords } from '../i18n';

const WORDS = { de: { title: 'Import' }, en: { title: 'Import' } };

/** Upload a CSV or Excel export and see the answer as a table. */
export function ImportsPage() {
  const t = useWords(WORDS);
  return <h1>{t.title}</h1>;
}
