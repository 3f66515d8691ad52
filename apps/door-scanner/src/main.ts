/**
 * The door staff's scanner page (`GET /scan`): sign in once with a door token, pick event, gate,
 * list and direction, then scan with a handheld scanner (types the code and Enter) or the camera.
 * Works offline from the scan snapshot and sends the queued scans when the network returns.
 */
import { decodeTicket } from '@einlass/tickets';
import {
  categoryLabel,
  SCAN_RESULT_LABELS,
  type Direction,
  type ScanResult,
  type ScanSnapshot,
} from '@einlass/contracts';
import { locale, otherLang } from '@einlass/web-ui';
import { Camera } from './camera';
import { defaultLang, WORDS, type Lang, type Words } from './i18n';
import {
  decideOffline,
  pruneLocal,
  rememberAnswer,
  searchSnapshot,
  type Found,
  type LocalRecord,
  type ScanAnswer,
} from './offline';
import { playFor, unlockSound } from './sound';

// ---------------------------------------------------------------------------------------------
// State, kept in localStorage so a reload (or a dead battery) loses nothing.

interface QueuedScan {
  qr: string;
  gate: string;
  list: string;
  direction: Direction;
  nonce: string;
  scannedAt: string;
  shown: ScanResult;
}

interface Conflict {
  name: string;
  shown: ScanResult;
  server: ScanResult;
  message: string;
  duplicate: boolean;
}

interface Settings {
  lang: Lang;
  token: string;
  slug: string;
  gate: string;
  list: string;
  direction: Direction;
  deviceId: string;
  counter: number;
}

const PREFIX = 'einlass.scanner.';
const REFRESH_MS = 30_000;
const RETRY_MS = 5_000;
const REQUEST_TIMEOUT_MS = 4_000;

