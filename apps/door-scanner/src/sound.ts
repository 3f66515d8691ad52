import type { ScanResult } from '@einlass/contracts';

let context: AudioContext | undefined;

/** Creates the audio context; call from a user gesture (tap or key), as browsers require. */
export function unlockSound(): void {
  if (!context && typeof AudioContext !== 'undefined') context = new AudioContext();
  if (context?.state === 'suspended') void context.resume();
}

function tone(frequency: number, start: number, duration: number, type: OscillatorType): void {
  if (!context) return;
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = type;
  oscillator.frequency.value = frequency;
  const t = context.currentTime + start;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.5, t + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + duration);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(t);
  oscillator.stop(t + duration + 0.02);
}

/** A sound per outcome, loud and distinct in a noisy hall: high for green, low for red. */
export function playFor(result: ScanResult): void {
  unlockSound();
  switch (result) {
    case 'admitted':
      tone(1320, 0, 0.18, 'sine');
      break;
    case 'already_admitted':
      tone(660, 0, 0.14, 'triangle');
      tone(660, 0.2, 0.14, 'triangle');
      break;
    case 'left':
      tone(880, 0, 0.12, 'sine');
      break;
    case 'revoked':
    case 'invalid':
    case 'wrong_event':
    case 'not_on_list':
    case 'capacity_full':
      tone(196, 0, 0.55, 'square');
      if ('vibrate' in navigator) navigator.vibrate([200, 80, 200]);
      break;
  }
}
