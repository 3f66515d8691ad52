/** The device's door: gate, list (entrance or a session) and direction; sign out. */
import { unlockSound } from '../sound';
import { settings, device, forgetSnapshot, saveConflicts, saveSettings, words } from '../device';
import { $, el, button, field } from '../dom';
import { renderSignIn } from './sign-in';
import { renderScan } from './scan';
import { reportDevice } from '../sync';

export function renderDoor(): void {
  if (!device.snapshot) return renderSignIn();
  device.screen = 'door';
  const w = words();
  const gates = device.snapshot.gates;
  let gateInput: HTMLInputElement | HTMLSelectElement;
  if (gates.length > 0) {
    gateInput = el('select', { id: 'gate' }, ...gates.map((g) => el('option', { value: g }, g)));
    gateInput.value = gates.includes(settings.gate) ? settings.gate : gates[0];
  } else {
    gateInput = el('input', {
      id: 'gate',
      type: 'text',
      maxlength: '64',
      autocomplete: 'off',
      placeholder: w.gatePlaceholder,
      required: '',
      pattern: '[\\p{L}\\p{N} _.\\-]{1,64}',
    });
    gateInput.value = settings.gate;
  }
  const list = el(
    'select',
    { id: 'list' },
    ...device.snapshot.lists.map((l) =>
      el('option', { value: l.code }, l.code === 'main' ? w.entrance : `${l.code} · ${l.title}`),
    ),
  );
  list.value = device.snapshot.lists.some((l) => l.code === settings.list) ? settings.list : 'main';
  let direction = settings.direction;
  const dirIn = el('button', { type: 'button', id: 'dir-in', class: 'toggle' }, w.in);
  const dirOut = el('button', { type: 'button', id: 'dir-out', class: 'toggle' }, w.out);
  const paint = () => {
    dirIn.setAttribute('aria-pressed', String(direction === 'in'));
    dirOut.setAttribute('aria-pressed', String(direction === 'out'));
  };
  dirIn.addEventListener('click', () => ((direction = 'in'), paint()));
  dirOut.addEventListener('click', () => ((direction = 'out'), paint()));
  paint();
  const form = el(
    'form',
    { class: 'panel', id: 'door' },
    el('h1', {}, device.snapshot.event.name),
    el('h2', {}, w.doorTitle),
    field(w.gate, gateInput),
    field(w.list, list),
    el(
      'div',
      { class: 'field' },
      el('span', {}, w.direction),
      el('div', { class: 'toggles' }, dirIn, dirOut),
    ),
    el('button', { id: 'start', type: 'submit', class: 'big primary' }, w.start),
    button('signout', w.signOut, 'link', () => {
      settings.token = '';
      saveSettings();
      // The snapshot goes with the token (it may hold the names of the whole event): from memory,
      // IndexedDB and localStorage. So do the conflicts not yet confirmed (they name people; the
      // check-in log keeps each of them). The queue stays: it goes out after the next sign-in.
      device.conflicts = [];
      saveConflicts();
      void forgetSnapshot().then(() => renderSignIn());
    }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    unlockSound();
    if (!gateInput.value.trim()) return gateInput.focus();
    settings.gate = gateInput.value.trim();
    settings.list = list.value;
    settings.direction = direction;
    saveSettings();
    renderScan();
    // The devices view learns the gate now, and the steward hears at once of a clock that is off.
    void reportDevice();
  });
  $('screen').replaceChildren(form);
  document.body.dataset.screen = device.screen;
}
