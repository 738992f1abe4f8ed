import { describe, expect, it, vi } from 'vitest';
import {
  LiveSocket,
  backoffDelay,
  dropToken,
  newerTally,
  normalizeCode,
  overRoom,
  rankLimit,
  roundOptions,
  sharedKeyIn,
  sharedLink,
  socketURL,
  storeToken,
  storedToken,
  type ServerMessage,
  type Tally,
} from './live';

describe('join codes', () => {
  it('ignores case, spaces and dashes', () => {
    expect(normalizeCode(' k7q-x3m ')).toBe('K7QX3M');
  });
  it('refuses the wrong length and ambiguous letters', () => {
    expect(normalizeCode('K7QX3')).toBeUndefined();
    expect(normalizeCode('K7QX3O')).toBeUndefined();
    expect(normalizeCode('K7QX35')).toBeUndefined();
  });
});

describe('rounds', () => {
  it('has fixed options for agree and scale', () => {
    expect(roundOptions({ kind: 'agree', options: null })).toEqual(['agree', 'disagree', 'unsure']);
    expect(roundOptions({ kind: 'scale', options: [] })).toEqual(['1', '2', '3', '4', '5']);
    expect(roundOptions({ kind: 'pick', options: ['a', 'b'] })).toEqual(['a', 'b']);
  });
  it('ranks at most max_rank (3 by default) and at most the options', () => {
    expect(rankLimit({ kind: 'rank', options: ['a', 'b', 'c', 'd'] })).toBe(3);
    expect(rankLimit({ kind: 'rank', options: ['a', 'b'], max_rank: 5 })).toBe(2);
  });
  it('never lets a smaller seq replace a larger one', () => {
    const t = (seq: number): Tally => ({ round_id: 'r', seq, voters: seq, counts: null, hand_counts: null, hidden: true });
    expect(newerTally(t(5), t(4)).seq).toBe(5);
    expect(newerTally(t(5), t(6)).seq).toBe(6);
    expect(newerTally(undefined, t(1)).seq).toBe(1);
  });
  it('builds socket addresses', () => {
    expect(socketURL({ protocol: 'https:', host: 'x.org' }, 'K7QX3M', 'ws')).toBe('wss://x.org/api/v1/live/K7QX3M/ws');
    expect(socketURL({ protocol: 'http:', host: 'h:1' }, 'K7QX3M', 'screen')).toBe('ws://h:1/api/v1/live/K7QX3M/screen');
    expect(socketURL({ protocol: 'http:', host: 'h:1' }, 'K7QX3M', 'projector')).toBe('ws://h:1/api/v1/live/K7QX3M/screen?view=room');
  });
});

describe('participant token', () => {
  it('is kept per code and dropped', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    } as unknown as Storage;
    storeToken('K7QX3M', { session: 's', participant: 'p' }, storage);
    expect(storedToken('K7QX3M', storage)).toEqual({ session: 's', participant: 'p' });
    expect(storedToken('AAAAAA', storage)).toBeUndefined();
    dropToken('K7QX3M', storage);
    expect(storedToken('K7QX3M', storage)).toBeUndefined();
  });
});

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

describe('LiveSocket', () => {
  it('backs off, doubling up to the cap', () => {
    expect(backoffDelay(0, 500, 15_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 15_000, () => 1)).toBe(4000);
    expect(backoffDelay(30, 500, 15_000, () => 0)).toBe(7500);
  });

  it('reconnects after a drop, sends resume first, and stops when the session ends', async () => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    const statuses: string[] = [];
    const messages: ServerMessage[] = [];
    const live = new LiveSocket({
      url: 'ws://h/api/v1/live/K7QX3M/ws',
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      onMessage: (m) => messages.push(m),
      onOpen: (send) => send({ type: 'resume', participant: 'tok' }),
      onStatus: (s) => statuses.push(s),
      exists: async () => true,
      random: () => 1,
    });
    FakeSocket.all[0]!.open();
    expect(FakeSocket.all[0]!.sent).toEqual(['{"type":"resume","participant":"tok"}']);
    FakeSocket.all[0]!.drop();
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.open();
    FakeSocket.all[1]!.receive({ type: 'session', session: { id: 's', code: 'K7QX3M', title: 't', language: 'en', state: 'ended' } });
    FakeSocket.all[1]!.drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open', 'ended']);
    expect(messages).toHaveLength(1);
    live.close();
    vi.useRealTimers();
  });

  it('gives up when the code names no session', async () => {
    FakeSocket.all = [];
    const statuses: string[] = [];
    new LiveSocket({
      url: 'ws://h/api/v1/live/ZZZZZZ/ws',
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      onMessage: () => {},
      onStatus: (s) => statuses.push(s),
      exists: async () => false,
    });
    FakeSocket.all[0]!.drop();
    await Promise.resolve();
    await Promise.resolve();
    expect(statuses).toEqual(['connecting', 'missing']);
  });
});

describe('shared tablets and the room size', () => {
  it('puts the key in the fragment, which never reaches a server, and reads it back', () => {
    const link = sharedLink('https://chorus.example', 'K7QX3M', 'chorus_tablet_a+b');
    expect(link).toBe('https://chorus.example/live/K7QX3M#tablet=chorus_tablet_a%2Bb');
    expect(sharedKeyIn(new URL(link).hash)).toBe('chorus_tablet_a+b');
    expect(sharedKeyIn('')).toBeUndefined();
  });

  it('flags a round only when more people voted than are in the room', () => {
    const tally: Tally = { round_id: 'r', seq: 1, voters: 9, people: 11, counts: null, hand_counts: null, hidden: true };
    expect(overRoom({ room_size: 10 }, tally)).toBe(true);
    expect(overRoom({ room_size: 11 }, tally)).toBe(false);
    expect(overRoom({ room_size: null }, tally)).toBe(false);
    expect(overRoom({ room_size: 10 }, undefined)).toBe(false);
  });
});
