import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api';
import type { BatchItem, BatchResult } from '../../lib/kiosk-api';
import { memoryOutbox, type Outbox } from './outbox';
import { backoffDelay, OutboxSync, verdict, type SyncOptions } from './sync';

const submission = { language: 'en', needs: [], priorities: [], strengths: [] };

async function filled(...keys: string[]): Promise<Outbox> {
  const outbox = memoryOutbox();
  for (const key of keys) await outbox.add({ key, submission });
  return outbox;
}

const ok = (items: BatchItem[], status = 201): BatchResult[] =>
  items.map((item) => ({ idempotency_key: item.idempotency_key, status, id: `id-${item.idempotency_key}` }));

function syncWith(outbox: Outbox, send: SyncOptions['send'], extra: Partial<SyncOptions> = {}) {
  const counts: [number, number][] = [];
  const sync = new OutboxSync({
    outbox,
    send,
    onCounts: (w, r) => counts.push([w, r.length]),
    random: () => 0.5,
    today: () => '2025-03-10',
    baseMs: 1000,
    capMs: 8000,
    exclusive: (run) => run(),
    ...extra,
  });
  return { sync, counts };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    expect(backoffDelay(0, 1000, 8000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 8000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 8000, () => 1)).toBe(8000);
    expect(backoffDelay(50, 1000, 8000, () => 0)).toBe(4000);
  });
});

describe('verdict', () => {
  it('keeps what may succeed later and drops what never will', () => {
    expect([201, 200, 401, 408, 429, 400, 404, 409, 413, 422, 500, 503].map((status) => verdict({ idempotency_key: 'k', status }))).toEqual([
      'done',
      'done',
      'turnedOff',
      'retry',
      'retry',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'retry',
      'retry',
    ]);
    expect(verdict(undefined)).toBe('retry');
  });
});

