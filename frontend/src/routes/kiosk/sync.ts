/**
 * The loop that empties the outbox: it sends waiting submissions in batches,
 * and answers to "Do you support this?" one by one (POST /kiosk/support with
 * the answer's Idempotency-Key), and removes each only once the server has
 * answered 201 (stored) or 200 (stored before, under the same idempotency
 * key).
 *
 * What each answer means for an item (verdict):
 *  - a 4xx other than 401, 408 and 429 refuses it for good (a 409 says the
 *    proposal is no longer open): it moves to the "could not send" list,
 *    with the server's reason, and never holds back the rest;
 *  - a 5xx, 408, 429 or no answer for this item keeps it: it rests on its
 *    own back-off while the items after it (and new ones) are still sent,
 *    so one item the server keeps failing on cannot stop the tablet;
 *  - a 401 means the kiosk was turned off: the loop pauses and keeps the
 *    outbox for whoever sets the tablet up again.
 * When the whole request fails because the server cannot be reached or is
 * overloaded (no answer, 408, 429, 502-504), everything waits, with
 * exponential back-off and jitter, capped; an `online` event tries again at
 * once. Any other failure of a whole batch (a 500, a 413, a 400) may be
 * one item's fault: the batch is halved until the item is alone, and from
 * then on it is answered and retried alone.
 */
import { ApiError } from '../../lib/api';
import { maxBatch, type BatchItem, type BatchResult } from '../../lib/kiosk-api';
import { dayOf, isSupport, type Outbox, type OutboxItem, type Refusal, type RefusedItem, type SupportAnswer } from './outbox';

export interface SyncOptions {
  outbox: Outbox;
  /** Sends one batch; throws ApiError when the whole request fails. */
  send(items: BatchItem[]): Promise<BatchResult[]>;
  /** Sends one support answer with its idempotency key; throws ApiError when the server refuses it or cannot be reached. */
  sendSupport?(key: string, support: SupportAnswer): Promise<unknown>;
  /** Told how many items wait and what could not be sent, after every change. */
  onCounts?(waiting: number, refused: RefusedItem[]): void;
  /** Told when the server no longer accepts the kiosk's token. */
  onTurnedOff?(): void;
  /** First retry delay; doubles each time up to capMs. */
  baseMs?: number;
  capMs?: number;
  random?: () => number;
  /** Today on this tablet, YYYY-MM-DD: the day refusals are recorded with and expire by. */
  today?: () => string;
  /** Serializes flushes across tabs; by default navigator.locks where the browser has it. */
  exclusive?<T>(run: () => Promise<T>): Promise<T>;
}

export const defaultBaseMs = 2_000;
export const defaultCapMs = 5 * 60_000;

/**
 * The wait before retry number attempt (0 for the first): the exponential
 * delay, capped, then a random part of its upper half ("equal jitter"), so
 * tablets that lost the network together do not all come back at once.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const delay = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(delay / 2 + (random() * delay) / 2);
}

const lockName = 'chorus-kiosk-outbox';

function browserLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? (locks.request(lockName, run) as Promise<T>) : run();
}

export type Verdict = 'done' | 'rejected' | 'retry' | 'turnedOff';

/** What one item's answer means for it. */
export function verdict(result: BatchResult | undefined): Verdict {
  if (!result) return 'retry';
  const { status } = result;
  if (status === 200 || status === 201) return 'done';
  if (status === 401) return 'turnedOff';
  if (status === 408 || status === 429) return 'retry';
  if (status >= 400 && status < 500) return 'rejected';
  return 'retry';
}

/**
 * Reports whether a failed request says the server cannot answer now (no
 * network, a timeout, too many requests, a gateway or the server down),
 * rather than anything about what was sent.
 */
export function isOutage(err: unknown): boolean {
  return !(err instanceof ApiError) || [0, 408, 429, 502, 503, 504].includes(err.status);
}

/** What a single write's failure means for it. */
export function errorVerdict(err: unknown): Verdict {
  if (!(err instanceof ApiError) || err.status === 0) return 'retry';
  return verdict({ idempotency_key: '', status: err.status });
}

