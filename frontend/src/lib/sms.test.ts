import { describe, expect, it } from 'vitest';
import { displayNumber } from './sms';

describe('displayNumber', () => {
  it('writes a North American number the way people read it aloud', () => {
    expect(displayNumber('+15550100000')).toBe('(555) 010-0000');
  });
  it('leaves other numbers as stored', () => {
    expect(displayNumber('+447700900123')).toBe('+447700900123');
    expect(displayNumber('')).toBe('');
  });
});
