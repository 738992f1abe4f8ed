/**
 * The open proposals the kiosk asks about, kept in localStorage beside the
 * device token so a tablet reloaded without a network still asks "Do you
 * support this?". They are the program's published words, not anything a
 * participant gave, so they outlive a visit (wipe.ts keeps the key); the
 * answers themselves go to the outbox.
 */
import type { KioskProposal } from '../../lib/proposals';

export const proposalsKey = 'chorus.kiosk.proposals';

/** The proposals last fetched, or none when nothing usable is stored. */
export function readProposals(storage: Pick<Storage, 'getItem'> | undefined): KioskProposal[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(proposalsKey) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (p): p is KioskProposal =>
        typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.title === 'object' && p.title !== null,
    );
  } catch {
    return [];
  }
}

/** Keeps the proposals for next time; where storage is off, they last until a reload. */
export function storeProposals(storage: Pick<Storage, 'setItem'> | undefined, proposals: readonly KioskProposal[]): void {
  try {
    storage?.setItem(proposalsKey, JSON.stringify(proposals));
  } catch {
    // Storage disabled or full: the copy in memory still works.
  }
}
