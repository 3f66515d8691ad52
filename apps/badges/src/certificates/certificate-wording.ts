import type { CertificateLanguage } from './certificate.entity';

/** The words of a certificate and of /verify, German and English. */
export const CERTIFICATE_WORDS = {
  de: {
    locale: 'de-DE',
    title: 'Teilnahmebescheinigung',
    certify: 'Hiermit wird bescheinigt, dass',
    attended: 'an der folgenden Veranstaltung teilgenommen hat:',
    sessions: 'Besuchte Programmpunkte',
    noSessions: 'Keine einzelnen Programmpunkte erfasst.',
    more: (count: number) => `… und ${count} weitere`,
    issuedBy: 'Ausgestellt von',
    issuedOn: 'Ausgestellt am',
    verify: 'Echtheit prüfen: QR-Code scannen oder aufrufen',
    fileTitle: 'Teilnahmebescheinigung',
  },
  en: {
    locale: 'en-GB',
    title: 'Certificate of attendance',
    certify: 'This is to certify that',
    attended: 'attended the following event:',
    sessions: 'Sessions attended',
    noSessions: 'No individual sessions recorded.',
    more: (count: number) => `… and ${count} more`,
    issuedBy: 'Issued by',
    issuedOn: 'Issued on',
    verify: 'Check that it is genuine: scan the QR code or open',
    fileTitle: 'Certificate of attendance',
  },
} as const satisfies Record<CertificateLanguage, unknown>;

/** The event's dates, e.g. "24.–25. Oktober 2026" or "24–25 October 2026". */
export function eventDates(
  language: CertificateLanguage,
  timezone: string,
  startsAt: Date,
  endsAt: Date,
): string {
  const format = new Intl.DateTimeFormat(CERTIFICATE_WORDS[language].locale, {
    dateStyle: 'long',
    timeZone: timezone,
  });
  return format.formatRange(startsAt, endsAt);
}

export function dayAndTime(language: CertificateLanguage, timezone: string, at: Date): string {
  return new Intl.DateTimeFormat(CERTIFICATE_WORDS[language].locale, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: timezone,
  }).format(at);
}

export function longDate(language: CertificateLanguage, timezone: string, at: Date): string {
  return new Intl.DateTimeFormat(CERTIFICATE_WORDS[language].locale, {
    dateStyle: 'long',
    timeZone: timezone,
  }).format(at);
}