function refusal(key: string, status: number, error: { code?: string; message?: string } | undefined): Refusal {
  return { key, status, code: error?.code ?? '', message: error?.message ?? '' };
}

/** How a round of sending went: go on, wait for everything (outage), or pause (turned off). */
type Round = 'more' | 'retry' | 'turnedOff';

/** An item that must wait: how often it failed, until when it rests, and whether it goes alone. */
interface Rest {
  attempt: number;
  until: number;
  alone: boolean;
}

export class OutboxSync {
  private readonly o: Required<Omit<SyncOptions, 'onCounts' | 'onTurnedOff' | 'sendSupport'>> & SyncOptions;
  private running = false;
  private again = false;
  private paused = false;
  /** Whole requests that failed in a row (an outage). */
  private attempt = 0;
  /** A 429's Retry-After, in ms, for the next wait only. */
  private retryAfterMs = 0;
  /** The most items the next batch carries: halved while a failing batch is searched for its bad item. */
  private batchSize = maxBatch;
  /** Items that must wait, by key; kept in memory only, so a reload tries them all again. */
  private readonly resting = new Map<string, Rest>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SyncOptions) {
    this.o = {
      baseMs: defaultBaseMs,
      capMs: defaultCapMs,
      random: Math.random,
      today: () => dayOf(new Date()),
      exclusive: browserLock,
      ...options,
    };
  }

  /** Tries now. resetBackoff (on `online`) forgets earlier failures' waits; resume lifts a pause after a 401. */
  kick({ resetBackoff = false, resume = false } = {}): void {
    if (resume) this.paused = false;
    if (this.paused) return;
    if (resetBackoff) {
      this.attempt = 0;
      for (const rest of this.resting.values()) rest.until = 0;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /** Stops retrying; items stay in the outbox. */
  stop(): void {
    this.paused = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Deletes refused items too old to keep, then reports the counts. */
  async report(): Promise<void> {
    await this.o.outbox.expire(this.o.today());
    this.o.onCounts?.(await this.o.outbox.count(), await this.o.outbox.refused());
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        await this.o.exclusive(() => this.flush());
      } while (this.again && !this.paused);
    } catch {
      // The outbox itself failed (storage trouble): try again later rather than lose the loop.
      this.retryLater();
    } finally {
      this.running = false;
    }
  }

  /** Sends until the outbox is empty, everything left rests, or everything must wait. */
  private async flush(): Promise<void> {
    for (;;) {
      const items = await this.next();
      if (items.length === 0) {
        await this.report();
        this.sleepUntilRested();
        return;
      }
      const submissions = items.filter((item) => !isSupport(item));
      const supports = items.filter(isSupport);
      let next: Round = 'more';
      if (submissions.length > 0) next = await this.sendBatch(submissions);
      if (next === 'more' && supports.length > 0) next = await this.sendSupports(supports);
      await this.report();
      if (next === 'turnedOff') {
        this.stop();
        this.o.onTurnedOff?.();
        return;
      }
      if (next === 'retry') {
        this.retryLater();
        return;
      }
    }
  }

  /** The next items to send, oldest first, skipping those that rest; an item that failed a whole batch goes alone. */
  private async next(): Promise<OutboxItem[]> {
    const now = Date.now();
    const waiting = await this.o.outbox.list(this.batchSize + this.resting.size);
    const ready = waiting.filter((item) => (this.resting.get(item.key)?.until ?? 0) <= now);
    if (ready.length === 0) {
      // Then waiting is the whole outbox (it holds more than the resting items otherwise):
      // forget rests of items no longer in it, so the loop never wakes for nothing.
      const keys = new Set(waiting.map((item) => item.key));
      for (const key of this.resting.keys()) if (!keys.has(key)) this.resting.delete(key);
    }
    const alone = ready.find((item) => this.resting.get(item.key)?.alone);
    return alone ? [alone] : ready.slice(0, this.batchSize);
  }

  /** Sends one batch and applies the answers, item by item. */
  private async sendBatch(items: OutboxItem[]): Promise<Round> {
    let results: BatchResult[];
    try {
      results = await this.o.send(items.flatMap((item) => (isSupport(item) ? [] : [{ idempotency_key: item.key, submission: item.submission }])));
    } catch (err) {
      return this.batchFailed(items, err);
    }
    this.attempt = 0;
    this.batchSize = maxBatch;
    const byKey = new Map(results.map((r) => [r.idempotency_key, r]));
    const done: string[] = [];
    const refused: Refusal[] = [];
    let turnedOff = false;
    for (const item of items) {
      const result = byKey.get(item.key);
      const v = verdict(result);
      if (v === 'done') done.push(item.key);
      else if (v === 'rejected' && result) refused.push(refusal(item.key, result.status, result.error));
      else if (v === 'turnedOff') turnedOff = true;
      else this.rest(item.key, false);
    }
    await this.settle(done, refused);
    return turnedOff ? 'turnedOff' : 'more';
  }

  /** A whole batch failed: wait on an outage, else look for the item to blame by halving the batch. */
  private async batchFailed(items: OutboxItem[], err: unknown): Promise<Round> {
    if (err instanceof ApiError && err.status === 401) return 'turnedOff';
    if (isOutage(err) || !(err instanceof ApiError)) {
      if (err instanceof ApiError && err.retryAfter !== undefined) this.retryAfterMs = err.retryAfter * 1000;
      return 'retry';
    }
    const [only] = items;
    if (items.length > 1 || !only) {
      this.batchSize = Math.max(1, Math.floor(items.length / 2));
      return 'retry';
    }
    // Alone, the batch's answer is the item's own; the items after it go in full batches again.
    this.batchSize = maxBatch;
    if (errorVerdict(err) === 'rejected') await this.settle([], [refusal(only.key, err.status, err)]);
    else this.rest(only.key, true);
    return 'more';
  }

  /**
   * Sends support answers one at a time, oldest first; each confirmed or
   * refused answer leaves the outbox at once, one that fails on its own
   * rests, and an outage or a 401 stops the round.
   */
  private async sendSupports(items: Extract<OutboxItem, { kind: 'support' }>[]): Promise<Round> {
    const send = this.o.sendSupport;
    if (!send) return 'retry';
    for (const item of items) {
      try {
        await send(item.key, item.support);
      } catch (err) {
        if (isOutage(err)) {
          if (err instanceof ApiError && err.retryAfter !== undefined) this.retryAfterMs = err.retryAfter * 1000;
          return 'retry';
        }
        const v = errorVerdict(err);
        if (v === 'turnedOff') return v;
        if (v === 'rejected' && err instanceof ApiError) await this.settle([], [refusal(item.key, err.status, err)]);
        else this.rest(item.key, false);
        continue;
      }
      this.attempt = 0;
      await this.settle([item.key], []);
    }
    return 'more';
  }

  /** Removes what the server stored and moves what it refused to the "could not send" list. */
  private async settle(done: string[], refused: Refusal[]): Promise<void> {
    for (const key of [...done, ...refused.map((r) => r.key)]) this.resting.delete(key);
    if (done.length > 0) await this.o.outbox.remove(done);
    if (refused.length > 0) await this.o.outbox.refuse(refused, this.o.today());
  }

  /** Puts an item to rest on its own back-off, so the items after it still go. */
  private rest(key: string, alone: boolean): void {
    const before = this.resting.get(key);
    const attempt = before?.attempt ?? 0;
    this.resting.set(key, {
      attempt: attempt + 1,
      until: Date.now() + backoffDelay(attempt, this.o.baseMs, this.o.capMs, this.o.random),
      alone: alone || Boolean(before?.alone),
    });
  }

  /** Nothing to send now: wakes when the first resting item may go again (nothing rests: all sent). */
  private sleepUntilRested(): void {
    this.attempt = 0;
    if (this.resting.size === 0 || this.paused) return;
    const first = Math.min(...[...this.resting.values()].map((rest) => rest.until));
    this.wakeIn(Math.max(0, first - Date.now()));
  }

  private retryLater(): void {
    if (this.paused) return;
    const wait = Math.max(backoffDelay(this.attempt, this.o.baseMs, this.o.capMs, this.o.random), this.retryAfterMs);
    this.attempt += 1;
    this.retryAfterMs = 0;
    this.wakeIn(wait);
  }

  private wakeIn(wait: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, wait);
  }
}
