import { describe, expect, it } from 'vitest';
import { matchRoute, notFound, routeParam, routes } from './index';
import { isServerPath, normalizePath, safeNext } from './paths';

describe('matchRoute', () => {
  it('has a page for every audience', () => {
    expect(routes.map((route) => route.path)).toEqual([
      '/',
      '/kiosk',
      '/p',
      '/live',
      '/screen',
      '/facilitator',
      '/staff',
      '/staff/sites',
      '/staff/posters',
      '/staff/kiosks',
      '/staff/users',
      '/staff/audit',
      '/staff/settings',
      '/staff/tokens',
      '/staff/password',
      '/staff/moderation',
      '/staff/alerts',
      '/staff/categories',
      '/staff/proposals',
      '/staff/proposals/new',
      '/staff/needs',
      '/staff/figures',
      '/staff/routing',
      '/staff/webhooks',
      '/staff/deliveries',
      '/staff/research',
      '/staff/research/findings',
      '/staff/research/manage',
      '/staff/research/codebook',
      '/dashboard',
      '/signin',
      '/board',
      '/board',
    ]);
  });

  it('opens own-phone feedback from a poster address, and one site\'s poster', () => {
    const phone = matchRoute('/p/K7M3QX9A2B');
    expect(phone.path).toBe('/p');
    expect(routeParam('/p/K7M3QX9A2B', phone)).toBe('K7M3QX9A2B');
    expect(matchRoute('/staff/posters').path).toBe('/staff/posters');
    expect(matchRoute('/staff/posters/0b7e').path).toBe('/staff/posters');
  });

  it('ignores trailing and repeated slashes', () => {
    expect(matchRoute('/kiosk/').path).toBe('/kiosk');
    expect(matchRoute('//live').path).toBe('/live');
    expect(matchRoute('').path).toBe('/');
  });

  it('matches staff pages exactly', () => {
    expect(matchRoute('/staff/kiosks/').path).toBe('/staff/kiosks');
    expect(matchRoute('/staff/nope')).toBe(notFound);
  });

  it('gives live and screen one extra segment, the join code', () => {
    expect(matchRoute('/live/K7QX3M').path).toBe('/live');
    expect(matchRoute('/screen/K7QX3M/').path).toBe('/screen');
    expect(routeParam('/live/K7QX3M', matchRoute('/live/K7QX3M'))).toBe('K7QX3M');
    expect(routeParam('/live', matchRoute('/live'))).toBe('');
    expect(matchRoute('/live/a/b')).toBe(notFound);
    expect(matchRoute('/facilitator/x')).toBe(notFound);
  });

  it('opens one proposal by id, and the new-proposal form by its own path', () => {
    const one = matchRoute('/staff/proposals/p-123');
    expect(one.path).toBe('/staff/proposals');
    expect(routeParam('/staff/proposals/p-123', one)).toBe('p-123');
    expect(matchRoute('/staff/proposals/new').path).toBe('/staff/proposals/new');
    expect(routeParam('/staff/proposals', matchRoute('/staff/proposals'))).toBe('');
  });

  it('gives the public board its slug, and its sheet a page of its own', () => {
    const board = matchRoute('/board/harbor-ssp');
    const sheet = matchRoute('/board/harbor-ssp/sheet/');
    expect(board.path).toBe('/board');
    expect(sheet.path).toBe('/board');
    expect(sheet).not.toBe(board);
    expect(sheet.tail).toBe('/sheet');
    expect(routeParam('/board/harbor-ssp', board)).toBe('harbor-ssp');
    expect(routeParam('/board/harbor-ssp/sheet', sheet)).toBe('harbor-ssp');
    expect(routeParam('/board/harbor-ssp', sheet)).toBe('');
    expect(matchRoute('/board/a/other')).toBe(notFound);
    expect(matchRoute('/board/a/b/sheet')).toBe(notFound);
  });

  it('sends unknown paths to not-found', () => {
    expect(matchRoute('/kiosk/extra')).toBe(notFound);
    expect(matchRoute('/KIOSK')).toBe(notFound);
  });
});

describe('paths', () => {
  it('normalizes', () => {
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('///')).toBe('/');
    expect(normalizePath('/a//b/')).toBe('/a/b');
  });

  it('knows which paths the server answers', () => {
    expect(isServerPath('/api/v1/me')).toBe(true);
    expect(isServerPath('/api')).toBe(true);
    expect(isServerPath('/healthz')).toBe(true);
    expect(isServerPath('/metrics')).toBe(true);
    expect(isServerPath('/apiary')).toBe(false);
    expect(isServerPath('/kiosk')).toBe(false);
  });
});

describe('safeNext', () => {
  it('keeps app paths with their query', () => {
    expect(safeNext('/staff/audit?action=kiosk.created')).toBe('/staff/audit?action=kiosk.created');
    expect(safeNext('/staff/kiosks/')).toBe('/staff/kiosks');
  });

  it('falls back for anything that could leave the app', () => {
    for (const next of [null, '', 'staff', 'https://evil.example/', '//evil.example/x', '/\\evil.example', '/api/v1/me']) {
      expect(safeNext(next), String(next)).toBe('/staff');
    }
  });
});
