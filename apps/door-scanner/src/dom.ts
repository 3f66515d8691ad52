/** The few DOM helpers the scanner page is built with (plain DOM, no framework). */
import { unlockSound } from './sound';

export const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export function el<K extends keyof HTMLElementTagNameMap>(
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

export function button(
  id: string,
  label: string,
  cls: string,
  onClick: () => void,
): HTMLButtonElement {
  const b = el('button', { id, type: 'button', class: cls }, label);
  b.addEventListener('click', () => {
    unlockSound();
    onClick();
  });
  return b;
}

export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, el('span', {}, label), input);
}
