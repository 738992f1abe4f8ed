import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from './api';
import { codePointOffset, codeTree, filterCodeTree, formatStatistic, inLang, isDocx, researchApi, seriesAt, spanText, toBase64, type Code } from './research';

const code = (id: string, parent_id: string | null): Code => ({
  id, parent_id, codebook_id: 'b', position: 0, version: 1, version_id: `v${id}`,
  name: { en: id }, definition: {}, inclusion: {}, exclusion: {}, example: {}, colour: '#000000',
});

describe('research helpers', () => {
  it('counts offsets in code points, as the server does', () => {
    const text = 'Hi 👋 there';
    // The emoji is two UTF-16 units but one code point.
    expect(codePointOffset(text, 5)).toBe(4);
    expect(spanText(text, 3, 4)).toBe('👋');
  });

  it('lists each theme before its subcodes', () => {
    const tree = codeTree([code('sub', 'theme'), code('theme', null), code('other', null)]);
    expect(tree.map((t) => `${t.code.id}:${t.depth}`)).toEqual(['theme:0', 'sub:1', 'other:0']);
  });

  it('shows an undefined statistic as a dash', () => {
    expect(formatStatistic({ value: null, reason: 'no_variation' })).toBe('—');
    expect(formatStatistic({ value: 0.7434 })).toBe('0.743');
  });
});

describe('codebook filter', () => {
  const named = (id: string, parent_id: string | null, en: string, es: string, definition = ''): Code => ({
    ...code(id, parent_id), name: { en, es }, definition: { en: definition },
  });
  const tree = codeTree([
    named('stigma', null, 'Stigma', 'Estigma'),
    named('enacted', 'stigma', 'Enacted', 'Estigma vivido'),
    named('perceived', 'stigma', 'Perceived', 'Estigma percibído', 'What a person believes others think.'),
    named('capital', null, 'Capital', 'Capital'),
    named('social', 'capital', 'Social', 'Social', 'People to lean on.'),
  ]);
  const ids = (term: string, lang: string) => filterCodeTree(tree, term, lang).map((t) => t.code.id);

  it('keeps everything for a blank term', () => {
    expect(ids('  ', 'en')).toEqual(['stigma', 'enacted', 'perceived', 'capital', 'social']);
  });

  it('shows a found theme with all its codes', () => {
    expect(ids('stigma', 'en')).toEqual(['stigma', 'enacted', 'perceived']);
  });

  it('shows a found code under its theme, and reads definitions', () => {
    expect(ids('lean on', 'en')).toEqual(['capital', 'social']);
    expect(ids('BELIEVES', 'en')).toEqual(['stigma', 'perceived']);
  });

  it('searches in the reader\'s language, without minding accents', () => {
    expect(ids('percibido', 'es')).toEqual(['stigma', 'perceived']);
    expect(ids('percibido', 'en')).toEqual([]);
    expect(ids('nothing like this', 'es')).toEqual([]);
  });

  it('falls back to English, then Spanish, for a missing label', () => {
    expect(inLang({ en: 'Social' }, 'es')).toBe('Social');
    expect(inLang({ es: 'Estigma' }, 'en')).toBe('Estigma');
    expect(inLang(undefined, 'en')).toBe('');
  });
});

describe('codebook import', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(undefined);
  });

  it('sends the file as it is, with the CSRF token, not as JSON', async () => {
    const fetchMock = vi.fn(async () => new Response('{"id":"b"}', { status: 201, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('token-1');
    const file = new Blob(['<CodeBook/>'], { type: 'application/xml' });
    await researchApi.importCodebook(file, 'Mine', 'es');
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/research/codebooks/import?name=Mine&lang=es');
    expect(init.body).toBe(file);
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/xml');
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('token-1');
  });
});

describe('transcript files', () => {
  it('tells a Word file from text by its name', () => {
    expect(isDocx({ name: 'Group 3.DOCX' })).toBe(true);
    expect(isDocx({ name: 'notes.md' })).toBe(false);
    expect(isDocx({ name: 'docx.txt' })).toBe(false);
  });

  it('encodes every byte, past one chunk, as the server decodes it', () => {
    const bytes = new Uint8Array(0x8000 * 2 + 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 256;
    const back = Uint8Array.from(atob(toBase64(bytes)), (c) => c.charCodeAt(0));
    expect(back).toEqual(bytes);
    expect(toBase64(new Uint8Array([80, 75, 3, 4]))).toBe('UEsDBA==');
  });
});

describe('code counts', () => {
  const series = {
    code_ids: ['a'],
    total: null,
    months: [12, null],
    sites: [{ site_id: 'shop', total: 14, months: [12, 2] }],
  };

  it('reads every site, or one, and hides a site it was not given', () => {
    expect(seriesAt(series, '')).toEqual({ total: null, months: [12, null] });
    expect(seriesAt(series, 'shop')).toEqual({ total: 14, months: [12, 2] });
    expect(seriesAt(series, 'van')).toEqual({ total: null, months: [null, null] });
  });

  it('asks for the codes, their pairs and the months', async () => {
    const fetchMock = vi.fn(async () => new Response('{"months":[],"codes":[],"pairs":[]}', { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    await researchApi.codeCounts(['a', 'b'], { from: '2026-01', to: '' });
    const [url] = fetchMock.mock.calls[0] as unknown as [string];
    expect(url).toBe('/api/v1/research/counts?code_ids=a%2Cb&pairs=1&from=2026-01');
    vi.unstubAllGlobals();
  });
});
