import { useWords } from '../i18n';

const WORDS = { de: { title: 'Teilnehmende' }, en: { title: 'Attendees' } };

/** Attendees: list with search and filters. */
export function AttendeesPage() {
  const t = useWords(WORDS);
  return <h1>{t.title}</h1>;
}
