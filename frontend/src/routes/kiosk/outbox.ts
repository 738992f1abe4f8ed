/**
 * The kiosk's outbox: every write (a submission, or an answer to "Do you
 * support this?") is stored here first, with its idempotency key, and
 * leaves only once the server has confirmed it (see sync.ts). It lives in
 * IndexedDB so it survives reloads, restarts and hours without a network.
 * Items keep no time, only their order.
 *
 * Beside it is the "could not send" list: an item the server refused for
 * good (a 4xx) moves there, with the server's reason and the day (never a
 * finer time) it was refused, so it never holds back the rest. Staff can
 * discard it; it is deleted on its own after refusedDays days.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Submission } from '../../lib/kiosk-api';
import type { Answer } from '../../lib/proposals';

/** One answer to "Do you support this?" about an open proposal. */
export interface SupportAnswer {
  proposal_id: string;
  answer: Answer;
}

/**
 * A write waiting to be sent, with the idempotency key it is sent with every
 * time. Items stored before answers existed have no kind: they are submissions.
 */
export type OutboxItem =
  | { key: string; kind?: 'submission'; submission: Submission }
  | { key: string; kind: 'support'; support: SupportAnswer };

/** Reports whether item is an answer to "Do you support this?". */
export function isSupport(item: OutboxItem): item is Extract<OutboxItem, { kind: 'support' }> {
  return item.kind === 'support';
}

/** Why the server refused an item: its status and error. */
export interface Refusal {
  key: string;
  status: number;
  code: string;
  message: string;
}

/** An item the server refused for good, kept for staff to see and discard. */
export interface RefusedItem extends Refusal {
  item: OutboxItem;
  /** The tablet's calendar day it was refused on, YYYY-MM-DD. */
  day: string;
}

/** How many days a refused item is kept: on the refusedDays-th day after its refusal it is deleted. */
export const refusedDays = 7;

export interface Outbox {
  add(item: OutboxItem): Promise<void>;
  /** The oldest items first, at most limit. */
  list(limit: number): Promise<OutboxItem[]>;
  /** Removes the items with these keys. */
  remove(keys: readonly string[]): Promise<void>;
  count(): Promise<number>;
  /** Moves the refused items from the outbox to the "could not send" list, as refused on day. */
  refuse(refusals: readonly Refusal[], day: string): Promise<void>;
  /** The "could not send" list, oldest refusal first. */
  refused(): Promise<RefusedItem[]>;
  /** Deletes these items from the "could not send" list. */
  discard(keys: readonly string[]): Promise<void>;
  /** Deletes the refused items that are too old to keep on today (YYYY-MM-DD). */
  expire(today: string): Promise<void>;
}

/** A date's calendar day on this tablet, as YYYY-MM-DD. */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The earliest refusal day still kept on today: refusals before it are deleted. */
export function keptSince(today: string): string {
  const [y, m, d] = today.split('-').map(Number);
  return dayOf(new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - (refusedDays - 1)));
}

interface Schema extends DBSchema {
  outbox: { key: number; value: OutboxItem & { seq?: number }; indexes: { key: string } };
  meta: { key: string; value: number };
  refused: { key: string; value: RefusedItem; indexes: { day: string } };
}

export const outboxDatabase = 'chorus-kiosk';
const version = 2;

/** Opens the IndexedDB outbox; where IndexedDB cannot be used, an outbox in memory that lasts until a reload. */
export async function openOutbox(name = outboxDatabase, today = dayOf(new Date())): Promise<Outbox> {
  let outbox: Outbox;
  try {
    const db = await openDB<Schema>(name, version, {
      upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          const store = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
          store.createIndex('key', 'key', { unique: true });
          db.createObjectStore('meta');
        }
        if (oldVersion < 2) {
          db.createObjectStore('refused', { keyPath: 'key' }).createIndex('day', 'day');
          // Version 1 only counted refused items, which were already gone: a count
          // with nothing behind it to look at or discard, and no day to expire it by.
          void tx.objectStore('meta').delete('rejected');
        }
      },
    });
    outbox = idbOutbox(db);
  } catch {
    outbox = memoryOutbox();
  }
  try {
    await outbox.expire(today);
  } catch {
    // Not fatal: the sync loop expires old items again on each report.
  }
  return outbox;
}

function idbOutbox(db: IDBPDatabase<Schema>): Outbox {
  return {
    async add(item) {
      await db.add('outbox', { ...item });
    },
    async list(limit) {
      const rows = await db.getAll('outbox', undefined, limit);
      return rows.map(withoutSeq);
    },
    async remove(keys) {
      const tx = db.transaction('outbox', 'readwrite');
      for (const key of keys) {
        const seq = await tx.store.index('key').getKey(key);
        if (seq !== undefined) await tx.store.delete(seq);
      }
      await tx.done;
    },
    count: () => db.count('outbox'),
    async refuse(refusals, day) {
      // One transaction: an item is either waiting or refused, never lost between the two.
      const tx = db.transaction(['outbox', 'refused'], 'readwrite');
      const outbox = tx.objectStore('outbox');
      const refused = tx.objectStore('refused');
      for (const refusal of refusals) {
        const seq = await outbox.index('key').getKey(refusal.key);
        if (seq === undefined) continue;
        const row = await outbox.get(seq);
        if (row) await refused.put({ ...refusal, item: withoutSeq(row), day });
        await outbox.delete(seq);
      }
      await tx.done;
    },
    async refused() {
      return db.getAllFromIndex('refused', 'day');
    },
    async discard(keys) {
      const tx = db.transaction('refused', 'readwrite');
      for (const key of keys) await tx.store.delete(key);
      await tx.done;
    },
    async expire(today) {
      const tx = db.transaction('refused', 'readwrite');
      let cursor = await tx.store.index('day').openCursor(IDBKeyRange.upperBound(keptSince(today), true));
      while (cursor) {
        await cursor.delete();
        cursor = await cursor.continue();
      }
      await tx.done;
    },
  };
}

function withoutSeq(row: OutboxItem & { seq?: number }): OutboxItem {
  const item = { ...row };
  delete item.seq;
  return item;
}

/** An outbox in memory: what the kiosk falls back to, and what the tests of the sync loop use. */
export function memoryOutbox(): Outbox {
  const items: OutboxItem[] = [];
  let refused: RefusedItem[] = [];
  const take = (key: string) => {
    const index = items.findIndex((i) => i.key === key);
    return index >= 0 ? items.splice(index, 1)[0] : undefined;
  };
  return {
    async add(item) {
      if (items.some((i) => i.key === item.key)) throw new Error(`outbox: key ${item.key} is already waiting`);
      items.push(structuredClone(item));
    },
    list: async (limit) => structuredClone(items.slice(0, limit)),
    async remove(keys) {
      for (const key of keys) take(key);
    },
    count: async () => items.length,
    async refuse(refusals, day) {
      for (const refusal of refusals) {
        const item = take(refusal.key);
        if (!item) continue;
        refused = refused.filter((r) => r.key !== refusal.key);
        refused.push({ ...structuredClone(refusal), item, day });
      }
    },
    // Sorted like the IndexedDB index: by day, then by key.
    refused: async () =>
      structuredClone(refused).sort((a, b) => a.day.localeCompare(b.day) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    async discard(keys) {
      refused = refused.filter((r) => !keys.includes(r.key));
    },
    async expire(today) {
      const since = keptSince(today);
      refused = refused.filter((r) => r.day >= since);
    },
  };
}
