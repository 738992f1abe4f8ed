import { describe, expect, it } from 'vitest';
import { categoryIcons, iconPaths, uiIcons } from './icons';

// The icon names the server's default categories use (internal/catalog/defaults.go).
const serverIcons = [
  'syringe', 'naloxone', 'test-strip', 'test-tube', 'heart', 'pill', 'clock', 'bandage', 'chat',
  'home', 'food', 'briefcase', 'bus', 'id-card', 'scale', 'people', 'shield',
];

describe('icons', () => {
  it('draws every icon the server can name', () => {
    expect(Object.keys(categoryIcons).sort()).toEqual([...serverIcons].sort());
  });

  it('draws an unknown name as a plain circle rather than nothing', () => {
    expect(iconPaths('no-such-icon')).toBe(uiIcons.unknown);
    expect(iconPaths('toString')).toBe(uiIcons.unknown);
  });

  it('is made of path data only (nothing fetched, nothing to run)', () => {
    for (const paths of Object.values({ ...categoryIcons, ...uiIcons })) {
      for (const d of paths) expect(d).toMatch(/^[MmLlHhVvCcSsQqTtAaZz0-9.,\s-]+$/);
    }
  });
});
