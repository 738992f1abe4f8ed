import { describe, expect, it } from 'vitest';
import { matchRoute, notFound, routes } from './index';
import { isServerPath, normalizePath } from './paths';

describe('matchRoute', () => {
  it('has a page for every audience', () => {
    expect(routes.map((route) => route.path)).toEqual([
      '/',
      '/kiosk',
      '/live',
      '/screen',
      '/facilitator',
      '/staff',
      '/dashboard',
      '/signin',
    ]);
  });

  it('ignores trailing and repeated slashes', () => {
    expect(matchRoute('/kiosk/').path).toBe('/kiosk');
    expect(matchRoute('//live').path).toBe('/live');
    expect(matchRoute('').path).toBe('/');
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
