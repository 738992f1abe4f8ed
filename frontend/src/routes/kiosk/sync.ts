/**
 * The loop that empties the outbox: it sends waiting submissions in batches,
 * and answers to "Do you support this?" one by one (POST /kiosk/support with
 * the answer's Idempotency-Key), and removes each only once the server has
 * answered 201 (stored) or 200 (stored before, under the same idempotency
 * key). A 409 (the proposal is no longer open) is final like any other 4xx. A 4xx other than 401 and
 * 429 refuses an item for good: it leaves the outbox and is counted as
 * "could not be sent". No answer, a 5xx or a 429 keeps everything and tries
 * again later, with exponential back-off and jitter, capped; an `online`
 * event tries again at once. A 401 means the kiosk was turned off: the loop
 * pauses and keeps the outbox for whoever sets the tablet up again.
 */
import { ApiError } from '../../lib/api';
import { maxBatch, type BatchItem, type BatchResult } from '../../lib/kiosk-api';
import { isSupport, type Outbox, type OutboxItem, type SupportAnswer } from './outbox';

export interface SyncOptions {
  outbox: Outbox;
  /** Sends one batch; throws ApiError when the whole request fails. */
  send(items: BatchItem[]): Promise<BatchResult[]>;
  /** Sends one support answer with its idempotency key; throws ApiError when the server refuses it or cannot be reached. */
  sendSupport?(key: string, support: SupportAnswer): Promise<unknown>;
  /** Told the outbox's counts after every change. */
  onCounts?(waiting: number, rejected: number): void;
  /** Told when the server no longer accepts the kiosk's token. */
  onTurnedOff?(): void;
  /** First retry delay; doubles each time up to capMs. */
  baseMs?: number;
  capMs?: number;
  random?: () => number;
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
  if (result.status === 200 || result.status === 201) return 'done';
  if (result.status === 401) return 'turnedOff';
  if (result.status === 429) return 'retry';
  if (result.status >= 400 && result.status < 500) return 'rejected';
  return 'retry';
}

/** What a single write's failure means for it (undefined: it succeeded). */
export function errorVerdict(err: unknown): Verdict {
  if (!(err instanceof ApiError) || err.status === 0) return 'retry';
  return verdict({ idempotency_key: '', status: err.status });
}

export class OutboxSync {
  private readonly o: Required<Omit<SyncOptions, 'onCounts' | 'onTurnedOff' | 'sendSupport'>> & SyncOptions;
  private running = false;
  private again = false;
  private paused = false;
  private attempt = 0;
  /** A 429's Retry-After, in ms, for the next wait only. */
  private retryAfterMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SyncOptions) {
    this.o = {
      baseMs: defaultBaseMs,
      capMs: defaultCapMs,
      random: Math.random,
      exclusive: browserLock,
      ...options,
    };
  }

  /** Tries now. resetBackoff (on `online`) forgets earlier failures; resume lifts a pause after a 401. */
  kick({ resetBackoff = false, resume = false } = {}): void {
    if (resume) this.paused = false;
    if (this.paused) return;
    if (resetBackoff) this.attempt = 0;
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

  /** Reports the current counts. */
  async report(): Promise<void> {
    this.o.onCounts?.(await this.o.outbox.count(), await this.o.outbox.rejected());
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

  /** Sends batches until the outbox is empty or something must wait. */
  private async flush(): Promise<void> {
    for (;;) {
      const items = await this.o.outbox.list(maxBatch);
      if (items.length === 0) {
        this.attempt = 0;
        await this.report();
        return;
      }
      const submissions = items.filter((item) => !isSupport(item));
      const supports = items.filter(isSupport);
      let next: 'more' | 'retry' | 'turnedOff' = 'more';
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
      this.attempt = 0;
    }
  }

  /** Sends one batch and applies the answers; says whether to go on, wait, or pause. */
  private async sendBatch(items: OutboxItem[]): Promise<'more' | 'retry' | 'turnedOff'> {
    let results: BatchResult[];
    try {
      results = await this.o.send(items.flatMap((item) => (isSupport(item) ? [] : [{ idempotency_key: item.key, submission: item.submission }])));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return 'turnedOff';
      if (err instanceof ApiError && err.retryAfter !== undefined) this.retryAfterMs = err.retryAfter * 1000;
      return 'retry';
    }
    const byKey = new Map(results.map((r) => [r.idempotency_key, r]));
    const verdicts = items.map((item) => [item.key, verdict(byKey.get(item.key))] as const);
    const gone = verdicts.filter(([, v]) => v === 'done' || v === 'rejected').map(([key]) => key);
    const rejected = verdicts.filter(([, v]) => v === 'rejected').length;
    await this.o.outbox.remove(gone);
    if (rejected > 0) await this.o.outbox.addRejected(rejected);
    if (verdicts.some(([, v]) => v === 'turnedOff')) return 'turnedOff';
    if (gone.length < items.length) return 'retry';
    return 'more';
  }

  /**
   * Sends support answers one at a time, oldest first. It stops at the first
   * that must wait (no answer, 5xx, 429) or at a 401, so nothing later jumps
   * ahead; each confirmed or finally refused answer leaves the outbox at once.
   */
  private async sendSupports(items: Extract<OutboxItem, { kind: 'support' }>[]): Promise<'more' | 'retry' | 'turnedOff'> {
    const send = this.o.sendSupport;
    if (!send) return 'retry';
    for (const item of items) {
      let v: Verdict = 'done';
      try {
        await send(item.key, item.support);
      } catch (err) {
        v = errorVerdict(err);
        if (v === 'retry' && err instanceof ApiError && err.retryAfter !== undefined) this.retryAfterMs = err.retryAfter * 1000;
      }
      if (v === 'turnedOff' || v === 'retry') return v;
      await this.o.outbox.remove([item.key]);
      if (v === 'rejected') await this.o.outbox.addRejected(1);
    }
    return 'more';
  }

  private retryLater(): void {
    if (this.paused) return;
    const wait = Math.max(backoffDelay(this.attempt, this.o.baseMs, this.o.capMs, this.o.random), this.retryAfterMs);
    this.attempt += 1;
    this.retryAfterMs = 0;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, wait);
  }
}
