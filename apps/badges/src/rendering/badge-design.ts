import { CATEGORY_LABELS, type Category } from '@einlass/contracts';

/**
 * What a badge prints and how it looks: its content, every size and position, the colours and
 * the category words. The drawing itself is in badge-layout.ts.
 */

/** What one badge prints. The caller formats; the renderer only lays out. */
export interface BadgeContent {
  eventName: string;
  /** Already formatted for print, e.g. "24. Oktober 2023". */
  eventDate: string;
  title: string | null;
  firstName: string;
  lastName: string;
  organisation: string | null;
  category: Category;
  /** Exactly what the QR code encodes. */
  qrText: string;
  /** Printed under the QR code, for the door staff to type in when a scan fails. */
  shortCode: string;
  /** The event's branding; without it, the default colours and both languages. */
  branding?: BadgeBranding;
}

/** Which words the category band prints: German, English, or both. */
export type BadgeLabelLanguages = 'de' | 'en' | 'de-en';

/** How an event's badges look beyond the defaults. */
export interface BadgeBranding {
  /**
   * A PNG or JPEG, checked when it was uploaded, drawn fitted into the logo box at the top. Give
   * every badge of a document the same Buffer: the image is then opened and embedded once.
   */
  logo?: Buffer | null;
  /** #rrggbb per category; a category without one keeps its colour in CATEGORY_STYLES. */
  colours?: Partial<Record<Category, string>>;
  labels?: BadgeLabelLanguages;
}

/** Points per millimetre: pdfkit measures in points (1/72 inch). */
export const MM = 72 / 25.4;

/** Every size and position on the badge, in one place. Lengths in mm, font sizes in pt. */
export const BADGE_LAYOUT = {
  /** A6 portrait. */
  widthMm: 105,
  heightMm: 148,
  marginMm: 8,
  /** The strip of category colour along the top edge. */
  topStripMm: 2.5,
  /** The event's logo is fitted into this box, centred above the event name, keeping its aspect. */
  logoBox: { widthMm: 50, heightMm: 14 },
  logoGapMm: 2.5,
  /** The coloured category band along the bottom edge. */
  bandMm: 15,
  /** The QR symbol itself, without its quiet zone: scanners at the door want 30 mm at least. */
  qrSymbolMm: 32,
  /** White modules around the symbol, as the QR specification asks. */
  qrQuietModules: 4,
  /** Between the short code and the band. */
  shortCodeGapMm: 3,
  /** Space kept clear between the text block and the QR's quiet zone. */
  textGapMm: 2,
  /** Above and below the short rule under the header. */
  headerRuleGapMm: 3,
  titleGapMm: 1,
  organisationGapMm: 4,
  eventName: { maxPt: 11, minPt: 8, maxLines: 2 },
  eventDate: { maxPt: 9, minPt: 7, maxLines: 1 },
  title: { maxPt: 11, minPt: 8, maxLines: 1 },
  firstName: { maxPt: 36, minPt: 16, maxLines: 1 },
  lastName: { maxPt: 24, minPt: 11, maxLines: 2 },
  organisation: { maxPt: 11, minPt: 7.5, maxLines: 2 },
  bandPt: { maxPt: 15, minPt: 9, maxLines: 1 },
  shortCodePt: 9,
  shortCodeSpacingPt: 1.5,
  /** Distance between baselines, as a multiple of the font size. */
  lineFactor: 1.2,
} as const;

/** Noto Sans's capital height, and where in a line (from its top) the baseline goes; per pt of font size. */
export const CAP_HEIGHT = 0.714;
export const BASELINE = 0.95;

export const COLOURS = {
  ink: '#111111',
  soft: '#4a4a4a',
  muted: '#6b6b6b',
  rule: '#d0d0d0',
  onBand: '#ffffff',
} as const;

const band = (category: Category, colour: string) => ({
  de: CATEGORY_LABELS.de.one[category],
  en: CATEGORY_LABELS.en.one[category],
  colour,
});

/**
 * The category band: its words in German and English (the project's one wording,
 * CATEGORY_LABELS in libs/contracts), and a colour that tells it apart across a room.
 */
export const CATEGORY_STYLES: Record<Category, { de: string; en: string; colour: string }> = {
  attendee: band('attendee', '#1d5fa8'),
  speaker: band('speaker', '#b3261e'),
  press: band('press', '#6a3d9a'),
  staff: band('staff', '#222b33'),
  exhibitor: band('exhibitor', '#2e7d32'),
};
