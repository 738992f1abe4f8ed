import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import {
  csvHref,
  defaultFilters,
  filtersFromSearch,
  isDay,
  isMissing,
  pdfHref,
  reportQuery,
  scopeFrom,
  scopeValue,
  searchFromFilters,
  type Row,
} from './reports';
import {
  colorAt,
  fraction,
  labelledIndexes,
  maxShown,
  niceMax,
  palette,
  periodLabel,
  ranked,
  seriesSentence,
  ticks,
  formatShare,
  barWords,
  leavesOutThisMonth,
  monthName,
  shareOf,
} from './reports-chart';

const row = (code: string, total: number | null): Row => ({ code, cells: [total], total, share: null });
const words = { week: 'Week of {day}', quarter: 'Q{quarter} {year}' };

describe('dashboard filters in the address', () => {
  it('reads the defaults from an empty query and writes nothing back', () => {
    expect(filtersFromSearch('')).toEqual(defaultFilters);
    expect(searchFromFilters(defaultFilters)).toBe('');
  });

  it('keeps a whole view through the address', () => {
    const view = { ...defaultFilters, view: 'sites', period: 'week', from: '2026-01-05', to: '2026-03-01', setting: 'rural', lang: 'es' } as const;
    const search = searchFromFilters(view);
    expect(search).toBe('?view=sites&period=week&from=2026-01-05&to=2026-03-01&setting=rural&lang=es');
    expect(filtersFromSearch(search)).toEqual(view);
  });

  it('drops what it does not know instead of sending it to the server', () => {
    expect(filtersFromSearch('?view=map&period=fortnight&from=2026-13-01&to=yesterday&setting=suburban&kind=bus&lang=fr')).toEqual(
      defaultFilters,
    );
  });

  it('keeps one way of choosing sites: an id wins over a setting, a setting over a kind', () => {
    expect(filtersFromSearch('?site_id=abc&setting=urban&kind=fixed')).toMatchObject({ site_id: 'abc', setting: '', kind: '' });
    expect(filtersFromSearch('?setting=urban&kind=fixed')).toMatchObject({ setting: 'urban', kind: '' });
  });

  it('turns the site select into filters and back', () => {
    for (const value of ['', 'site:01J:x', 'setting:urban', 'setting:rural', 'kind:fixed', 'kind:mobile']) {
      expect(scopeValue(scopeFrom(value))).toBe(value);
    }
    expect(scopeFrom('setting:suburban')).toEqual({ site_id: '', setting: '', kind: '' });
  });

  it('checks days for real', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('26-02-01')).toBe(false);
  });

  it('asks the server with the filters only, empty ones left out', () => {
    expect(reportQuery({ ...defaultFilters, view: 'sites', kind: 'mobile', lang: 'es' })).toEqual({
      period: 'month',
      from: undefined,
      to: undefined,
      site_id: undefined,
      setting: undefined,
      kind: 'mobile',
    });
  });

  it('links the downloads to the same view', () => {
    const f = { ...defaultFilters, period: 'quarter', setting: 'urban' } as const;
    expect(csvHref('needs', f, 'es', 'site')).toBe('/api/v1/reports/needs?by=site&period=quarter&setting=urban&format=csv&lang=es');
    expect(csvHref('about', f, 'en')).toBe('/api/v1/reports/about?period=quarter&setting=urban&format=csv&lang=en');
    expect(pdfHref(f, 'en')).toBe('/api/v1/reports/pdf?period=quarter&setting=urban&lang=en');
  });

  it('knows a report the server does not have yet', () => {
    expect(isMissing(new ApiError(404, 'not_found', 'no'))).toBe(true);
    expect(isMissing(new ApiError(403, 'forbidden', 'no'))).toBe(false);
    expect(isMissing(new Error('x'))).toBe(false);
  });
});

