/**
 * The kiosk's outbox: every write (a submission, or an answer to "Do you
 * support this?") is stored here first, with its idempotency key, and
 * leaves only once the server has confirmed it (see sync.ts). It lives in
 * IndexedDB so it survives reloads, restarts and hours without a network.
 * Items keep no time, only their order.
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

export interface Outbox {
  add(item: OutboxItem): Promise<void>;
  /** The oldest items first, at most limit. */
  list(limit: number): Promise<OutboxItem[]>;
  /** Removes the items with these keys. */
  remove(keys: readonly string[]): Promise<void>;
  count(): Promise<number>;
  /** How many items the server refused for good (a 4xx), since this tablet was set up. */
  rejected(): Promise<number>;
  addRejected(n: number): Promise<void>;
}

interface Schema extends DBSchema {
  outbox: { key: number; value: OutboxItem & { seq?: number }; indexes: { key: string } };
  meta: { key: string; value: number };
}

export const outboxDatabase = 'chorus-kiosk';

/** Opens the IndexedDB outbox; where IndexedDB cannot be used, an outbox in memory that lasts until a reload. */
export async function openOutbox(name = outboxDatabase): Promise<Outbox> {
  try {
    const db = await openDB<Schema>(name, 1, {
      upgrade(db) {
        const store = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        store.createIndex('key', 'key', { unique: true });
        db.createObjectStore('meta');
      },
    });
    return idbOutbox(db);
  } catch {
    return memoryOutbox();
  }
}

function idbOutbox(db: IDBPDatabase<Schema>): Outbox {
  return {
    async add(item) {
      await db.add('outbox', { ...item });
    },
    async list(limit) {
      const rows = await db.getAll('outbox', undefined, limit);
      return rows.map((row) => {
        const item = { ...row };
        delete item.seq;
        return item;
      });
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
    async rejected() {
      return (await db.get('meta', 'rejected')) ?? 0;
    },
    async addRejected(n) {
      const tx = db.transaction('meta', 'readwrite');
      const before = (await tx.store.get('rejected')) ?? 0;
      await tx.store.put(before + n, 'rejected');
      await tx.done;
    },
  };
}

/** An outbox in memory: what the kiosk falls back to, and what the tests of the sync loop use. */
export function memoryOutbox(): Outbox {
  const items: OutboxItem[] = [];
  let refused = 0;
  return {
    async add(item) {
      if (items.some((i) => i.key === item.key)) throw new Error(`outbox: key ${item.key} is already waiting`);
      items.push(structuredClone(item));
    },
    list: async (limit) => structuredClone(items.slice(0, limit)),
    async remove(keys) {
      for (const key of keys) {
        const index = items.findIndex((i) => i.key === key);
        if (index >= 0) items.splice(index, 1);
      }
    },
    count: async () => items.length,
    rejected: async () => refused,
    async addRejected(n) {
      refused += n;
    },
  };
}
