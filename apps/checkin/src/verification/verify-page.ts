import type { CertificateCheck } from '@einlass/contracts';

export type PageLanguage = 'de' | 'en';

const WORDS = {
  de: {
    locale: 'de-DE',
    title: 'Teilnahmebescheinigung prüfen',
    genuine: 'Echt: diese Teilnahmebescheinigung wurde vom Veranstalter ausgestellt.',
    notGenuine: 'Nicht echt',
    event: 'Veranstaltung',
    name: 'Name',
    sessions: 'Besuchte Programmpunkte',
    issued: 'Ausgestellt am',
    reasons: {
      malformed: 'Das ist kein Prüfcode einer Teilnahmebescheinigung.',
      tampered: 'Der Code wurde verändert oder nicht vom Veranstalter signiert.',
      unknown: 'Eine solche Bescheinigung wurde nie ausgestellt.',
      revoked: 'Diese Bescheinigung ist zurückgezogen (die Personendaten wurden gelöscht).',
    } as Record<string, string>,
    noCode: 'Kein Prüfcode angegeben: bitte den QR-Code der Bescheinigung scannen.',
    unavailable: 'Die Prüfung ist gerade nicht möglich. Bitte später erneut versuchen.',
    other: 'English',
  },
  en: {
    locale: 'en-GB',
    title: 'Check a certificate of attendance',
    genuine: 'Genuine: this certificate of attendance was issued by the organiser.',
    notGenuine: 'Not genuine',
    event: 'Event',
    name: 'Name',
    sessions: 'Sessions attended',
    issued: 'Issued on',
    reasons: {
      malformed: 'This is not the code of a certificate of attendance.',
      tampered: 'The code was altered or not signed by the organiser.',
      unknown: 'No such certificate was ever issued.',
      revoked: 'This certificate was withdrawn (the person’s data was erased).',
    } as Record<string, string>,
    noCode: 'No code given: scan the QR code on the certificate.',
    unavailable: 'The check is not possible right now. Please try again later.',
    other: 'Deutsch',
  },
} as const;

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** What the page shows: the answer, no code at all, or badges not reachable. */
export type VerifyPageState =
  { kind: 'answer'; check: CertificateCheck } | { kind: 'no_code' } | { kind: 'unavailable' };

/**
 * The public /verify page, as plain HTML with no script: what a phone shows after scanning a
 * certificate's QR code. Only what /verify may tell: event, name, sessions count, issue date.
 */
export function verifyPage(state: VerifyPageState, language: PageLanguage, code: string): string {
  const w = WORDS[language];
  let body: string;
  if (state.kind === 'answer' && state.check.genuine) {
    const { check } = state;
    const dates = new Intl.DateTimeFormat(w.locale, {
      dateStyle: 'long',
      timeZone: check.event.timezone,
    });
    body = `<section class="verdict genuine" data-verdict="genuine" role="status">
      <h2>✓ ${escape(w.genuine)}</h2>
      <dl>
        <dt>${w.event}</dt><dd data-field="event">${escape(check.event.name)}, ${escape(
          dates.formatRange(new Date(check.event.startsAt), new Date(check.event.endsAt)),
        )}${check.event.venue ? `, ${escape(check.event.venue)}` : ''}</dd>
        <dt>${w.name}</dt><dd data-field="name">${escape(check.name)}</dd>
        <dt>${w.sessions}</dt><dd data-field="sessions">${check.sessionsAttended}</dd>
        <dt>${w.issued}</dt><dd data-field="issued">${escape(dates.format(new Date(check.issuedAt)))}</dd>
      </dl>
    </section>`;
  } else if (state.kind === 'answer' && !state.check.genuine) {
    body = `<section class="verdict not-genuine" data-verdict="not_genuine" role="alert">
      <h2>✗ ${w.notGenuine}</h2>
      <p>${escape(w.reasons[state.check.reason] ?? state.check.message)}</p>
    </section>`;
  } else {
    body = `<section class="verdict not-genuine" data-verdict="${state.kind}" role="alert">
      <p>${escape(state.kind === 'no_code' ? w.noCode : w.unavailable)}</p>
    </section>`;
  }
  const other = language === 'de' ? 'en' : 'de';
  const switchLink = `?${code ? `c=${encodeURIComponent(code)}&` : ''}lang=${other}`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${w.title}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 36rem; padding: 1rem; color: #1a1a1a; }
.verdict { border-radius: 0.5rem; padding: 1rem 1.25rem; margin-top: 1rem; }
.genuine { background: #e6f4ea; border: 2px solid #1e7e34; }
.not-genuine { background: #fdecea; border: 2px solid #b3261e; }
dt { font-weight: 600; margin-top: 0.5rem; }
dd { margin: 0; }
nav { text-align: right; }
a { color: #0b57d0; }
</style>
</head>
<body>
<nav><a href="${escape(switchLink)}" lang="${other}">${w.other}</a></nav>
<main>
<h1>${w.title}</h1>
${body}
</main>
</body>
</html>`;
}
