import { useWords } from '../i18n';

const WORDS = { de: { title: 'Person' }, en: { title: 'Person' } };

/** One attendee: details, check-in history, edit, cancel, reprint, manual check-in. */
export function AttendeePage(props: { id: string }) {
  const t = useWords(WORDS);
  return (
    <h1>
      {t.title} {props.id}
    </h1>
  );
}
