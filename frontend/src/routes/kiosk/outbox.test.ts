import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { dayOf, keptSince, memoryOutbox, openOutbox, type Outbox } from './outbox';

const submission = (text: string) => ({ language: 'en', needs: [], priorities: [], strengths: [], text });
let n = 0;

for (const [name, open] of [
  ['IndexedDB', () => openOutbox(`test-outbox-${n++}`)],
  ['memory', async () => memoryOutbox()],
] as const) {
  describe(`the ${name} outbox`, () => {
    it('keeps items in order until they are removed by key', async () => {
      const outbox: Outbox = await open();
      await outbox.add({ key: 'k1', submission: submission('one') });
      await outbox.add({ key: 'k2', submission: submission('two') });
      await outbox.add({ key: 'k3', submission: submission('three') });
      expect(await outbox.count()).toBe(3);
      expect((await outbox.list(2)).map((i) => i.key)).toEqual(['k1', 'k2']);

      await outbox.remove(['k2', 'unknown']);
      const left = await outbox.list(100);
      expect(left.map((i) => i.key)).toEqual(['k1', 'k3']);
      expect(left[1]).toEqual({ key: 'k3', submission: submission('three') });
    });

    it('refuses a second item with the same idempotency key', async () => {
      const outbox = await open();
      await outbox.add({ key: 'same', submission: submission('a') });
      await expect(outbox.add({ key: 'same', submission: submission('b') })).rejects.toThrow();
      expect(await outbox.count()).toBe(1);
    });

    it('moves refused items to the "could not send" list with their reason and day, until discarded', async () => {
      const outbox = await open();
      await outbox.add({ key: 'k1', submission: submission('one') });
      await outbox.add({ key: 'k2', submission: submission('two') });
      await outbox.add({ key: 'k3', kind: 'support', support: { proposal_id: 'p1', answer: 'agree' } });
      await outbox.refuse(
        [
          { key: 'k3', status: 409, code: 'conflict', message: 'The proposal is not open.' },
          { key: 'k1', status: 422, code: 'invalid_input', message: 'Please check the highlighted fields.' },
          { key: 'gone', status: 422, code: 'invalid_input', message: 'not waiting' },
        ],
        '2025-03-10',
      );
      expect((await outbox.list(10)).map((i) => i.key)).toEqual(['k2']);
      expect(await outbox.refused()).toEqual([
        {
          key: 'k1',
          status: 422,
          code: 'invalid_input',
          message: 'Please check the highlighted fields.',
          day: '2025-03-10',
          item: { key: 'k1', submission: submission('one') },
        },
        {
          key: 'k3',
          status: 409,
          code: 'conflict',
          message: 'The proposal is not open.',
          day: '2025-03-10',
          item: { key: 'k3', kind: 'support', support: { proposal_id: 'p1', answer: 'agree' } },
        },
      ]);
      await outbox.discard(['k1', 'unknown']);
      expect((await outbox.refused()).map((r) => r.key)).toEqual(['k3']);
    });

    it('deletes refused items on the seventh day after their refusal', async () => {
      const outbox = await open();
      const refusals: [string, string][] = [
        ['old', '2025-02-20'],
        ['week', '2025-02-24'],
        ['six', '2025-02-25'],
        ['today', '2025-03-03'],
      ];
      for (const [key, day] of refusals) {
        await outbox.add({ key, submission: submission(key) });
        await outbox.refuse([{ key, status: 400, code: 'invalid_input', message: '' }], day);
      }
      await outbox.expire('2025-03-03');
      expect((await outbox.refused()).map((r) => r.key)).toEqual(['six', 'today']);
      await outbox.expire('2025-03-10');
      expect((await outbox.refused()).map((r) => r.key)).toEqual([]);
    });
  });
}

it('keeps the IndexedDB outbox across openings (a reload)', async () => {
  const first = await openOutbox('test-outbox-reload');
  await first.add({ key: 'k', submission: submission('kept') });
  const second = await openOutbox('test-outbox-reload');
  expect((await second.list(10))[0]).toEqual({ key: 'k', submission: submission('kept') });
});

it('keeps answers to "Do you support this?" beside submissions, in order, with their kind', async () => {
  for (const outbox of [await openOutbox('test-outbox-kinds'), memoryOutbox()]) {
    await outbox.add({ key: 's', submission: submission('words') });
    await outbox.add({ key: 'a', kind: 'support', support: { proposal_id: 'p1', answer: 'unsure' } });
    const items = await outbox.list(10);
    expect(items).toEqual([
      { key: 's', submission: submission('words') },
      { key: 'a', kind: 'support', support: { proposal_id: 'p1', answer: 'unsure' } },
    ]);
    await expect(outbox.add({ key: 'a', kind: 'support', support: { proposal_id: 'p1', answer: 'agree' } })).rejects.toThrow();
  }
});

it('counts days on the calendar, across months and years', () => {
  expect(dayOf(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05');
  expect(keptSince('2025-03-03')).toBe('2025-02-25');
  expect(keptSince('2025-01-02')).toBe('2024-12-27');
});

it('expires refused items when the outbox is opened', async () => {
  const first = await openOutbox('test-outbox-expire', '2025-03-01');
  await first.add({ key: 'k', submission: submission('refused') });
  await first.refuse([{ key: 'k', status: 422, code: 'invalid_input', message: '' }], '2025-03-01');
  expect(await (await openOutbox('test-outbox-expire', '2025-03-07')).refused()).toHaveLength(1);
  expect(await (await openOutbox('test-outbox-expire', '2025-03-08')).refused()).toEqual([]);
});

it('keeps what a version 1 outbox held when it opens as version 2, and drops the old count', async () => {
  const v1 = await openDB('test-outbox-v1', 1, {
    upgrade(db) {
      const store = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      store.createIndex('key', 'key', { unique: true });
      db.createObjectStore('meta');
    },
  });
  await v1.add('outbox', { key: 'old', submission: submission('kept') });
  await v1.put('meta', 3, 'rejected');
  v1.close();

  const outbox = await openOutbox('test-outbox-v1');
  expect(await outbox.list(10)).toEqual([{ key: 'old', submission: submission('kept') }]);
  expect(await outbox.refused()).toEqual([]);
  await outbox.refuse([{ key: 'old', status: 422, code: 'invalid_input', message: '' }], '2025-03-01');
  expect(await outbox.count()).toBe(0);
  const raw = await openDB('test-outbox-v1');
  expect(await raw.get('meta', 'rejected')).toBeUndefined();
  raw.close();
});
