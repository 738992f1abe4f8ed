/**
 * Random values the kiosk makes itself, so they work with no network: the
 * receipt code a participant keeps, and each submission's idempotency key.
 */

/** The server's code alphabet (internal/auth.CodeAlphabet): no 0/O, 1/I/L, 5/S or 8/B to confuse. */
export const receiptAlphabet = '234679ACDEFGHJKMNPQRTUVWXYZ';

type Fill = (bytes: Uint8Array) => Uint8Array;

const cryptoFill: Fill = (bytes) => crypto.getRandomValues(bytes);

/**
 * A new receipt code, six characters shown as XXX-XXX. Bytes at or above the
 * largest multiple of the alphabet's length are drawn again, so every
 * character is equally likely.
 */
export function newReceipt(fill: Fill = cryptoFill): string {
  const n = receiptAlphabet.length;
  const limit = 256 - (256 % n);
  const chars: string[] = [];
  const bytes = new Uint8Array(16);
  while (chars.length < 6) {
    fill(bytes);
    for (const byte of bytes) {
      if (byte < limit && chars.length < 6) chars.push(receiptAlphabet[byte % n]!);
    }
  }
  return `${chars.slice(0, 3).join('')}-${chars.slice(3).join('')}`;
}

/** A random (version 4) UUID; crypto.randomUUID exists only in secure contexts, so it is built by hand elsewhere. */
export function newKey(fill: Fill = cryptoFill): string {
  if (fill === cryptoFill && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = fill(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
