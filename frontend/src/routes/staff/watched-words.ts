/** The watched words that raise an alert: typed one per line, stored as the server keeps them. */
import type { MessageKey } from '../../lib/i18n';

/** The server's limits (api/organization.go). */
export const maxWords = 100;
export const maxWordLength = 60;

/**
 * The list a textarea holds, as the server will keep it: spaces squeezed,
 * lower case, blank lines and repeats dropped.
 */
export function parseWords(text: string): string[] {
  const words: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const word = line.split(/\s+/).filter(Boolean).join(' ').toLowerCase();
    if (word !== '' && !words.includes(word)) words.push(word);
  }
  return words;
}

/** One word or phrase per line, for the textarea. */
export function wordsText(words: readonly string[]): string {
  return words.join('\n');
}

/** Why the list cannot be saved, or undefined when it can. */
export function wordsProblem(words: readonly string[]): { key: MessageKey; params: Record<string, string | number> } | undefined {
  if (words.length > maxWords) return { key: 'staff.urgent.tooMany', params: { max: maxWords } };
  const long = words.find((word) => [...word].length > maxWordLength);
  if (long) return { key: 'staff.urgent.tooLong', params: { word: long, max: maxWordLength } };
  return undefined;
}