describe('chart scales', () => {
  it('rounds an axis up to a round number', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(-3)).toBe(1);
    expect(niceMax(Number.NaN)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(23)).toBe(25);
    expect(niceMax(40)).toBe(50);
    expect(niceMax(50)).toBe(50);
    expect(niceMax(51)).toBe(100);
    expect(niceMax(1234)).toBe(2000);
  });

  it('spaces gridlines evenly', () => {
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(25, 5)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(ticks(1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(0)).toEqual([0]);
  });

  it('never draws a kept-back count as a length, and never past the axis', () => {
    expect(fraction(null, 20)).toBe(0);
    expect(fraction(10, 20)).toBe(0.5);
    expect(fraction(30, 20)).toBe(1);
    expect(fraction(5, 0)).toBe(0);
  });

  it('finds the largest shown count', () => {
    expect(maxShown([null, 12, 30, null])).toBe(30);
    expect(maxShown([null])).toBe(0);
  });

  it('labels every bar when there is room, else the highest and the last', () => {
    expect([...labelledIndexes([12, null, 30], 40)]).toEqual([0, 1, 2]);
    expect([...labelledIndexes([12, 40, null, 30, 11], 10)].sort()).toEqual([1, 4]);
    expect([...labelledIndexes([null, null], 10)]).toEqual([1]);
  });

  it('goes round the colour-blind-safe palette', () => {
    expect(colorAt(0)).toBe(palette[0]);
    expect(colorAt(palette.length + 1)).toBe(palette[1]);
  });
});

describe('chart words', () => {
  it('ranks categories by total, kept-back totals last', () => {
    const rows = [row('food', 12), row('housing', null), row('id', 40), row('jobs', 12), row('naloxone', 0)];
    expect(ranked(rows).map((r) => r.code)).toEqual(['id', 'food', 'jobs', 'naloxone', 'housing']);
    expect(ranked(rows, 2).map((r) => r.code)).toEqual(['id', 'food']);
  });

  it('names periods in the reader’s language', () => {
    expect(periodLabel('2026-03-01', 'month', 'en', words)).toEqual({ short: 'Mar 2026', long: 'March 2026' });
    expect(periodLabel('2026-03-01', 'month', 'es', words).long).toBe('marzo de 2026');
    expect(periodLabel('2026-03-02', 'week', 'en', words)).toEqual({ short: 'Mar 2', long: 'Week of Mar 2, 2026' });
    expect(periodLabel('2026-07-01', 'quarter', 'en', words)).toEqual({ short: 'Q3 2026', long: 'Q3 2026' });
    expect(periodLabel('not a day', 'month', 'en', words).short).toBe('not a day');
  });

  it('says "hidden" for a kept-back count in a chart’s summary', () => {
    expect(
      seriesSentence('Housing', [
        { label: 'Jan', value: 1200 },
        { label: 'Feb', value: null },
      ], 'en', 'hidden'),
    ).toBe('Housing: Jan 1,200, Feb hidden.');
  });

  it('writes shares to one decimal', () => {
    expect(formatShare(12.5, 'en')).toBe('12.5%');
    expect(formatShare(40, 'en')).toBe('40%');
  });
});

describe('sites compared', () => {
  it('colours the i-th site as the PDF does (internal/report TestPDFPaletteMatchesDashboard pins the same list)', () => {
    expect(palette).toEqual(['#E69F00', '#0072B2', '#009E73', '#D55E00', '#56B4E9', '#CC79A7']);
    expect([0, 1, 6, 7].map(colorAt)).toEqual(['#E69F00', '#0072B2', '#E69F00', '#0072B2']);
  });

  it('gives a share only when the count and its site’s respondents are both shown', () => {
    expect(shareOf(731, 1180)).toBeCloseTo(61.95, 2);
    expect(shareOf(0, 400)).toBe(0);
    expect(shareOf(null, 400)).toBeNull();
    expect(shareOf(40, null)).toBeNull();
    expect(shareOf(0, 0)).toBeNull();
  });

  it('reads a bar out with its share, and a hidden one without', () => {
    expect(barWords(731, shareOf(731, 1180), 'en', 'hidden')).toBe('731 (61.9%)');
    expect(barWords(null, 50, 'en', 'hidden')).toBe('hidden');
    expect(barWords(40, null, 'en', 'hidden')).toBe('40');
    expect(barWords(40, undefined, 'es', 'oculto')).toBe('40');
    expect(barWords(1234, 12.5, 'es', 'oculto')).toBe('1234 (12,5\u00a0%)');
  });
});

describe('the months a report shows', () => {
  it('names months and says when the month under way is left out', () => {
    expect(monthName('2025-12-01', 'en')).toBe('December 2025');
    expect(monthName('2026-11-30', 'es')).toBe('noviembre de 2026');
    // The server's own end (none asked for) leaves the month under way out, whatever this browser's clock says.
    expect(leavesOutThisMonth('', '2026-11-30')).toBe(true);
    expect(leavesOutThisMonth('2026-12-31', '2026-12-31')).toBe(false);
    expect(leavesOutThisMonth('2026-10-31', '2026-10-31')).toBe(false);
    expect(leavesOutThisMonth('', '')).toBe(false);
  });
});
