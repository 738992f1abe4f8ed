import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { groupPosterCode, sendOneByOne } from './phone-api';

const item = (key: string) => ({ idempotency_key: key, submission: { language: 'en', needs: [], priorities: [], strengths: [] } });

describe('sendOneByOne', () => {
  it('answers each item like a batch: stored, or refused with its reason', async () => {
    const results = await sendOneByOne('K7M3QX9A2B', [item('a'), item('b')], async (_code, key) => {
      if (key === 'b') throw new ApiError(410, 'poster_retired', 'This poster is no longer in use.');
      return { id: 'id-a' };
    });
    expect(results).toEqual([
      { idempotency_key: 'a', status: 201, id: 'id-a' },
      { idempotency_key: 'b', status: 410, error: { code: 'poster_retired', message: 'This poster is no longer in use.' } },
    ]);
  });

  it('stops at an outage: the first item fails the round, a later one is left for next time', async () => {
    const offline = async () => {
      throw new ApiError(0, 'network_error', 'The server could not be reached.');
    };
    await expect(sendOneByOne('C', [item('a')], offline)).rejects.toBeInstanceOf(ApiError);
    let calls = 0;
    const results = await sendOneByOne('C', [item('a'), item('b')], async () => {
      calls += 1;
      if (calls === 2) throw new ApiError(429, 'rate_limited', 'Too many tries.');
      return { id: 'id-a' };
    });
    expect(results).toEqual([{ idempotency_key: 'a', status: 201, id: 'id-a' }]);
  });
});

describe('groupPosterCode', () => {
  it('groups a code in two fives', () => {
    expect(groupPosterCode('K7M3QX9A2B')).toBe('K7M3Q-X9A2B');
    expect(groupPosterCode('SHORT')).toBe('SHORT');
  });
});
