import { describe, expect, it } from 'vitest';
import { categoryProblems, icons, kindFrom, reorder, suggestCode } from './categories';

describe('needs and strengths', () => {
  it('keep the kind in the address, needs by default', () => {
    expect(kindFrom('?kind=strength')).toBe('strength');
    expect(kindFrom('?kind=wish')).toBe('need');
    expect(kindFrom('')).toBe('need');
  });

  it('offer every icon the kiosk knows, once', () => {
    const names = icons.map((icon) => icon.name);
    expect(new Set(names).size).toBe(17);
    expect(names).toContain('test-strip');
  });

  it('suggest a code the server accepts from an English label', () => {
    expect(suggestCode('Hot meals & coffee')).toBe('hot_meals_coffee');
    expect(suggestCode('  Atención médica ')).toBe('atencion_medica');
    expect(suggestCode('!!!')).toBe('');
    expect(suggestCode('a '.repeat(40))).toMatch(/^[a-z0-9_]{1,64}$/);
    expect(suggestCode('a '.repeat(40)).endsWith('_')).toBe(false);
  });

  it('need a valid code and both labels before sending', () => {
    expect(categoryProblems('hot_meals', { en: 'Hot meals', es: 'Comida caliente' })).toEqual({});
    expect(categoryProblems('Hot Meals', { en: ' ', es: 'x'.repeat(121) })).toEqual({
      code: 'staff.categories.code.invalid',
      en: 'staff.categories.label.missing',
      es: 'staff.categories.label.tooLong',
    });
    // Editing: the code cannot change, so it is not checked.
    expect(categoryProblems(undefined, { en: 'Food', es: 'Comida' })).toEqual({});
  });

  it('move one place by renumbering only what changes', () => {
    const list = [
      { id: 'a', position: 0 },
      { id: 'b', position: 1 },
      { id: 'c', position: 2 },
    ];
    expect(reorder(list, 2, -1)).toEqual([
      { id: 'c', position: 1 },
      { id: 'b', position: 2 },
    ]);
    expect(reorder(list, 0, 1)).toEqual([
      { id: 'b', position: 0 },
      { id: 'a', position: 1 },
    ]);
    expect(reorder(list, 0, -1)).toEqual([]);
    expect(reorder(list, 2, 1)).toEqual([]);
  });

  it('put equal or sparse positions right while moving', () => {
    const list = [
      { id: 'a', position: 0 },
      { id: 'b', position: 0 },
      { id: 'c', position: 7 },
    ];
    expect(reorder(list, 1, -1)).toEqual([
      { id: 'a', position: 1 },
      { id: 'c', position: 2 },
    ]);
  });
});
