/**
 * Pure helpers for the dashboard's charts: scales, the order of categories,
 * how periods and counts read, and the words a chart's text alternative is
 * made of. No DOM, so they are unit-tested.
 */
import type { Cell, Period, Row } from './reports';

/**
 * Okabe & Ito's colour-blind-safe palette (2008), without black and yellow
 * (too light on white): orange, blue, bluish green, vermillion, sky blue,
 * reddish purple. Bars always carry a dark outline and a text label, so
 * colour is never the only cue. The PDF report (internal/report/pdf.go)
 * uses the same list in the same order, so the site in a report's i-th
 * column has one colour on the page and on paper; a test on each side pins it.
 */
export const palette = ['#E69F00', '#0072B2', '#009E73', '#D55E00', '#56B4E9', '#CC79A7'] as const;

/** The colour of the i-th series, going round the palette. */
export function colorAt(i: number): string {
  return palette[((i % palette.length) + palette.length) % palette.length]!;
}

/**
 * The top of an axis: the smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least
 * max, so gridlines fall on round numbers; 1 when there is nothing to draw.
 */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    const top = step * power;
    if (top >= max - 1e-9) return top;
  }
  return 10 * power;
}

/** Evenly spaced gridline values from 0 to top inclusive: parts + 1 of them. */
export function ticks(top: number, parts = 4): number[] {
  if (top <= 0 || parts < 1) return [0];
  return Array.from({ length: parts + 1 }, (_, i) => Math.round(((top * i) / parts) * 1000) / 1000);
}

/** How far along an axis of length 0..1 a count goes; a kept-back count (null) is not drawn as a length. */
export function fraction(value: Cell, top: number): number {
  if (value === null || top <= 0) return 0;
  return Math.min(1, Math.max(0, value / top));
}

/** The largest shown count among cells (kept-back ones do not count), 0 when none is shown. */
export function maxShown(cells: readonly Cell[]): number {
  let max = 0;
  for (const cell of cells) if (cell !== null && cell > max) max = cell;
  return max;
}

/**
 * Categories by total, largest first: kept-back totals after every shown
 * one (their size is unknown), ties by code so the order is stable.
 * With n, only the first n.
 */
export function ranked(rows: readonly Row[], n?: number): Row[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.total === null || b.total === null) {
      if (a.total !== b.total) return a.total === null ? 1 : -1;
    } else if (a.total !== b.total) return b.total - a.total;
    return a.code.localeCompare(b.code);
  });
  return n === undefined ? sorted : sorted.slice(0, n);
}

/**
 * One category of a bar chart: its name and one bar per series (a site, or
 * the total), each with its share (0–100) when the chart shows one: null
 * when it must stay blank (shareOf).
 */
export interface BarGroup {
  key: string;
  name: string;
  bars: { series: string; value: Cell; color: string; share?: number | null }[];
}

/** A count as the reader's language writes it ("1,234" / "1.234"). */
export function formatCount(value: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(value);
}

/** A share (a percentage, 0–100) to one decimal, e.g. "12.5%" / "12,5 %". */
export function formatShare(value: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
}

const utcDay = (day: string): Date | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
};

/** How a period's words are written: "Week of {day}" and "Q{quarter} {year}" in the reader's language. */
export interface PeriodWords {
  week: string;
  quarter: string;
}

/**
 * A period, named by its first day (YYYY-MM-DD), in the reader's language:
 * short for a chart's axis ("Mar 2026", "Mar 2", "Q1 2026") and long for a
 * table ("March 2026", "Week of Mar 2, 2026").
 */
export function periodLabel(start: string, period: Period, lang: string, words: PeriodWords): { short: string; long: string } {
  const date = utcDay(start);
  if (!date) return { short: start, long: start };
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(date);
  const fill = (template: string, values: Record<string, string>) =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  switch (period) {
    case 'week':
      return {
        short: format({ month: 'short', day: 'numeric' }),
        long: fill(words.week, { day: format({ dateStyle: 'medium' }) }),
      };
    case 'quarter': {
      const text = fill(words.quarter, { quarter: String(Math.floor(date.getUTCMonth() / 3) + 1), year: String(date.getUTCFullYear()) });
      return { short: text, long: text };
    }
    default:
      return { short: format({ month: 'short', year: 'numeric' }), long: format({ month: 'long', year: 'numeric' }) };
  }
}

/** How a chart's text alternative reads a count: the number, or its "hidden" words. */
export function cellWords(value: Cell, lang: string, hidden: string): string {
  return value === null ? hidden : formatCount(value, lang);
}

/**
 * A bar's count for a chart's text alternative, with its share when it has
 * one: "731 (61.9%)", "hidden", or the count alone.
 */
export function barWords(value: Cell, share: number | null | undefined, lang: string, hidden: string): string {
  const count = cellWords(value, lang, hidden);
  return value === null || share === null || share === undefined ? count : `${count} (${formatShare(share, lang)})`;
}

/**
 * A series as one sentence for a chart's aria-label: "Housing: Jan 2026 12,
 * Feb 2026 hidden, Mar 2026 15."
 */
export function seriesSentence(name: string, points: readonly { label: string; value: Cell }[], lang: string, hidden: string): string {
  const parts = points.map((p) => `${p.label} ${cellWords(p.value, lang, hidden)}`);
  return `${name}: ${parts.join(', ')}.`;
}

/**
 * Which bars of a column chart carry their number as a label: all of them
 * when each bar is wide enough for it, otherwise only the highest and the
 * last (the table below has every number).
 */
export function labelledIndexes(values: readonly Cell[], barWidth: number, minWidth = 28): Set<number> {
  if (barWidth >= minWidth) return new Set(values.map((_, i) => i));
  const out = new Set<number>();
  let best = -1;
  values.forEach((value, i) => {
    if (value !== null && (best < 0 || value > (values[best] ?? 0))) best = i;
  });
  if (best >= 0) out.add(best);
  if (values.length > 0) out.add(values.length - 1);
  return out;
}

/**
 * A count as a share (0–100) of the people it is out of, such as a site's
 * respondents; null when either is kept back or the total is 0, so a
 * hidden count never gets a share that would give it away (privacy rule 6,
 * docs/suppression.md). Both come already suppressed from the server.
 */
export function shareOf(count: Cell, of: Cell): number | null {
  if (count === null || of === null || of <= 0) return null;
  return (count / of) * 100;
}

/** A month as the reader's language names it: "December 2025", "diciembre de 2025". */
export function monthName(day: string, lang: string): string {
  const date = utcDay(day);
  return date ? new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date) : day;
}

/**
 * Reports whether a report leaves out the month under way, from what was
 * asked and what the server answered, never from this browser's clock
 * (which may be wrong): when the view leaves its end to the server
 * (askedTo ""), the server ends it with the last complete month by its own
 * clock, so this month's answers come in when it ends. A view whose end the
 * reader chose says nothing of the month under way.
 */
export function leavesOutThisMonth(askedTo: string, to: string): boolean {
  return askedTo === '' && to !== '';
}
