/**
 * Finding a person without their badge (lost, forgotten): from the snapshot when devices hold
 * names, else through check-in's door look-up; admitting them needs the network, and so does
 * printing them a new badge where the event allows it (print.ts).
 */
import { categoryLabel } from '@einlass/contracts';
import { rememberAnswer, searchSnapshot, type Found, type ScanAnswer } from './offline';
import { settings, device, local, saveLocal, words } from './device';
import { api, messageOf, setOnline } from './sync';
import { $, el, button } from './dom';
import { show } from './result';
import { focusScanner } from './screens/scan';
import { mayPrint, reissueAndPrint } from './print';

export function renderSearch(): void {
  const w = words();
  const panel = $('search');
  const input = el('input', {
    id: 'search-input',
    type: 'search',
    autocomplete: 'off',
    placeholder: w.searchPlaceholder,
  });
  const results = el('ul', { id: 'search-results', class: 'found' });
  const note = el('p', { class: 'hint', id: 'search-note' });
  const close = () => {
    panel.hidden = true;
    focusScanner();
  };
  let seq = 0;
  const run = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    let found: Found[] = [];
    note.textContent = '';
    if (q.length >= 2 && device.snapshot) {
      if (device.snapshot.devicesHoldNames) {
        found = searchSnapshot(device.snapshot, local, settings.list, q);
      } else if (device.online) {
        try {
          const response = await api<{ items: Found[] }>(
            'GET',
            `/door-lookup?q=${encodeURIComponent(q)}&list=${encodeURIComponent(settings.list)}`,
          );
          if (response.status === 200) found = response.body.items;
        } catch {
          setOnline(false);
          note.textContent = w.searchNoNames;
        }
      } else {
        note.textContent = w.searchNoNames;
      }
      if (mine !== seq) return;
      if (found.length === 0 && !note.textContent) note.textContent = w.searchNone;
    }
    results.replaceChildren(...found.map((f) => resultRow(f)));
  };
  const resultRow = (f: Found) => {
    const admit = button(`admit-${f.id}`, w.admit, 'admit', () => {
      if (!device.online) {
        note.textContent = w.needsNetwork;
        return;
      }
      admit.disabled = true;
      void api<ScanAnswer>('POST', `/attendees/${f.id}/checkin`, {
        gate: settings.gate,
        list: settings.list,
      })
        .then((response) => {
          if (response.status === 200) {
            rememberAnswer(local, settings.list, settings.gate, response.body, new Date());
            saveLocal();
            close();
            show(response.body, false);
          } else {
            admit.disabled = false;
            note.textContent = messageOf(response.body);
          }
        })
        .catch(() => {
          setOnline(false);
          admit.disabled = false;
          note.textContent = w.needsNetwork;
        });
    });
    const actions = el('div', { class: 'found-actions' }, admit);
    if (mayPrint() && f.status !== 'cancelled') actions.prepend(printButton(f));
    const tags = [categoryLabel(settings.lang, f.category)];
    if (f.status === 'cancelled') tags.push(w.cancelled);
    if (f.inside) tags.push(w.admittedAlready);
    return el(
      'li',
      {},
      el(
        'div',
        { class: 'who' },
        el('strong', {}, f.name),
        el('span', {}, [f.organisation, tags.join(' · ')].filter(Boolean).join(' — ')),
      ),
      actions,
    );
  };
  /** "Print badge": a new badge for the person, the old one refused from then on (print.ts). */
  const printButton = (f: Found) => {
    const print = button(`print-${f.id}`, w.printBadge, 'print', () => {
      if (!device.online) {
        note.textContent = w.printNeedsNetwork;
        return;
      }
      print.disabled = true;
      print.textContent = w.printing;
      note.textContent = '';
      void reissueAndPrint(f.id)
        .then((outcome) => {
          print.disabled = false;
          print.textContent = w.printBadge;
          if (!outcome.ok) {
            note.textContent = outcome.message || w.printFailed;
            return;
          }
          const open = el(
            'a',
            { id: 'print-open', href: outcome.pdfUrl, target: '_blank', rel: 'noopener' },
            w.openBadge,
          );
          note.replaceChildren(w.printed(f.name), ' ', open);
        })
        .catch(() => {
          print.disabled = false;
          print.textContent = w.printBadge;
          note.textContent = w.printFailed;
        });
    });
    return print;
  };
  input.addEventListener('input', () => void run());
  panel.replaceChildren(
    el(
      'div',
      { class: 'search-head' },
      el('h2', {}, w.searchTitle),
      button('search-close', w.close, 'small', close),
    ),
    input,
    note,
    results,
  );
  if (device.snapshot && !device.snapshot.devicesHoldNames && !device.online)
    note.textContent = w.searchNoNames;
  panel.hidden = false;
  input.focus();
}
