import { describe, expect, it } from 'vitest';
import { apiQuery, defaultLimit, filtersFrom, nextDay, searchFor } from './audit';

describe('audit filters', () => {
  it('round-trip through the address', () => {
    const filters = { action: 'kiosk.enrolled', from: '2025-03-01', to: '2025-03-31', limit: 50 };
    expect(filtersFrom(searchFor(filters))).toEqual(filters);
  });

  it('leave defaults out of the address', () => {
    expect(searchFor({ action: '', from: '', to: '', limit: defaultLimit })).toBe('');
  });

  it('drop what is malformed', () => {
    expect(filtersFrom('?action=rm%20-rf&from=yesterday&to=2025-13&limit=9999')).toEqual({
      action: '',
      from: '',
      to: '',
      limit: defaultLimit,
    });
  });

  it('ask the API for the day after the last day included', () => {
    expect(apiQuery({ action: '', from: '2025-02-01', to: '2025-02-28', limit: 100 })).toEqual({
      action: undefined,
      from: '2025-02-01',
      to: '2025-03-01',
      limit: 100,
    });
    expect(nextDay('2024-12-31')).toBe('2025-01-01');
  });
});
