/**
 * What the desk does once a person is registered: wait for the badge (issued asynchronously by
 * the badges service), hand its PDF to the browser's print dialog, and admit the person at the
 * desk's gate with an ordinary scan of the badge's QR code (check-in's scan route, with a nonce).
 */
import type { ScanAnswer } from '@einlass/contracts';
import { printPdfFromFrame } from '@einlass/web-ui/browser';
import type { Api } from '../../api';
import { type Attendee, type BadgeState, eventPath } from '../../shared/types';

export const DESK_STEPS = ['registered', 'badge', 'printing', 'admitting'] as const;
export type DeskStep = (typeof DESK_STEPS)[number];

export interface DeskOutcome {
  name: string;
  gate: string;
  answer: ScanAnswer;
  /** The badge PDF as an object URL, to open it again (a printer that jammed). */
  pdfUrl: string;
  seconds: number;
}

const BADGE_POLL_MS = 250;
const BADGE_WAIT_MS = 60_000;
let lastPdfUrl: string | undefined;

export async function printAndAdmit(
  api: Api,
  slug: string,
  person: Attendee,
  gate: string,
  onStep: (step: DeskStep) => void,
): Promise<Omit<DeskOutcome, 'seconds'>> {
  onStep('registered');
  onStep('badge');
  const badge = await issuedBadge(api, slug, person.id);
  onStep('printing');
  const pdf = await api.blob('badges', eventPath(slug, `/attendees/${person.id}/badge.pdf`));
  // The last badge stays openable until the next one; older ones are let go.
  if (lastPdfUrl) URL.revokeObjectURL(lastPdfUrl);
  const pdfUrl = (lastPdfUrl = URL.createObjectURL(pdf));
  printPdfFromFrame(pdfUrl, 'desk-print-frame');
  onStep('admitting');
  const answer = await api.request<ScanAnswer>('checkin', 'POST', eventPath(slug, '/scan'), {
    qr: badge.qr,
    gate,
    nonce: `desk:${person.id}:${badge.version}`,
  });
  return { name: `${person.firstName} ${person.lastName}`, gate, answer, pdfUrl };
}

/** Polls the badge until badges has issued it (usually well under a second). */
async function issuedBadge(api: Api, slug: string, id: string): Promise<BadgeState> {
  const deadline = Date.now() + BADGE_WAIT_MS;
  for (;;) {
    const badge = await api.get<BadgeState>('badges', eventPath(slug, `/attendees/${id}/badge`));
    if (badge.status === 'issued' && badge.qr) return badge;
    if (Date.now() > deadline) throw new Error('The badge was not issued within a minute.');
    await new Promise((resolve) => setTimeout(resolve, BADGE_POLL_MS));
  }
}
