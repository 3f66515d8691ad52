/** Setting up the device: a door token and the event code, checked by loading the snapshot. */
import { unlockSound } from '../sound';
import { settings, device, saveSettings, words } from '../device';
import { setOnline, refreshSnapshot } from '../sync';
import { $, el, field } from '../dom';
import { renderDoor } from './door';

export function renderSignIn(error = ''): void {
  device.screen = 'signin';
  const w = words();
  const token = el('input', {
    id: 'token',
    type: 'password',
    autocomplete: 'off',
    placeholder: w.tokenPlaceholder,
  });
  token.value = settings.token;
  const slug = el('input', {
    id: 'slug',
    type: 'text',
    autocapitalize: 'none',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: w.eventPlaceholder,
  });
  slug.value = settings.slug;
  const message = el('p', { class: 'error', id: 'signin-error', role: 'alert' }, error);
  const connect = el('button', { id: 'connect', type: 'submit', class: 'big primary' }, w.connect);
  const form = el(
    'form',
    { class: 'panel', id: 'signin' },
    el('h1', {}, w.signInTitle),
    el('p', {}, w.signInIntro),
    field(w.token, token),
    field(w.event, slug),
    message,
    connect,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    unlockSound();
    settings.token = token.value.trim();
    settings.slug = slug.value.trim().toLowerCase();
    saveSettings();
    connect.disabled = true;
    connect.textContent = w.connecting;
    void signIn().then((problem) => {
      if (problem) renderSignIn(problem);
      else renderDoor();
    });
  });
  $('screen').replaceChildren(form);
  document.body.dataset.screen = device.screen;
  (settings.token ? slug : token).focus();
}

async function signIn(): Promise<string | undefined> {
  const w = words();
  try {
    const status = await refreshSnapshot();
    setOnline(true);
    if (status === 200) return undefined;
    if (status === 401) return w.tokenRejected;
    if (status === 403) return w.forbidden;
    if (status === 404) return w.eventUnknown;
    return `${status}`;
  } catch {
    return w.networkDown;
  }
}
