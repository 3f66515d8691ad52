/**
 * Printing one badge at the door (issue 15), for someone whose badge is lost or was never
 * printed: the badges service re-issues it (the next version: the old code answers `revoked` from
 * then on), and its PDF goes to the device's print dialog from a hidden frame. Only where the
 * event allows it (door settings `devicesMayPrint`, carried by the scan snapshot); the badges
 * service checks that again and answers 403 otherwise. Needs the network.
 */
import { printPdfFromFrame } from '@einlass/web-ui/browser';
import { device, saveSnapshot, settings } from './device';

/** Where this page reaches the badges service (check-in's /dashboard/config.json). */
let badgesUrl: string | undefined;

async function badgesService(): Promise<string> {
  if (badgesUrl) return badgesUrl;
  const response = await fetch('/dashboard/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  const config = (await response.json()) as { services: { badges: string } };
  badgesUrl = config.services.badges.replace(/\/+$/, '');
  return badgesUrl;
}

/** Whether this device may offer "Print badge" (the event allows it, as the snapshot says). */
export const mayPrint = (): boolean => device.snapshot?.devicesMayPrint === true;

export type PrintOutcome =
  { ok: true; version: number; pdfUrl: string } | { ok: false; status: number; message: string };

let lastPdfUrl: string | undefined;

/** Re-issues the person's badge and hands the new one's PDF to the print dialog. */
export async function reissueAndPrint(attendeeId: string): Promise<PrintOutcome> {
  const base = `${await badgesService()}/api/events/${encodeURIComponent(settings.slug)}/attendees/${encodeURIComponent(attendeeId)}`;
  const headers = { authorization: `Bearer ${settings.token}` };
  const reissued = await fetch(`${base}/badge/reissue`, { method: 'POST', headers });
  const answer = (await reissued.json().catch(() => ({}))) as {
    version?: number;
    message?: string | string[];
  };
  if (reissued.status !== 200 || typeof answer.version !== 'number') {
    return { ok: false, status: reissued.status, message: messageText(answer.message) };
  }
  // This device refuses the lost badge at once, also offline, before the next snapshot says so.
  const held = device.snapshot?.badges[attendeeId];
  if (held && device.snapshot) {
    held.version = answer.version;
    void saveSnapshot(device.snapshot);
  }
  const pdf = await fetch(`${base}/badge.pdf`, { headers, cache: 'no-store' });
  if (pdf.status !== 200) {
    const body = (await pdf.json().catch(() => ({}))) as { message?: string | string[] };
    return { ok: false, status: pdf.status, message: messageText(body.message) };
  }
  if (lastPdfUrl) URL.revokeObjectURL(lastPdfUrl);
  const pdfUrl = (lastPdfUrl = URL.createObjectURL(await pdf.blob()));
  printPdfFromFrame(pdfUrl, 'print-frame');
  return { ok: true, version: answer.version, pdfUrl };
}

const messageText = (message: string | string[] | undefined): string =>
  Array.isArray(message) ? message.join('; ') : (message ?? '');
