import { describe, expect, it } from 'vitest';
import { barWidths } from './tally-scale';

describe('bar widths', () => {
  it('draws equal counts as equal bars, the largest filling the track', () => {
    expect(barWidths(['Food pantry', 'Mail service', 'Showers'], { 'Food pantry': 8, 'Mail service': 8, Showers: 16 })).toEqual([50, 50, 100]);
  });

  it('keeps one zero: a missing or zero count has no bar, and a chart of zeros has none', () => {
    expect(barWidths(['a', 'b'], { a: 3 })).toEqual([100, 0]);
    expect(barWidths(['a', 'b'], {})).toEqual([0, 0]);
  });

  it('keeps one scale whatever the number of digits', () => {
    const [small, large] = barWidths(['a', 'b'], { a: 9, b: 1000 });
    expect(small).toBeCloseTo(0.9);
    expect(large).toBe(100);
  });
});
