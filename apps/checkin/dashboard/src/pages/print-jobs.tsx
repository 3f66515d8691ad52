import { useWords } from '../i18n';

const WORDS = { de: { title: 'Badges drucken' }, en: { title: 'Print badges' } };

/** Print jobs: filter, sort, layout; progress; download. */
export function PrintJobsPage() {
  const t = useWords(WORDS);
  return <h1>{t.title}</h1>;
}
