import { describe, expect, it } from 'vitest';
import { newKey, newReceipt, receiptAlphabet } from './receipt';

describe('newReceipt', () => {
  it('is six characters of the code alphabet, shown as XXX-XXX', () => {
    for (let i = 0; i < 200; i++) {
      expect(newReceipt()).toMatch(new RegExp(`^[${receiptAlphabet}]{3}-[${receiptAlphabet}]{3}$`));
    }
  });

  it('draws again for bytes that would favour some characters', () => {
    // 27 characters: bytes 243 and above would make the first 13 likelier, so they are skipped.
    const bytes = [243, 255, 0, 26, 27, 1, 2, 3, 4];
    const fill = (b: Uint8Array) => {
      b.fill(250);
      bytes.splice(0, b.length).forEach((value, i) => (b[i] = value));
      return b;
    };
    const a = receiptAlphabet;
    expect(newReceipt(fill)).toBe(`${a[0]}${a[26]}${a[0]}-${a[1]}${a[2]}${a[3]}`);
  });
});

describe('newKey', () => {
  it('is a version 4 UUID, also where crypto.randomUUID is missing', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newKey()).toMatch(uuid);
    expect(newKey((b) => crypto.getRandomValues(b))).toMatch(uuid);
    expect(newKey()).not.toBe(newKey());
  });
});
