/**
 * Timing of the kiosk's idle reset (WCAG 2.2.1): after idleMs without a
 * touch or key, "Are you still there?" for graceMs, then everything is
 * discarded. The thank-you screen also returns to the start after graceMs.
 * Tests shorten both through localStorage (read once, when the flow starts):
 * `chorus.kiosk.idleMs` and `chorus.kiosk.graceMs`, in milliseconds.
 */

export const idleKey = 'chorus.kiosk.idleMs';
export const graceKey = 'chorus.kiosk.graceMs';

export interface Timing {
  idleMs: number;
  graceMs: number;
}

export const productionTiming: Timing = { idleMs: 60_000, graceMs: 20_000 };

/** The timing in force: production's, unless storage holds a whole number of milliseconds (at least 500). */
export function readTiming(storage: Pick<Storage, 'getItem'> | undefined): Timing {
  const read = (key: string, fallback: number) => {
    let raw: string | null = null;
    try {
      raw = storage?.getItem(key) ?? null;
    } catch {
      return fallback;
    }
    const value = raw !== null && /^\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(value) && value >= 500 ? value : fallback;
  };
  return { idleMs: read(idleKey, productionTiming.idleMs), graceMs: read(graceKey, productionTiming.graceMs) };
}

/**
 * A deadline that calls onExpire once it passes. It goes by the clock, not
 * by counting timer ticks, so a tablet that slept (timers paused) still
 * resets when it wakes: call check() on `visibilitychange`.
 */
export class Deadline {
  private at = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly onExpire: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts (or starts again) the countdown from now. */
  restart(): void {
    this.at = this.now() + this.ms;
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Milliseconds left, 0 once passed. */
  remaining(): number {
    return Math.max(0, this.at - this.now());
  }

  /** Fires now if the deadline has passed while timers were paused. */
  check(): void {
    if (!this.running) return;
    if (this.remaining() === 0) this.fire();
    else this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), this.remaining());
  }

  private fire(): void {
    this.stop();
    this.onExpire();
  }
}

/**
 * Whether the kiosk's screen holds anything of a participant's visit — a
 * step past the start, a language other than the default, or a receipt
 * look-up (the code typed and what it found) — so that idle asks "Are you
 * still there?" and then wipes it, and leaving the page wipes it too.
 */
export function inUse(screen: { step: string; lang: string; defaultLang: string; lookingUp: boolean }): boolean {
  return screen.step !== 'language' || screen.lang !== screen.defaultLang || screen.lookingUp;
}