function load<T>(name: string, fallback: T): T {
  try {
    const text = localStorage.getItem(PREFIX + name);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

function save(name: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // Full storage (a very large snapshot): the page keeps working from memory.
  }
}

const settings: Settings = {
  lang: defaultLang(navigator.languages ?? [navigator.language]),
  token: '',
  slug: '',
  gate: '',
  list: 'main',
  direction: 'in',
  deviceId: `web-${Math.random().toString(36).slice(2, 10)}`,
  counter: 0,
  ...load<Partial<Settings>>('settings', {}),
};
let snapshot: ScanSnapshot | undefined = load<ScanSnapshot | undefined>('snapshot', undefined);
if (snapshot && snapshot.event.slug !== settings.slug) snapshot = undefined;
let queue: QueuedScan[] = load<QueuedScan[]>('queue', []);
const local: LocalRecord = load<LocalRecord>('local', {});
let conflicts: Conflict[] = load<Conflict[]>('conflicts', []);
let online = navigator.onLine;
let syncing = false;
let screen: 'signin' | 'door' | 'scan' = 'signin';

const saveSettings = () => save('settings', settings);
const saveQueue = () => save('queue', queue);
const saveLocal = () => save('local', local);
const saveConflicts = () => save('conflicts', conflicts);
const words = (): Words => WORDS[settings.lang];

// ---------------------------------------------------------------------------------------------
// The network.

class NetworkError extends Error {}

async function api<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(`/api/events/${encodeURIComponent(settings.slug)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${settings.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: 'no-store',
    });
    const type = response.headers.get('content-type') ?? '';
    const payload: unknown = type.includes('json') ? await response.json() : await response.text();
    if (response.status >= 500) throw new NetworkError(`server answered ${response.status}`);
    return { status: response.status, body: payload as T };
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    throw new NetworkError(String(error));
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : '';
}

function setOnline(value: boolean): void {
  if (online === value) return;
  online = value;
  renderStatus();
  if (value) void syncQueue();
}

async function refreshSnapshot(): Promise<number> {
  const response = await api<ScanSnapshot>('GET', '/scan-snapshot');
  if (response.status === 200) {
    snapshot = response.body;
    save('snapshot', snapshot);
    pruneLocal(local, snapshot, new Set(queue.map((q) => idOf(q.qr))));
    saveLocal();
  }
  return response.status;
}

/** The badge id inside a QR text, for bookkeeping only (the signature is not checked here). */
function idOf(qr: string): string {
  try {
    return decodeTicket(qr).claims.badgeId;
  } catch {
    return '';
  }
}

async function syncQueue(): Promise<void> {
  if (syncing || queue.length === 0 || !navigator.onLine) return;
  syncing = true;
  renderStatus();
  try {
    // At most what POST …/scans takes: a queue of 1,000 syncs in one call (API.md).
    const batch = queue.slice(0, 1000);
    const send = batch.map(({ shown: _shown, ...scan }) => scan);
    const response = await api<ScanAnswer[]>('POST', '/scans', send);
    setOnline(true);
    if (response.status === 200) {
      response.body.forEach((answer, i) => settle(batch[i], answer));
      queue = queue.slice(batch.length);
    } else if (response.status === 400 || response.status === 409) {
      // One scan the server refuses (too old, an unknown gate): send them one by one.
      for (const scan of batch) {
        const { shown: _shown, ...body } = scan;
        const single = await api<ScanAnswer>('POST', '/scan', body);
        if (single.status === 200) settle(scan, single.body);
        else if (single.status === 400 || single.status === 409) {
          conflicts.push({
            name: '',
            shown: scan.shown,
            server: 'invalid',
            message: messageOf(single.body),
            duplicate: false,
          });
        } else break;
        queue = queue.filter((q) => q.nonce !== scan.nonce);
      }
    }
    saveQueue();
    saveLocal();
    saveConflicts();
    if (queue.length > 0 && response.status === 200) {
      syncing = false;
      return syncQueue();
    }
    await refreshSnapshot();
  } catch {
    setOnline(false);
  } finally {
    syncing = false;
    renderStatus();
    renderConflicts();
  }
}

function settle(scan: QueuedScan, answer: ScanAnswer): void {
  rememberAnswer(local, scan.list, scan.gate, answer, new Date());
  // A badge let in at two doors: this device admitted it offline and the server had (or got) an
  // admission elsewhere. A repeat this device itself answered "already admitted" is no conflict.
  const duplicate =
    scan.shown === 'admitted' &&
    (answer.flagged === 'duplicate' ||
      answer.reason === 'duplicate_offline' ||
      answer.reason === 'admitted_first');
  if (duplicate || answer.result !== scan.shown) {
    conflicts.push({
      name: answer.attendee?.name ?? '',
      shown: scan.shown,
      server: answer.result,
      message: answer.firstScan
        ? words().firstScan(formatTime(answer.firstScan.at), answer.firstScan.gate)
        : answer.message,
      duplicate,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning.

let busy: Promise<void> = Promise.resolve();

/** Scans are handled one after the other, in the order read. */
function onCode(text: string): void {
  busy = busy.then(() => scan(text)).catch(() => undefined);
}

async function scan(text: string): Promise<void> {
  const qr = text.trim();
  if (!qr || !snapshot) return;
  if (qr.length > 2048) {
    show({ result: 'invalid', message: '', reason: 'malformed' }, false);
    return;
  }
  settings.counter += 1;
  saveSettings();
  const scan: QueuedScan = {
    qr,
    gate: settings.gate,
    list: settings.list,
    direction: settings.direction,
    nonce: `${settings.deviceId}:${settings.counter}`,
    scannedAt: new Date().toISOString(),
    shown: 'invalid',
  };
  if (online && navigator.onLine && queue.length === 0) {
    try {
      const { scannedAt: _at, shown: _shown, ...body } = scan;
      const response = await api<ScanAnswer>('POST', '/scan', body);
      if (response.status === 200) {
        rememberAnswer(local, scan.list, scan.gate, response.body, new Date());
        saveLocal();
        show(response.body, false);
        return;
      }
      // 429: the token's scan budget is spent (a long queue just synced); decide here, as when
      // offline, and send it with the queue once the budget allows.
      if (response.status !== 429) {
        show(
          { result: 'invalid', message: messageOf(response.body) || `${response.status}` },
          false,
        );
        return;
      }
    } catch {
      setOnline(false);
    }
  }
  const answer = await decideOffline(scan, snapshot, local, new Date());
  scan.shown = answer.result;
  queue.push(scan);
  saveQueue();
  saveLocal();
  show(answer, true);
  renderStatus();
  if (online) void syncQueue();
}

// ---------------------------------------------------------------------------------------------
// The page.

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

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

function formatTime(iso: string): string {
  const date = new Date(iso);
  const zone = snapshot?.event.timezone;
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
  const session = snapshot?.lists.find((l) => l.code === list);
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

function show(answer: ScanAnswer, decidedOffline: boolean): void {
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

function renderIdle(): void {
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

function renderStatus(): void {
  const w = words();
  const status = $('status');
  status.className = `status ${online ? 'online' : 'offline'}`;
  status.dataset.waiting = String(queue.length);
  const parts = [online ? w.online : w.offline];
  if (queue.length > 0) parts.push(syncing ? w.syncing : w.waiting(queue.length));
  status.textContent = parts.join(' · ');
  const listTitle = settings.list === 'main' ? w.entrance.replace(/ \(main\)$/, '') : settings.list;
  $('door-summary').textContent =
    `${settings.gate} · ${listTitle} · ${settings.direction === 'in' ? w.in : w.out}`;
  $('event-name').textContent = snapshot?.event.name ?? '';
}

function renderConflicts(): void {
  const w = words();
  const panel = $('conflicts');
  panel.hidden = conflicts.length === 0;
  if (conflicts.length === 0) return;
  panel.replaceChildren(
    el('h2', {}, w.conflictsTitle),
    el(
      'ul',
      {},
      ...conflicts.map((c) =>
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
      conflicts = [];
      saveConflicts();
      renderConflicts();
      focusScanner();
    }),
  );
}

function button(id: string, label: string, cls: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { id, type: 'button', class: cls }, label);
  b.addEventListener('click', () => {
    unlockSound();
    onClick();
  });
  return b;
}

function field(label: string, input: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, el('span', {}, label), input);
}

function renderSignIn(error = ''): void {
  screen = 'signin';
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
  document.body.dataset.screen = screen;
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

function renderDoor(): void {
  if (!snapshot) return renderSignIn();
  screen = 'door';
  const w = words();
  const gates = snapshot.gates;
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
    ...snapshot.lists.map((l) =>
      el('option', { value: l.code }, l.code === 'main' ? w.entrance : `${l.code} · ${l.title}`),
    ),
  );
  list.value = snapshot.lists.some((l) => l.code === settings.list) ? settings.list : 'main';
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
    el('h1', {}, snapshot.event.name),
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
      renderSignIn();
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
  });
  $('screen').replaceChildren(form);
  document.body.dataset.screen = screen;
}

let camera: Camera | undefined;

function renderScan(): void {
  screen = 'scan';
  const w = words();
  const input = el('input', {
    id: 'scan-input',
    type: 'text',
    inputmode: 'none',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    enterkeyhint: 'go',
    placeholder: w.scanPlaceholder,
    'aria-label': w.scanPlaceholder,
  });
  const form = el(
    'form',
    { id: 'scan-form', class: 'scan-form' },
    input,
    button('type-code', w.typeCode, 'small', () => {
      input.setAttribute('inputmode', input.getAttribute('inputmode') === 'none' ? 'text' : 'none');
      input.blur();
      input.focus();
    }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = '';
    onCode(text);
  });
  const video = el('video', { id: 'video', playsinline: '', muted: '' });
  const cameraBox = el('div', { id: 'camera', class: 'camera', hidden: '' }, video);
  const cameraButton = button('camera-toggle', w.camera, 'action', () => void toggleCamera());
  const searchButton = button('search-open', w.search, 'action', renderSearch);
  const doorButton = button('door-open', w.settings, 'action', () => {
    camera?.stop();
    renderDoor();
  });
  $('screen').replaceChildren(
    el('div', { id: 'result', class: 'result idle' }),
    cameraBox,
    el('section', { id: 'conflicts', class: 'conflicts', hidden: '' }),
    form,
    el('nav', { class: 'actions' }, cameraButton, searchButton, doorButton),
  );
  document.body.dataset.screen = screen;
  renderIdle();
  renderStatus();
  renderConflicts();
  camera = new Camera(video, (text) => onCode(text));

  async function toggleCamera(): Promise<void> {
    if (!camera) return;
    if (camera.running) {
      camera.stop();
      cameraBox.hidden = true;
      cameraButton.textContent = w.camera;
      return;
    }
    if (!Camera.available()) {
      show({ result: 'invalid', message: w.cameraUnavailable }, false);
      return;
    }
    cameraBox.hidden = false;
    cameraButton.textContent = w.cameraOff;
    try {
      await camera.start();
    } catch {
      cameraBox.hidden = true;
      cameraButton.textContent = w.camera;
      show({ result: 'invalid', message: w.cameraUnavailable }, false);
    }
  }
  focusScanner();
}

function focusScanner(): void {
  if (screen !== 'scan' || !$('search').hidden) return;
  const input = document.getElementById('scan-input');
  if (input && document.activeElement !== input) input.focus({ preventScroll: true });
}

function renderSearch(): void {
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
    if (q.length >= 2 && snapshot) {
      if (snapshot.devicesHoldNames) {
        found = searchSnapshot(snapshot, local, settings.list, q);
      } else if (online) {
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
      if (!online) {
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
      admit,
    );
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
  if (snapshot && !snapshot.devicesHoldNames && !online) note.textContent = w.searchNoNames;
  panel.hidden = false;
  input.focus();
}

function renderLanguage(): void {
  const w = words();
  document.documentElement.lang = settings.lang;
  document.title = w.appTitle;
  $('lang').textContent = w.language;
}

function rerender(): void {
  renderLanguage();
  if (screen === 'signin') renderSignIn();
  else if (screen === 'door') renderDoor();
  else renderScan();
}

// ---------------------------------------------------------------------------------------------
// Start.

function start(): void {
  $('lang').addEventListener('click', () => {
    settings.lang = otherLang(settings.lang);
    saveSettings();
    $('search').hidden = true;
    rerender();
  });
  $('door-summary').addEventListener('click', () => {
    if (screen === 'scan') {
      camera?.stop();
      renderDoor();
    }
  });
  // A handheld scanner is a keyboard: whatever is typed outside a field goes to the scan field.
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (screen !== 'scan' || target?.closest('input, select, textarea')) return;
    if (event.key.length === 1 || event.key === 'Enter') focusScanner();
  });
  document.addEventListener('focusout', () => setTimeout(focusScanner, 0));
  document.addEventListener('click', (event) => {
    if (!(event.target as HTMLElement).closest('input, select, button, textarea, a'))
      setTimeout(focusScanner, 0);
  });
  window.addEventListener('online', () => {
    setOnline(true);
    void syncQueue().then(() => refreshSnapshot().catch(() => setOnline(false)));
  });
  window.addEventListener('offline', () => setOnline(false));
  setInterval(() => {
    if (!settings.token || !snapshot || !navigator.onLine) return;
    if (online) void refreshSnapshot().catch(() => setOnline(false));
  }, REFRESH_MS);
  setInterval(() => {
    if (!settings.token || !snapshot || !navigator.onLine) return;
    if (!online || queue.length > 0) {
      if (queue.length > 0) void syncQueue();
      else
        void refreshSnapshot().then(
          () => setOnline(true),
          () => setOnline(false),
        );
    }
  }, RETRY_MS);

  renderLanguage();
  if (settings.token && settings.slug && snapshot && settings.gate) {
    renderScan();
    void refreshSnapshot()
      .then(() => setOnline(true))
      .catch(() => setOnline(false));
    void syncQueue();
  } else if (settings.token && settings.slug && snapshot) {
    renderDoor();
  } else {
    renderSignIn();
  }
}

start();
