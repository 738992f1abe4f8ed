import { describe, expect, it } from 'vitest';
import { parseWords, wordsProblem, wordsText } from './watched-words';

describe('watched words', () => {
  it('are read one per line, as the server keeps them', () => {
    expect(parseWords('Bad  Batch\n\n  overdose \r\nbad batch\nSobredosis')).toEqual(['bad batch', 'overdose', 'sobredosis']);
    expect(parseWords('')).toEqual([]);
    expect(parseWords(wordsText(['bad batch', 'tranq']))).toEqual(['bad batch', 'tranq']);
  });

  it('stay within the server limits', () => {
    expect(wordsProblem(['bad batch'])).toBeUndefined();
    expect(wordsProblem(Array.from({ length: 101 }, (_, i) => `w${i}`))?.key).toBe('staff.urgent.tooMany');
    expect(wordsProblem(['x'.repeat(61)])).toEqual({ key: 'staff.urgent.tooLong', params: { word: 'x'.repeat(61), max: 60 } });
  });
});
