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
    onCounts: (w, r) => counts.push([w, r]),
    random: () => 0.5,
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
    expect([201, 200, 401, 429, 400, 422, 500, 503].map((status) => verdict({ idempotency_key: 'k', status }))).toEqual([
      'done',
      'done',
      'turnedOff',
      'retry',
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

  it('drops items refused for good and counts them; keeps the ones to retry', async () => {
    const outbox = await filled('good', 'bad', 'busy');
    const { sync, counts } = syncWith(outbox, async () => [
      { idempotency_key: 'good', status: 201, id: '1' },
      { idempotency_key: 'bad', status: 422, error: { code: 'invalid_input', message: 'no' } },
      { idempotency_key: 'busy', status: 429 },
    ]);
    sync.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect((await outbox.list(10)).map((i) => i.key)).toEqual(['busy']);
    expect(await outbox.rejected()).toBe(1);
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

  it('drops an answer to a proposal no longer open (409) or refused (422) for good, and counts it', async () => {
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
    expect(await outbox.rejected()).toBe(2);
    expect(counts.at(-1)).toEqual([0, 2]);
  });

  it('waits on a 5xx or 429 without skipping ahead, and pauses on 401', async () => {
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
