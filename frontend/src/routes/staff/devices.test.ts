import { describe, expect, it } from 'vitest';
import type { Site } from '../../lib/access';
import { clock, deviceStatus, kioskKind, vanLaptopKind, vansFirst } from './devices';

const device = { id: 'd1', site_id: 's1', name: 'Front desk', enrolled_at: null, revoked_at: null };

describe('devices on the Kiosks page', () => {
  it('says where a device stands: turned off wins over set up', () => {
    expect(deviceStatus(device)).toBe('staff.kiosks.status.waiting');
    expect(deviceStatus({ ...device, enrolled_at: '2026-01-02T10:00:00Z' })).toBe('staff.kiosks.status.ready');
    expect(deviceStatus({ ...device, enrolled_at: '2026-01-02T10:00:00Z', revoked_at: '2026-01-03T10:00:00Z' })).toBe(
      'staff.kiosks.status.off',
    );
    expect(deviceStatus({ ...device, revoked_at: '2026-01-03T10:00:00Z' })).toBe('staff.kiosks.status.off');
  });

  it('offers vans first for a van laptop and keeps the order otherwise', () => {
    const site = (id: string, kind: Site['kind']) => ({ id, name: id, kind }) as Site;
    const sites = [site('a', 'fixed'), site('van1', 'mobile'), site('b', 'fixed'), site('van2', 'mobile')];
    expect(vansFirst(sites).map((s) => s.id)).toEqual(['van1', 'van2', 'a', 'b']);
    expect(sites.map((s) => s.id)).toEqual(['a', 'van1', 'b', 'van2']);
  });

  it('counts down in minutes and seconds, rounding up', () => {
    expect(clock(15 * 60 * 1000)).toBe('15:00');
    expect(clock(4_001)).toBe('0:05');
    expect(clock(0)).toBe('0:00');
  });

  it('carries the code to a tablet in the link fragment and to a laptop as its command', () => {
    expect(kioskKind.qrText('https://chorus.example', 'ABCD2345')).toMatch(/^https:\/\/chorus\.example\/kiosk.*#.*ABCD2345/);
    expect(vanLaptopKind.qrText('https://chorus.example', 'ABCD2345')).toBe(
      'chorus edge enroll --upstream https://chorus.example --code ABCD2345',
    );
  });

  it('gives each list its own field and dialog ids', () => {
    expect(new Set([kioskKind.fieldId, vanLaptopKind.fieldId]).size).toBe(2);
    expect(new Set([kioskKind.confirmId, vanLaptopKind.confirmId]).size).toBe(2);
    expect(new Set([kioskKind.codeId, vanLaptopKind.codeId]).size).toBe(2);
  });
});
