import { describe, expect, it } from 'vitest';
import { landingFor, pagesFor } from './nav';

const hrefs = (role: Parameters<typeof pagesFor>[0]) => pagesFor(role).map((page) => page.href);

describe('staff menu', () => {
  it('gives administrators every page', () => {
    expect(hrefs('admin')).toEqual(
      expect.arrayContaining(['/staff/moderation', '/staff/alerts', '/staff/categories', '/staff/sites', '/staff/posters', '/staff/routing', '/staff/webhooks', '/staff/deliveries']),
    );
  });

  it('gives program staff the moderation queue and alerts, not the admin tools', () => {
    expect(hrefs('staff')).toEqual([
      '/staff',
      '/facilitator',
      '/dashboard',
      '/staff/moderation',
      '/staff/alerts',
      '/staff/proposals',
      '/staff/needs',
      '/staff/figures',
      '/staff/research',
      '/staff/research/findings',
      '/staff/posters',
      '/staff/deliveries',
      '/staff/tokens',
      '/staff/password',
    ]);
  });

  it('keeps participants’ words from facilitators and policymakers, and lets them read proposals and figures', () => {
    expect(hrefs('facilitator')).toEqual(['/staff', '/facilitator', '/staff/proposals', '/staff/figures', '/staff/tokens', '/staff/password']);
    expect(hrefs('policymaker')).toEqual([
      '/staff',
      '/dashboard',
      '/staff/proposals',
      '/staff/figures',
      '/staff/research/findings',
      '/staff/tokens',
      '/staff/password',
    ]);
  });

  it('gives the results dashboard to those who may read reports, and lands policymakers on it', () => {
    expect(hrefs('admin')).toContain('/dashboard');
    expect(hrefs('facilitator')).not.toContain('/dashboard');
    expect(landingFor('policymaker')).toBe('/dashboard');
    expect(landingFor('staff')).toBe('/staff');
  });

  it('puts running a meeting first for everyone who may, and lands peer facilitators on it', () => {
    for (const role of ['admin', 'staff', 'facilitator'] as const) expect(hrefs(role)[1]).toBe('/facilitator');
    expect(hrefs('policymaker')).not.toContain('/facilitator');
    expect(landingFor('facilitator')).toBe('/facilitator');
  });
});
