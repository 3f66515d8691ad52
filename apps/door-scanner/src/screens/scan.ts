/**
 * The scanning screen: the scan field a handheld scanner types into (kept focused), the camera,
 * and the buttons to search and to change the door.
 */
import { Camera } from '../camera';
import { device, words } from '../device';
import { onCode } from '../scanning';
import { $, el, button } from '../dom';
import { show, renderIdle, renderStatus, renderConflicts } from '../result';
import { renderDoor } from './door';
import { renderSearch } from '../search';

let camera: Camera | undefined;

export function renderScan(): void {
  device.screen = 'scan';
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
  document.body.dataset.screen = device.screen;
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

export function focusScanner(): void {
  if (device.screen !== 'scan' || !$('search').hidden) return;
  const input = document.getElementById('scan-input');
  if (input && document.activeElement !== input) input.focus({ preventScroll: true });
}

/** Off when the screen changes. */
export function stopCamera(): void {
  camera?.stop();
}
