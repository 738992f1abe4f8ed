import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeFromHash, enrollmentLink, groupCode, normalizeCode, staffApi } from './access';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('enrollment codes', () => {
  it('accept lower case, spaces and dashes', () => {
    expect(normalizeCode(' abcd-2345 ')).toBe('ABCD2345');
    expect(normalizeCode('ab cd 23 45')).toBe('ABCD2345');
  });

  it('are shown as XXXX-XXXX', () => {
    expect(groupCode('ABCD2345')).toBe('ABCD-2345');
    expect(groupCode('abcd-2345')).toBe('ABCD-2345');
    expect(groupCode('ABC')).toBe('ABC');
  });

  it('ride in the fragment of the set-up link, never the query', () => {
    const link = enrollmentLink('https://chorus.example.org', 'abcd-2345');
    expect(link).toBe('https://chorus.example.org/kiosk#enroll=ABCD2345');
    expect(new URL(link).search).toBe('');
  });

  it('are read back from the hash', () => {
    expect(codeFromHash('#enroll=abcd-2345')).toBe('ABCD2345');
    expect(codeFromHash('#other=1')).toBeUndefined();
    expect(codeFromHash('')).toBeUndefined();
  });
});

describe('staffApi', () => {
  it('remembers the CSRF token from sign-in for the next write', async () => {
    const me = {
      user: { id: 'u', email: 'a@example.org', display_name: '', language: 'en' },
      role: 'admin',
      organization: { id: 'o', name: 'P', slug: 'p', min_cell: 10, min_voters: 5 },
      csrf_token: 'from-signin',
      must_change_password: false,
    };
    const fetchMock = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) =>
      init?.method === 'POST' && String(_input).endsWith('/signin')
        ? new Response(JSON.stringify(me), { status: 200 })
        : new Response(null, { status: 204 }),
    );
    vi.stubGlobal('fetch', fetchMock);

    await staffApi.signIn('a@example.org', 'pw');
    await staffApi.revokeToken('t1');
    await staffApi.signOut();
    await staffApi.revokeToken('t2');

    const header = (call: number) => (fetchMock.mock.calls[call]![1]?.headers as Record<string, string>)['X-CSRF-Token'];
    expect(header(0)).toBeUndefined();
    expect(header(1)).toBe('from-signin');
    expect(header(2)).toBe('from-signin');
    expect(header(3)).toBeUndefined();
    expect(String(fetchMock.mock.calls[1]![0])).toBe('/api/v1/tokens/t1');
  });
});