describe('OutboxSync', () => {
  it('sends everything in batches of at most 100 and removes what the server confirmed', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => `k${i}`);
    const outbox = await filled(...keys);
    const sizes: number[] = [];
    const { sync, counts } = syncWith(outbox, async (items) => {
      sizes.push(items.length);
      return ok(items);
    });
    sync.kick();
    await vi.runAllTimersAsync();
    expect(sizes).toEqual([100, 50]);
    expect(await outbox.count()).toBe(0);
    expect(counts.at(-1)).toEqual([0, 0]);
  });

  it('sends a waiting item again with the same key and body, and removes it on 200', async () => {
    const outbox = await filled('k1');
    const sent: BatchItem[][] = [];
    let fail = true;
    const { sync } = syncWith(outbox, async (items) => {
      sent.push(structuredClone(items));
      if (fail) throw new ApiError(0, 'network_error', 'offline');
      return ok(items, 200);
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(await outbox.count()).toBe(1);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(await outbox.count()).toBe(0);
  });

  it('backs off exponentially while the network is down, and tries at once when asked (online)', async () => {
    const outbox = await filled('k1');
    const times: number[] = [];
    const { sync } = syncWith(outbox, async () => {
      times.push(Date.now());
      throw new ApiError(503, 'unavailable', 'down');
    });
    const start = Date.now();
    sync.kick();
    await vi.advanceTimersByTimeAsync(750 + 1500 + 3000);
    expect(times.map((t) => t - start)).toEqual([0, 750, 2250, 5250]);
    sync.kick({ resetBackoff: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toHaveLength(5);
  });

  it('waits at least as long as a 429 asks', async () => {
    const outbox = await filled('k1');
    let calls = 0;
    const { sync } = syncWith(outbox, async (items) => {
      calls += 1;
      if (calls === 1) throw new ApiError(429, 'rate_limited', 'slow down', {}, 30);
      return ok(items);
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
  });

  it('moves items refused for good to the "could not send" list with the reason; keeps the ones to retry', async () => {
    const outbox = await filled('good', 'bad', 'busy');
    const { sync, counts } = syncWith(outbox, async () => [
      { idempotency_key: 'good', status: 201, id: '1' },
      { idempotency_key: 'bad', status: 422, error: { code: 'invalid_input', message: 'no' } },
      { idempotency_key: 'busy', status: 429 },
    ]);
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect((await outbox.list(10)).map((i) => i.key)).toEqual(['busy']);
    expect(await outbox.refused()).toEqual([
      { key: 'bad', status: 422, code: 'invalid_input', message: 'no', day: '2025-03-10', item: { key: 'bad', submission } },
    ]);
    expect(counts.at(-1)).toEqual([1, 1]);
  });

  it('pauses on 401 (the kiosk was turned off), keeps the outbox, and resumes when told', async () => {
    const outbox = await filled('k1', 'k2');
    const turnedOff = vi.fn();
    let refuse = true;
    const send = vi.fn(async (items: BatchItem[]) => {
      if (refuse) throw new ApiError(401, 'unauthenticated', 'turned off');
      return ok(items);
    });
    const { sync } = syncWith(outbox, send, { onTurnedOff: turnedOff });
    sync.kick();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(turnedOff).toHaveBeenCalledOnce();
    expect(send).toHaveBeenCalledOnce();
    expect(await outbox.count()).toBe(2);

    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledOnce();

    refuse = false;
    sync.kick({ resume: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(await outbox.count()).toBe(0);
  });

  it('sends an item added while a batch is on its way right after it', async () => {
    const outbox = await filled('k1');
    let release: () => void = () => {};
    const sizes: string[][] = [];
    const { sync } = syncWith(outbox, async (items) => {
      sizes.push(items.map((i) => i.idempotency_key));
      if (sizes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return ok(items);
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    await outbox.add({ key: 'k2', submission });
    sync.kick();
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes).toEqual([['k1'], ['k2']]);
    expect(await outbox.count()).toBe(0);
  });
});

describe('OutboxSync with answers to "Do you support this?"', () => {
  const support = (proposal_id: string) => ({ proposal_id, answer: 'agree' as const });

  async function mixed() {
    const outbox = memoryOutbox();
    await outbox.add({ key: 's1', submission });
    await outbox.add({ key: 'a1', kind: 'support', support: support('p1') });
    await outbox.add({ key: 'a2', kind: 'support', support: support('p2') });
    return outbox;
  }

  it('sends each answer on its own with its key, after the submissions, and removes it once confirmed', async () => {
    const outbox = await mixed();
    const batches: string[][] = [];
    const answers: [string, string][] = [];
    const { sync, counts } = syncWith(
      outbox,
      async (items) => {
        batches.push(items.map((i) => i.idempotency_key));
        return ok(items);
      },
      {
        sendSupport: async (key, s) => {
          answers.push([key, s.proposal_id]);
          return { id: `id-${key}` };
        },
      },
    );
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['s1']]);
    expect(answers).toEqual([
      ['a1', 'p1'],
      ['a2', 'p2'],
    ]);
    expect(await outbox.count()).toBe(0);
    expect(counts.at(-1)).toEqual([0, 0]);
  });

  it('keeps an answer until the server confirms it, and sends it again with the same key', async () => {
    const outbox = memoryOutbox();
    await outbox.add({ key: 'a1', kind: 'support', support: support('p1') });
    const keys: string[] = [];
    let fail = true;
    const { sync } = syncWith(outbox, async (items) => ok(items), {
      sendSupport: async (key) => {
        keys.push(key);
        if (fail) throw new ApiError(0, 'network_error', 'offline');
        return { id: '1' };
      },
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(await outbox.count()).toBe(1);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(keys).toEqual(['a1', 'a1']);
    expect(await outbox.count()).toBe(0);
  });

  it('moves an answer to a proposal no longer open (409) or refused (422) to the "could not send" list', async () => {
    const outbox = await mixed();
    const { sync, counts } = syncWith(outbox, async (items) => ok(items), {
      sendSupport: async (key) => {
        if (key === 'a1') throw new ApiError(409, 'not_open', 'The proposal is not open.');
        throw new ApiError(422, 'invalid_input', 'changed body');
      },
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(await outbox.count()).toBe(0);
    expect((await outbox.refused()).map((r) => [r.key, r.status, r.code])).toEqual([
      ['a1', 409, 'not_open'],
      ['a2', 422, 'invalid_input'],
    ]);
    expect(counts.at(-1)).toEqual([0, 2]);
  });

  it('waits on an outage (503) without skipping ahead, and pauses on 401', async () => {
    const outbox = await mixed();
    const sent: string[] = [];
    let answer: ApiError | undefined = new ApiError(503, 'unavailable', 'down');
    const turnedOff = vi.fn();
    const { sync } = syncWith(outbox, async (items) => ok(items), {
      onTurnedOff: turnedOff,
      sendSupport: async (key) => {
        sent.push(key);
        if (answer) throw answer;
        return { id: key };
      },
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(['a1']);
    expect((await outbox.list(10)).map((i) => i.key)).toEqual(['a1', 'a2']);

    answer = new ApiError(401, 'unauthenticated', 'turned off');
    await vi.advanceTimersByTimeAsync(1000);
    expect(turnedOff).toHaveBeenCalledOnce();
    expect(await outbox.count()).toBe(2);

    answer = undefined;
    sync.kick({ resume: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(await outbox.count()).toBe(0);
  });
});

describe('OutboxSync with an item the server keeps failing on', () => {
  const failing = (bad: Set<string>, status = 500) => (items: BatchItem[]) =>
    items.map((item) =>
      bad.has(item.idempotency_key)
        ? { idempotency_key: item.idempotency_key, status, error: { code: 'internal', message: 'oops' } }
        : { idempotency_key: item.idempotency_key, status: 201, id: `id-${item.idempotency_key}` },
    );

  it('lets the items after a failing head go, and the head rests on its own back-off', async () => {
    const outbox = await filled('poison', 'a', 'b');
    const batches: string[][] = [];
    const send = failing(new Set(['poison']));
    const { sync, counts } = syncWith(outbox, async (items) => {
      batches.push(items.map((i) => i.idempotency_key));
      return send(items);
    });
    const start = Date.now();
    const times: number[] = [];
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['poison', 'a', 'b']]);
    expect((await outbox.list(10)).map((i) => i.key)).toEqual(['poison']);
    expect(counts.at(-1)).toEqual([1, 0]);

    // A new answer goes out at once, without the resting head.
    await outbox.add({ key: 'c', submission });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.at(-1)).toEqual(['c']);

    // The head is tried again after 750 ms, then 1500, 3000, ... (its own back-off), and stays.
    batches.length = 0;
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersToNextTimerAsync();
      times.push(Date.now() - start);
    }
    expect(batches).toEqual([['poison'], ['poison'], ['poison'], ['poison']]);
    expect(times).toEqual([750, 2250, 5250, 11250]);
    expect(await outbox.count()).toBe(1);
  });

  it('never starves a long outbox behind items that always fail', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `k${i}`);
    const outbox = await filled(...keys);
    const bad = new Set(keys.slice(0, 120));
    const { sync } = syncWith(outbox, async (items) => failing(bad)(items));
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect((await outbox.list(500)).map((i) => i.key)).toEqual([...bad]);
  });

  it('sends an item once its 5xx passes, with the same key, and removes it', async () => {
    const outbox = await filled('flaky', 'ok');
    const bad = new Set(['flaky']);
    const sent: string[] = [];
    const { sync } = syncWith(outbox, async (items) => {
      sent.push(...items.map((i) => i.idempotency_key));
      return failing(bad, 503)(items);
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    bad.clear();
    await vi.advanceTimersByTimeAsync(750);
    expect(sent).toEqual(['flaky', 'ok', 'flaky']);
    expect(await outbox.count()).toBe(0);
  });

  it('finds the bad item when the whole batch fails with a 500, and sends it alone from then on', async () => {
    const outbox = await filled('a', 'poison', 'b', 'c');
    const batches: string[][] = [];
    const { sync } = syncWith(outbox, async (items) => {
      batches.push(items.map((i) => i.idempotency_key));
      if (items.some((i) => i.idempotency_key === 'poison')) throw new ApiError(500, 'internal', 'Something went wrong.');
      return ok(items);
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await outbox.list(10)).map((i) => i.key)).toEqual(['poison']);
    expect(batches.slice(0, 5)).toEqual([['a', 'poison', 'b', 'c'], ['a', 'poison'], ['a'], ['poison', 'b', 'c'], ['poison']]);
    expect(batches.slice(5, 6)).toEqual([['b', 'c']]);
    expect(batches.slice(6).every((b) => b.length === 1 && b[0] === 'poison')).toBe(true);
    expect(await outbox.refused()).toEqual([]);
  });

  it('refuses an item whose batch, once it is alone, is refused whole (a 413)', async () => {
    const outbox = await filled('huge', 'small');
    const { sync } = syncWith(outbox, async (items) => {
      if (items.some((i) => i.idempotency_key === 'huge')) throw new ApiError(413, 'too_large', 'Too large.');
      return ok(items);
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await outbox.count()).toBe(0);
    expect((await outbox.refused()).map((r) => [r.key, r.status, r.code])).toEqual([['huge', 413, 'too_large']]);
  });

  it('lets the answers after a failing answer go, and moves a refused answer to the list', async () => {
    const outbox = memoryOutbox();
    for (const key of ['a1', 'a2', 'a3']) await outbox.add({ key, kind: 'support', support: { proposal_id: key, answer: 'agree' } });
    const sent: string[] = [];
    const { sync } = syncWith(outbox, async (items) => ok(items), {
      sendSupport: async (key) => {
        sent.push(key);
        if (key === 'a1') throw new ApiError(500, 'internal', 'Something went wrong.');
        if (key === 'a2') throw new ApiError(422, 'invalid_input', 'Please check the highlighted fields.');
        return { id: key };
      },
    });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(['a1', 'a2', 'a3']);
    expect((await outbox.list(10)).map((i) => i.key)).toEqual(['a1']);
    expect((await outbox.refused()).map((r) => r.key)).toEqual(['a2']);
    await vi.advanceTimersByTimeAsync(750);
    expect(sent).toEqual(['a1', 'a2', 'a3', 'a1']);
  });

  it('deletes refused items a week old when it reports', async () => {
    const outbox = await filled('bad');
    let today = '2025-03-10';
    const { sync, counts } = syncWith(outbox, async (items) => failing(new Set(['bad']), 422)(items), { today: () => today });
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(counts.at(-1)).toEqual([0, 1]);
    today = '2025-03-16';
    await sync.report();
    expect(counts.at(-1)).toEqual([0, 1]);
    today = '2025-03-17';
    await sync.report();
    expect(counts.at(-1)).toEqual([0, 0]);
  });
});
