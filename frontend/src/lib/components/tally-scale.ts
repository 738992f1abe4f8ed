/**
 * The scale of a bar chart of counts: every bar starts at the same zero and
 * is drawn on the same scale, the largest count filling the track, so equal
 * counts draw equal bars whatever their labels say.
 */

/** Each option's bar width, as a percentage of the track every row shares. */
export function barWidths(options: readonly string[], counts: Readonly<Record<string, number>>): number[] {
  const values = options.map((option) => Math.max(0, counts[option] ?? 0));
  const max = Math.max(1, ...values);
  return values.map((value) => (value / max) * 100);
}
