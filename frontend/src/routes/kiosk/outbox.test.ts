import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { memoryOutbox, openOutbox, type Outbox } from './outbox';

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

    it('counts refused items', async () => {
      const outbox = await open();
      expect(await outbox.rejected()).toBe(0);
      await outbox.addRejected(2);
      await outbox.addRejected(1);
      expect(await outbox.rejected()).toBe(3);
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
