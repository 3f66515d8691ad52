// What makes the scanner page an installable offline app (built by build-web.mjs beside its
// script): the web app manifest, its icons (drawn here as PNGs, no image files in the repository)
// and the service worker's shell list.
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

export const THEME_COLOUR = '#111827';
const ADMITTED_GREEN = [21, 128, 61];
const BACKGROUND = [17, 24, 39];

/** The icon sizes: Android's launcher and splash screen, iOS's home screen (apple-touch-icon). */
export const ICON_SIZES = [192, 512, 180];

export function manifest() {
  return {
    name: 'Einlass – Scanner',
    short_name: 'Einlass',
    description: 'Badges an der Tür scannen, auch offline. / Scan badges at the door, offline too.',
    id: '/scan',
    start_url: '/scan',
    scope: '/scan',
    display: 'standalone',
    orientation: 'portrait',
    theme_color: THEME_COLOUR,
    background_color: THEME_COLOUR,
    lang: 'de',
    icons: [
      { src: '/scan/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/scan/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      // the tick sits well inside the safe zone: the same picture serves a round launcher mask
      { src: '/scan/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}

/** The files the service worker keeps, as the page asks for them. */
export function shellFiles() {
  return [
    '/scan',
    '/scan/app.js',
    '/scan/app.css',
    '/scan/manifest.webmanifest',
    ...ICON_SIZES.map((size) => `/scan/icon-${size}.png`),
  ];
}

/** The icon: the admitted green disc with a white tick on the page's dark background. */
export function iconPng(size) {
  const rgb = Buffer.alloc(size * (size * 3 + 1));
  const c = size / 2;
  const radius = size * 0.36;
  const stroke = size * 0.045;
  const tick = [
    [c - radius * 0.45, c + radius * 0.02],
    [c - radius * 0.1, c + radius * 0.38],
    [c + radius * 0.5, c - radius * 0.32],
  ];
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    rgb[row] = 0; // no filter
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      let colour = BACKGROUND;
      if (Math.hypot(px - c, py - c) <= radius) colour = ADMITTED_GREEN;
      const onTick =
        distanceToSegment(px, py, tick[0], tick[1]) <= stroke ||
        distanceToSegment(px, py, tick[1], tick[2]) <= stroke;
      if (onTick) colour = [255, 255, 255];
      rgb.set(colour, row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rgb)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
