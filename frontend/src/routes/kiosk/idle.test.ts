import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline, inUse, productionTiming, readTiming } from './idle';

describe('readTiming', () => {
  const storage = (values: Record<string, string>) => ({ getItem: (key: string) => values[key] ?? null });

  it('is a minute, then 20 seconds, unless a test says otherwise', () => {
    expect(productionTiming).toEqual({ idleMs: 60_000, graceMs: 20_000 });
    expect(readTiming(undefined)).toEqual(productionTiming);
    expect(readTiming(storage({}))).toEqual(productionTiming);
    expect(readTiming(storage({ 'chorus.kiosk.idleMs': '3000', 'chorus.kiosk.graceMs': '1500' }))).toEqual({
      idleMs: 3000,
      graceMs: 1500,
    });
  });

  it('ignores values that are not whole milliseconds of at least 500', () => {
    for (const bad of ['', 'abc', '-5', '1e3', '10', '1.5']) {
      expect(readTiming(storage({ 'chorus.kiosk.idleMs': bad })).idleMs).toBe(60_000);
    }
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    expect(readTiming(throwing)).toEqual(productionTiming);
  });
});

describe('Deadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once after its time, and restarting pushes it back', () => {
    const fired = vi.fn();
    const deadline = new Deadline(1000, fired);
    deadline.restart();
    vi.advanceTimersByTime(900);
    deadline.restart();
    vi.advanceTimersByTime(900);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(5000);
    expect(fired).toHaveBeenCalledOnce();
    expect(deadline.running).toBe(false);
  });

  it('goes by the clock, so a tablet that slept resets when it wakes', () => {
    const fired = vi.fn();
    let now = 0;
    const deadline = new Deadline(60_000, fired, () => now);
    deadline.restart();
    now = 10 * 60_000; // timers were paused; the clock was not
    deadline.check();
    expect(fired).toHaveBeenCalledOnce();
  });

  it('does nothing once stopped', () => {
    const fired = vi.fn();
    const deadline = new Deadline(1000, fired);
    deadline.restart();
    deadline.stop();
    vi.advanceTimersByTime(2000);
    deadline.check();
    expect(fired).not.toHaveBeenCalled();
  });
});

describe('inUse', () => {
  const start = { step: 'language', lang: 'en', defaultLang: 'en', lookingUp: false };

  it('is false only on the untouched start screen', () => {
    expect(inUse(start)).toBe(false);
    expect(inUse({ ...start, step: 'needs' })).toBe(true);
    expect(inUse({ ...start, lang: 'es' })).toBe(true);
  });

  it('counts an open receipt look-up, so idle wipes the code and what it found', () => {
    expect(inUse({ ...start, lookingUp: true })).toBe(true);
  });
});
