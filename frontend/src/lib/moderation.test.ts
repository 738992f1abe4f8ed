import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { moderationApi } from './moderation';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Answers every call with body and records what was sent. */
function answer(body: unknown, status = 200) {
  const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', fetchMock);
  const sent = (call = 0) => {
    const [url, init] = fetchMock.mock.calls[call] as unknown as [string, RequestInit];
    return { url, method: init.method, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) };
  };
  return sent;
}

describe('moderationApi', () => {
  it('lists texts of one state', async () => {
    const sent = answer({ texts: [{ id: 't1', state: 'pending' }] });
    expect(await moderationApi.texts('redacted')).toEqual([{ id: 't1', state: 'pending' }]);
    expect(sent()).toEqual({ url: '/api/v1/feedback/texts?state=redacted', method: 'GET', body: undefined });
  });

  it('sends a decision, and a redaction with its new words', async () => {
    const sent = answer({ id: 'a/b', state: 'redacted' });
    await moderationApi.moderate('a/b', { decision: 'redact', body: 'Ask [name] at the van.' });
    expect(sent()).toEqual({
      url: '/api/v1/feedback/texts/a%2Fb/moderate',
      method: 'POST',
      body: { decision: 'redact', body: 'Ask [name] at the van.' },
    });
  });

  it('passes on the server saying someone else moderated it first', async () => {
    answer({ error: { code: 'invalid_input', message: 'x', fields: { state: 'this text was already moderated (approved)' } } }, 400);
    const err = await moderationApi.moderate('t1', { decision: 'approve' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fields.state).toMatch(/already moderated/);
  });

  it('reads alerts and categories', async () => {
    let sent = answer({ alerts: [] });
    expect(await moderationApi.alerts()).toEqual([]);
    expect(sent().url).toBe('/api/v1/alerts');

    sent = answer({ categories: [] });
    await moderationApi.categories('strength');
    expect(sent().url).toBe('/api/v1/categories?kind=strength');
  });

  it('adds a category and changes only what is given', async () => {
    let sent = answer({ id: 'c1' }, 201);
    await moderationApi.createCategory({ kind: 'need', code: 'hot_meals', icon: 'food', label: { en: 'Hot meals', es: 'Comida caliente' } });
    expect(sent()).toEqual({
      url: '/api/v1/categories',
      method: 'POST',
      body: { kind: 'need', code: 'hot_meals', icon: 'food', label: { en: 'Hot meals', es: 'Comida caliente' } },
    });

    sent = answer({ id: 'c1' });
    await moderationApi.updateCategory('c1', { active: false });
    expect(sent()).toEqual({ url: '/api/v1/categories/c1', method: 'PATCH', body: { active: false } });
  });

  it('reads and replaces the watched words', async () => {
    let sent = answer({ id: 'o', urgent_words: ['bad batch'] });
    expect(await moderationApi.urgentWords()).toEqual(['bad batch']);
    expect(sent().url).toBe('/api/v1/organization');

    sent = answer({ id: 'o', urgent_words: null });
    expect(await moderationApi.setUrgentWords([])).toEqual([]);
    expect(sent()).toEqual({ url: '/api/v1/organization', method: 'PATCH', body: { urgent_words: [] } });
  });
});
