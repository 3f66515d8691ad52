import { BADGE_LAYOUT } from './badge-design';

/** Where one badge goes on a sheet: its top left corner, in mm from the page's top left. */
export interface SheetSlot {
  xMm: number;
  yMm: number;
}

/** A line the guillotine cuts along, and where on the page to mark it. */
export interface CropMark {
  x1Mm: number;
  y1Mm: number;
  x2Mm: number;
  y2Mm: number;
}

/** A sheet: its page size and the badges on it, in the order they are filled. */
export interface SheetLayout {
  name: string;
  /** Shown in the API documentation and errors. */
  description: string;
  pageMm: { width: number; height: number };
  slots: readonly SheetSlot[];
  cropMarks: readonly CropMark[];
}

const A4 = { width: 210, height: 297 } as const;
const BADGE = { width: BADGE_LAYOUT.widthMm, height: BADGE_LAYOUT.heightMm } as const;

/** Crop marks: this long, this far from the badges, this thin. */
const MARK_MM = 5;
const MARK_OFFSET_MM = 1.5;
export const CROP_MARK_WIDTH_PT = 0.25;

interface GridSpec {
  name: string;
  description: string;
  page: { width: number; height: number };
  columns: number;
  rows: number;
  /** Space between neighbouring badges; 0 = one cut between them. */
  gapMm?: number;
  cropMarks: boolean;
}

/**
 * A sheet of badges in a grid, centred on the page, filled row by row. Crop marks sit on every cut
 * line in the page's margins: outside the badges where there is room, and otherwise (badges
 * reaching the page edge) a short tick along the cut itself, which the cut takes away.
 */
export function gridSheet(spec: GridSpec): SheetLayout {
  const gap = spec.gapMm ?? 0;
  const gridWidth = spec.columns * BADGE.width + (spec.columns - 1) * gap;
  const gridHeight = spec.rows * BADGE.height + (spec.rows - 1) * gap;
  const left = (spec.page.width - gridWidth) / 2;
  const top = (spec.page.height - gridHeight) / 2;
  if (left < 0 || top < 0) throw new Error(`sheet ${spec.name}: the badges do not fit the page`);

  const slots: SheetSlot[] = [];
  for (let row = 0; row < spec.rows; row++) {
    for (let column = 0; column < spec.columns; column++) {
      slots.push({
        xMm: left + column * (BADGE.width + gap),
        yMm: top + row * (BADGE.height + gap),
      });
    }
  }
  const cutsX = unique(slots.flatMap((s) => [s.xMm, s.xMm + BADGE.width]));
  const cutsY = unique(slots.flatMap((s) => [s.yMm, s.yMm + BADGE.height]));
  const marks: CropMark[] = [];
  if (spec.cropMarks) {
    const { width, height } = spec.page;
    // A cut line closer than this to the page edge needs no cut.
    const edge = (at: number, size: number) => at < 1 || at > size - 1;
    /** A mark from the page edge towards the badges: [from, to] in mm along the cut line. */
    const span = (margin: number, towardsPage: 1 | -1, pageEdge: number): [number, number] =>
      margin >= MARK_MM + MARK_OFFSET_MM
        ? [
            pageEdge + towardsPage * (margin - MARK_OFFSET_MM - MARK_MM),
            pageEdge + towardsPage * (margin - MARK_OFFSET_MM),
          ]
        : [pageEdge, pageEdge + towardsPage * MARK_MM];
    for (const x of cutsX.filter((at) => !edge(at, width))) {
      const [a1, a2] = span(top, 1, 0);
      const [b1, b2] = span(top, -1, height);
      marks.push(
        { x1Mm: x, y1Mm: a1, x2Mm: x, y2Mm: a2 },
        { x1Mm: x, y1Mm: b1, x2Mm: x, y2Mm: b2 },
      );
    }
    for (const y of cutsY.filter((at) => !edge(at, height))) {
      const [a1, a2] = span(left, 1, 0);
      const [b1, b2] = span(left, -1, width);
      marks.push(
        { x1Mm: a1, y1Mm: y, x2Mm: a2, y2Mm: y },
        { x1Mm: b1, y1Mm: y, x2Mm: b2, y2Mm: y },
      );
    }
  }
  return {
    name: spec.name,
    description: spec.description,
    pageMm: spec.page,
    slots,
    cropMarks: marks,
  };
}

function unique(values: number[]): number[] {
  return [...new Set(values.map((v) => Math.round(v * 1000) / 1000))].sort((a, b) => a - b);
}

/**
 * Every sheet a print job can ask for. A new one (a label stock, US 4 × 3 inch badges on Letter)
 * is one more entry here.
 */
export const SHEET_LAYOUTS = {
  a6: gridSheet({
    name: 'a6',
    description: 'one A6 badge per page',
    page: BADGE,
    columns: 1,
    rows: 1,
    cropMarks: false,
  }),
  'a4-4up': gridSheet({
    name: 'a4-4up',
    description: 'four A6 badges on portrait A4, with crop marks',
    page: A4,
    columns: 2,
    rows: 2,
    cropMarks: true,
  }),
  'a4-2up': gridSheet({
    name: 'a4-2up',
    description:
      'two A6 badges side by side on landscape A4, centred, for printers that cannot print to the edge',
    page: { width: A4.height, height: A4.width },
    columns: 2,
    rows: 1,
    cropMarks: true,
  }),
} as const satisfies Record<string, SheetLayout>;

export type SheetLayoutName = keyof typeof SHEET_LAYOUTS;
export const SHEET_LAYOUT_NAMES = Object.keys(SHEET_LAYOUTS) as SheetLayoutName[];
