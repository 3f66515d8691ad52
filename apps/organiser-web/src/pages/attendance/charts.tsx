/**
 * Charts drawn by hand: a horizontal meter and a column chart in SVG. Each carries its figures as
 * text too (a label next to the bar, a table for the columns), so colour and shape are never the
 * only way to read them.
 */
import type { ComponentChildren } from 'preact';

/** A horizontal bar: `value` of `max`, with a tone for nearly full / full. */
export function Meter(props: {
  value: number;
  max: number;
  tone?: 'brand' | 'accent' | 'amber' | 'red' | 'green';
  /** The bar's meaning for screen readers; the visible figures sit beside it. */
  label: string;
  /** A second, lighter bar behind the first (e.g. registered behind checked in). */
  behind?: number;
}) {
  const share = props.max > 0 ? Math.min(1, props.value / props.max) : 0;
  const behind =
    props.behind !== undefined && props.max > 0 ? Math.min(1, props.behind / props.max) : 0;
  return (
    <div
      class={`meter tone-${props.tone ?? 'brand'}`}
      role="meter"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={props.max}
      aria-valuenow={Math.min(props.value, props.max)}
    >
      {behind > 0 && <span class="meter-behind" style={{ width: `${behind * 100}%` }} />}
      <span class="meter-fill" style={{ width: `${share * 100}%` }} />
    </div>
  );
}

export interface Column {
  /** The column's label under the axis (shown for every `labelEvery`-th column). */
  label: string;
  /** The full description of the column for the table ("09:15–09:20"). */
  title: string;
  value: number;
}

/** A rounded axis maximum (1, 2, 5 × 10ⁿ) at or above `value`. */
export function niceMax(value: number): number {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Columns in an SVG that scales with its box. The SVG is one image with a summary for screen
 * readers (`summary`); the figures themselves are in the table that follows it (`table`).
 */
export function ColumnChart(props: {
  columns: Column[];
  summary: string;
  labelEvery: number;
  formatValue: (value: number) => string;
  children?: ComponentChildren;
}) {
  const width = 720;
  const height = 220;
  const left = 40;
  const bottom = 26;
  const top = 10;
  const plotHeight = height - bottom - top;
  const max = niceMax(Math.max(0, ...props.columns.map((c) => c.value)));
  const n = Math.max(1, props.columns.length);
  const slot = (width - left - 4) / n;
  const bar = Math.max(2, slot * 0.72);
  const ticks = [0, max / 2, max];
  return (
    <svg
      class="column-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={props.summary}
    >
      {ticks.map((tick) => {
        const y = top + plotHeight - (tick / max) * plotHeight;
        return (
          <g key={tick} aria-hidden="true">
            <line class="grid" x1={left} x2={width} y1={y} y2={y} />
            <text class="axis" x={left - 6} y={y + 4} text-anchor="end">
              {props.formatValue(tick)}
            </text>
          </g>
        );
      })}
      {props.columns.map((column, i) => {
        const h = (column.value / max) * plotHeight;
        const x = left + i * slot + (slot - bar) / 2;
        return (
          <g key={column.title}>
            <rect
              class={column.value > 0 ? 'bar' : 'bar empty'}
              x={x}
              y={top + plotHeight - h}
              width={bar}
              height={Math.max(h, column.value > 0 ? 2 : 0)}
              rx={Math.min(3, bar / 3)}
            >
              <title>{`${column.title}: ${props.formatValue(column.value)}`}</title>
            </rect>
            {i % props.labelEvery === 0 && (
              <text class="axis" x={x + bar / 2} y={height - 8} text-anchor="middle">
                {column.label}
              </text>
            )}
          </g>
        );
      })}
      {props.children}
    </svg>
  );
}
