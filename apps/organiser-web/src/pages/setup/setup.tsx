/**
 * Set-up: what an organiser prepares once per event, without the API. Door tokens for the
 * stewards' phones and scanners (shown once, revocable), the gates, the phones' way to the scanner
 * (its QR code, and the local certificate authority when there is one) and what devices may hold
 * offline, the programme (sessions.csv), the badge design (labels, category colours, logo) and
 * the messages between the services. Each card is a file of its own beside this one, sharing
 * the words (words.ts) and the busy/outcome handling of their buttons (submission.tsx).
 */
import { useWords } from '../../i18n';
import { WORDS } from './words';
import { Pipeline } from './pipeline';
import { DoorTokens } from './door-tokens';
import { DoorSettings } from './door-settings';
import { Phones } from './phones';
import { DoorDevices } from './door-devices';
import { Programme } from './programme';
import { BadgeDesign } from './badge-design';

export function SetupPage() {
  const t = useWords(WORDS);
  return (
    <div class="setup">
      <div class="page-head">
        <div>
          <h1>{t.title}</h1>
          <p class="muted">{t.intro}</p>
        </div>
      </div>
      <DoorTokens t={t} />
      <DoorSettings t={t} />
      <Phones t={t} />
      <Programme t={t} />
      <BadgeDesign t={t} />
      <DoorDevices t={t} />
      <Pipeline t={t} />
    </div>
  );
}
