/**
 * What a reset clears outside the flow's own state: web storage and the
 * history entry. The flow never writes answers to either, so this is a
 * second line of defence: the tablet keeps only what it needs to work.
 * The outbox (IndexedDB) is left alone: it holds only what was submitted.
 */
import { idleKey, graceKey } from './idle';
import { proposalsKey } from './proposal-cache';
import { tokenKey } from './token';

/**
 * localStorage keys a kiosk keeps across participants: its device token, test
 * timings, the staff's language, and the program's open proposals (its own words).
 */
export const keptKeys: readonly string[] = [tokenKey, idleKey, graceKey, 'chorus.lang', proposalsKey];

/** Empties sessionStorage and removes every localStorage key but keptKeys. */
export function wipeStorage(local: Storage | undefined, session: Storage | undefined): void {
  try {
    session?.clear();
  } catch {
    // Storage disabled: nothing was kept.
  }
  try {
    if (!local) return;
    const doomed: string[] = [];
    for (let i = 0; i < local.length; i++) {
      const key = local.key(i);
      if (key !== null && !keptKeys.includes(key)) doomed.push(key);
    }
    for (const key of doomed) local.removeItem(key);
  } catch {
    // As above.
  }
}

/** Replaces the current history entry with a bare /kiosk: no state object, no query, no fragment. */
export function wipeHistory(): void {
  history.replaceState(null, '', location.pathname);
}
