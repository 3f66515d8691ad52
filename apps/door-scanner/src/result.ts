/**
 * What the steward sees: the answer to a scan (colour, icon, sound, person, why), the ready
 * screen, the status bar (online, scans waiting) and the conflicts found on synchronising.
 */
import { categoryLabel, SCAN_RESULT_LABELS, type ScanResult } from '@einlass/contracts';
import { locale } from '@einlass/web-ui';
import { type ScanAnswer } from './offline';
import { playFor } from './sound';
import { settings, device, saveConflicts, words } from './device';
import { $, el, button } from './dom';
import { focusScanner } from './screens/scan';

const COLOURS: Record<ScanResult, string> = {
  admitted: 'green',
  already_admitted: 'amber',
  left: 'blue',
  revoked: 'red',
  invalid: 'red',
  wrong_event: 'red',
  not_on_list: 'red',
  capacity_full: 'red',
};
const ICONS: Record<string, string> = { green: '✓', amber: '!', blue: '↩', red: '✕' };

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const zone = device.snapshot?.event.timezone;
  const options: Intl.DateTimeFormatOptions = {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  };
  const sameDay =
    date.toLocaleDateString('en', { timeZone: zone }) ===
    new Date().toLocaleDateString('en', { timeZone: zone });
  if (!sameDay) Object.assign(options, { day: 'numeric', month: 'short' });
  return date.toLocaleString(locale(settings.lang), options);
}

/** The detail line: the answer's reason code in the steward's language. */
function detailOf(answer: ScanAnswer): string {
  const w = words();
  const list = settings.list;
  const session = device.snapshot?.lists.find((l) => l.code === list);
  const reason = answer.reason;
  if (reason === undefined) return answer.message;
  if (reason === 'not_on_list') return w.reasons.not_on_list(list);
  if (reason === 'capacity_full') return w.reasons.capacity_full(list, session?.capacity ?? 0);
  const inside = reason === 'admitted_first' || reason === 'already_inside';
  if ((inside || reason === 'duplicate_offline') && answer.firstScan) {
    return w.firstScan(formatTime(answer.firstScan.at), answer.firstScan.gate);
  }
  return w.reasons[reason];
}

let lastShown = 0;

export function show(answer: ScanAnswer, decidedOffline: boolean): void {
  const w = words();
  const colour = COLOURS[answer.result];
  const box = $('result');
  box.className = `result ${colour}`;
  box.dataset.result = answer.result;
  const person = answer.attendee;
  const children: (Node | string)[] = [
    el('div', { class: 'icon', 'aria-hidden': 'true' }, ICONS[colour]),
    el('div', { class: 'headline' }, SCAN_RESULT_LABELS[settings.lang][answer.result]),
  ];
  if (person) {
    children.push(el('div', { class: 'name' }, person.name || w.noName));
    if (person.organisation) children.push(el('div', { class: 'org' }, person.organisation));
    children.push(el('div', { class: 'category' }, categoryLabel(settings.lang, person.category)));
  }
  if (answer.result === 'already_admitted' && answer.firstScan) {
    children.push(
      el(
        'div',
        { class: 'first' },
        w.firstScan(formatTime(answer.firstScan.at), answer.firstScan.gate),
      ),
    );
  } else if (answer.result !== 'admitted' || !person) {
    children.push(el('div', { class: 'detail' }, detailOf(answer)));
  }
  if (decidedOffline) children.push(el('div', { class: 'offline-note' }, w.offlineDecided));
  box.replaceChildren(...children);
  box.setAttribute('aria-live', 'assertive');
  playFor(answer.result);
  lastShown = Date.now();
  const shownAt = lastShown;
  // Back to "ready" after a while, so the next person does not see the last answer.
  setTimeout(() => {
    if (lastShown === shownAt) renderIdle();
  }, 8000);
}

export function renderIdle(): void {
  const w = words();
  const box = $('result');
  box.className = `result idle${settings.direction === 'out' ? ' exits' : ''}`;
  box.dataset.result = 'ready';
  box.replaceChildren(
    el('div', { class: 'icon', 'aria-hidden': 'true' }, '⌁'),
    el('div', { class: 'headline' }, w.ready),
    el('div', { class: 'detail' }, settings.direction === 'out' ? w.readyOut : w.readyHint),
  );
}

export function renderStatus(): void {
  const w = words();
  const status = $('status');
  status.className = `status ${device.online ? 'online' : 'offline'}`;
  status.dataset.waiting = String(device.queue.length);
  const parts = [device.online ? w.online : w.offline];
  if (device.queue.length > 0)
    parts.push(device.syncing ? w.syncing : w.waiting(device.queue.length));
  status.textContent = parts.join(' · ');
  const listTitle = settings.list === 'main' ? w.entrance.replace(/ \(main\)$/, '') : settings.list;
  $('door-summary').textContent =
    `${settings.gate} · ${listTitle} · ${settings.direction === 'in' ? w.in : w.out}`;
  $('event-name').textContent = device.snapshot?.event.name ?? '';
  renderClockWarning();
}

/** A clock this far off makes offline scans' times wrong enough to matter (as the devices view). */
const CLOCK_WARNING_MS = 60_000;

/** Warns the steward when check-in found this device's clock a minute or more off. */
function renderClockWarning(): void {
  const warning = $('clock-warning');
  const offset = device.clockOffsetMs;
  const off = offset !== null && Math.abs(offset) >= CLOCK_WARNING_MS;
  warning.hidden = !off;
  warning.textContent = off
    ? words().clockOff(Math.round(Math.abs(offset) / 60_000), offset > 0)
    : '';
}

export function renderConflicts(): void {
  const w = words();
  const panel = $('conflicts');
  panel.hidden = device.conflicts.length === 0;
  if (device.conflicts.length === 0) return;
  panel.replaceChildren(
    el('h2', {}, w.conflictsTitle),
    el(
      'ul',
      {},
      ...device.conflicts.map((c) =>
        el(
          'li',
          {},
          el('strong', {}, c.name || '—'),
          el(
            'span',
            {},
            w.conflictShown(
              SCAN_RESULT_LABELS[settings.lang][c.shown],
              SCAN_RESULT_LABELS[settings.lang][c.server],
            ),
          ),
          el('span', {}, c.duplicate ? `${w.duplicate}. ${c.message}` : c.message),
        ),
      ),
    ),
    button('conflicts-ok', w.dismiss, 'big', () => {
      device.conflicts = [];
      saveConflicts();
      renderConflicts();
      focusScanner();
    }),
  );
}
