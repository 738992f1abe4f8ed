import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, setCsrfToken } from './api';

function answer(status: number, body?: unknown, contentType = 'application/json'): Response {
  const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, { status, headers: { 'Content-Type': contentType } });
}

function stubFetch(response: Response | Error) {
  const fetchMock = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
});

describe('api', () => {
  it('sends JSON with same-origin credentials and decodes the answer', async () => {
    const fetchMock = stubFetch(answer(201, { id: 'r1' }));

    const created = await api.post<{ id: string }>('/v1/rounds', { question: 'q1' });

    expect(created).toEqual({ id: 'r1' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/rounds');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"question":"q1"}');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('adds the query string and leaves out undefined values', async () => {
    const fetchMock = stubFetch(answer(200, []));

    await api.get('v1/questions', { query: { lang: 'es', page: 2, after: undefined } });

    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/questions?lang=es&page=2');
    expect(fetchMock.mock.calls[0]![1]?.body).toBeUndefined();
  });

  it('returns undefined for 204 No Content', async () => {
    stubFetch(new Response(null, { status: 204 }));
    await expect(api.delete('/v1/sessions/current')).resolves.toBeUndefined();
  });

  it("throws ApiError from the server's error body, with field reasons", async () => {
    stubFetch(
      answer(422, { error: { code: 'invalid_input', message: 'Check the answer.', fields: { text: 'too long', n: 3 } } }),
    );

    const error = await api.post('/v1/feedback', { text: 'x' }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'invalid_input',
      message: 'Check the answer.',
      fields: { text: 'too long' },
    });
  });

  it('throws bad_response when an error is not JSON', async () => {
    stubFetch(answer(502, '<html>Bad Gateway</html>', 'text/html'));
    await expect(api.get('/v1/me')).rejects.toMatchObject({ status: 502, code: 'bad_response' });
  });

  it('throws bad_response when a success is not JSON', async () => {
    stubFetch(answer(200, 'not json', 'text/plain'));
    await expect(api.get('/v1/me')).rejects.toMatchObject({ status: 200, code: 'bad_response' });
  });

  it('throws network_error when there is no answer', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    await expect(api.get('/v1/me')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('lets an abort through unchanged', async () => {
    stubFetch(new DOMException('The operation was aborted.', 'AbortError'));
    await expect(api.get('/v1/me')).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads Retry-After on a 429', async () => {
    stubFetch(
      new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many tries.' } }), {
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '7' },
      }),
    );
    await expect(api.post('/v1/auth/signin', {})).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 7 });
  });
});

describe('CSRF token', () => {
  const headersOf = (fetchMock: ReturnType<typeof stubFetch>, call = 0) =>
    fetchMock.mock.calls[call]![1]?.headers as Record<string, string>;

  it('is sent on every write once known, and never on reads', async () => {
    setCsrfToken('t0k3n');
    const fetchMock = stubFetch(new Response(null, { status: 204 }));

    await api.get('/v1/me');
    await api.post('/v1/sites', {});
    await api.patch('/v1/sites/1', {});
    await api.delete('/v1/tokens/1');

    expect(headersOf(fetchMock, 0)['X-CSRF-Token']).toBeUndefined();
    expect(headersOf(fetchMock, 1)['X-CSRF-Token']).toBe('t0k3n');
    expect(headersOf(fetchMock, 2)['X-CSRF-Token']).toBe('t0k3n');
    expect(headersOf(fetchMock, 3)['X-CSRF-Token']).toBe('t0k3n');
  });

  it('is not sent before sign-in or after it is forgotten', async () => {
    const fetchMock = stubFetch(new Response(null, { status: 204 }));
    await api.post('/v1/kiosk/enroll', { code: 'X' });
    setCsrfToken('t0k3n');
    setCsrfToken(undefined);
    await api.post('/v1/kiosk/enroll', { code: 'X' });
    expect(headersOf(fetchMock, 0)['X-CSRF-Token']).toBeUndefined();
    expect(headersOf(fetchMock, 1)['X-CSRF-Token']).toBeUndefined();
  });
});
