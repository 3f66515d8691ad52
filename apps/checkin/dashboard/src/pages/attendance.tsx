import { useWords } from '../i18n';

const WORDS = { de: { title: 'Anwesenheit' }, en: { title: 'Attendance' } };

/** Live attendance: counts, categories, gates, sessions, arrivals, latest scans, not yet arrived. */
export function AttendancePage() {
  const t = useWords(WORDS);
  return <h1>{t.title}</h1>;
}
