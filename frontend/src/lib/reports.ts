/**
 * The dashboard's reports: typed calls for /api/v1/reports/…, the filters a
 * view is made of (kept in the page's address so a link shows the same
 * view), and the export links. Every count arrives already suppressed by the
 * server: a number, or null when it is between 1 and min_cell − 1 (or would
 * reveal one). Shapes follow api/reports.go and internal/report.
 */
import { api, ApiError } from './api';
import type { Text } from './proposals';

/** A count of people: a number, or null when it is kept back to protect privacy. Never read null as 0. */
export type Cell = number | null;

export interface Column {
  /** A period's first day (YYYY-MM-DD) or a site's id. */
  key: string;
  label?: Text;
}

export interface Row {
  code: string;
  label?: Text;
  cells: Cell[];
  total: Cell;
  /** The total as a percentage of all respondents; null when kept back or not meaningful (points). */
  share: number | null;
}

export type Period = 'week' | 'month' | 'quarter';
export const periods: readonly Period[] = ['week', 'month', 'quarter'];

/** A needs, priorities or strengths report: categories by period or by site. */
export interface ReportTable {
  title: string;
  metric: string;
  by: 'period' | 'site';
  columns: Column[];
  rows: Row[];
  respondents: Cell[];
  respondents_total: Cell;
  /** The view narrows to fewer than min_cell people: nothing is shown. */
  too_few: boolean;
  min_cell: number;
  from: string;
  to: string;
  period: Period;
}

/** What the participation and channel reports share: the view, and the submissions in each period and in all. */
export interface PeriodTotals {
  columns: Column[];
  per_period: Cell[];
  total: Cell;
  too_few: boolean;
  min_cell: number;
  from: string;
  to: string;
  period: Period;
}

/** Submissions by site (rows) and period (columns). */
export interface Participation extends PeriodTotals {
  sites: Row[];
}

/** Submissions by how they came in (rows: `kiosk`, `phone`) and period (columns); its totals are Participation's. */
export interface Channels extends PeriodTotals {
  channels: Row[];
}

export interface AboutQuestion {
  question: string;
  bands: Row[];
  answered: Cell;
  too_few: boolean;
}

export interface AboutReport {
  questions: AboutQuestion[];
  min_cell: number;
  from: string;
  to: string;
}

export interface ProposalFigures {
  proposals: number;
  from_participants: number;
  participant_share: number | null;
  by_origin: Record<string, Record<string, number>>;
  median_days_to_first_response: number | null;
  median_days_to_decision: number | null;
  accepted_share: number | null;
  done_share: number | null;
  overdue_count?: number;
}

export interface ProposalOutcome {
  id: string;
  title: Text;
  status: string;
  origin: string;
  support: { agree: Cell; disagree: Cell; unsure: Cell; total: Cell };
}

export interface ProposalsReport {
  figures: ProposalFigures;
  proposals: ProposalOutcome[];
}

/** How many live sessions a site held in each period: meetings, not people, so never hidden. */
export interface Meetings {
  code: string;
  label?: Text;
  held: number[];
  held_total: number;
}

/** Live sessions by site and period: how many were held, and how many people voted in them. */
export interface SessionsReport {
  columns: Column[];
  sessions: Meetings[];
  participants: Row[];
  participants_per_period: Cell[];
  participants_total: Cell;
  too_few: boolean;
  min_cell: number;
  from: string;
  to: string;
  period: Period;
}

/** What the dashboard shows: over time, or the sites side by side. */
export type View = 'time' | 'sites';
export const views: readonly View[] = ['time', 'sites'];

/** A dashboard view: everything that goes in the address. */
export interface Filters {
  view: View;
  period: Period;
  /** YYYY-MM-DD, or "" for the server's default (the last 365 days). */
  from: string;
  to: string;
  /** One site by id, or every site of a setting or kind; all empty for every site. */
  site_id: string;
  setting: '' | 'urban' | 'rural';
  kind: '' | 'fixed' | 'mobile';
  /** The language of the page and of downloads; "" to keep the reader's own. */
  lang: '' | 'en' | 'es';
}

export const defaultFilters: Filters = {
  view: 'time',
  period: 'month',
  from: '',
  to: '',
  site_id: '',
  setting: '',
  kind: '',
  lang: '',
};

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** Reports whether value is a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!dayPattern.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** Reads a view from a query string ("?period=week&setting=rural"); anything unknown falls back to the default. */
export function filtersFromSearch(search: string): Filters {
  const q = new URLSearchParams(search);
  const day = (name: string) => {
    const value = q.get(name) ?? '';
    return isDay(value) ? value : '';
  };
  const f: Filters = {
    view: oneOf(q.get('view'), views, defaultFilters.view),
    period: oneOf(q.get('period'), periods, defaultFilters.period),
    from: day('from'),
    to: day('to'),
    site_id: (q.get('site_id') ?? '').trim(),
    setting: oneOf(q.get('setting'), ['', 'urban', 'rural'] as const, ''),
    kind: oneOf(q.get('kind'), ['', 'fixed', 'mobile'] as const, ''),
    lang: oneOf(q.get('lang'), ['', 'en', 'es'] as const, ''),
  };
  // One way of choosing sites at a time: a site by id wins.
  if (f.site_id) f.setting = f.kind = '';
  else if (f.setting) f.kind = '';
  return f;
}

/** The query string for a view, defaults left out ("" when everything is the default). */
export function searchFromFilters(f: Filters): string {
  const q = new URLSearchParams();
  for (const key of ['view', 'period', 'from', 'to', 'site_id', 'setting', 'kind', 'lang'] as const) {
    if (f[key] && f[key] !== defaultFilters[key]) q.set(key, f[key]);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The filters the report endpoints take (no view, no language). */
export function reportQuery(f: Filters): Record<string, string | undefined> {
  const empty = (value: string) => value || undefined;
  return {
    period: f.period,
    from: empty(f.from),
    to: empty(f.to),
    site_id: empty(f.site_id),
    setting: empty(f.setting),
    kind: empty(f.kind),
  };
}

/**
 * The site choice as one select's value: "" for every site, "site:ID",
 * "setting:urban" or "kind:mobile".
 */
export function scopeValue(f: Pick<Filters, 'site_id' | 'setting' | 'kind'>): string {
  if (f.site_id) return `site:${f.site_id}`;
  if (f.setting) return `setting:${f.setting}`;
  if (f.kind) return `kind:${f.kind}`;
  return '';
}

/** The site filters for a select's value made by scopeValue. */
export function scopeFrom(value: string): Pick<Filters, 'site_id' | 'setting' | 'kind'> {
  const none = { site_id: '', setting: '', kind: '' } as const;
  const [what, rest = ''] = value.split(/:(.*)/s);
  if (what === 'site' && rest) return { ...none, site_id: rest };
  if (what === 'setting' && (rest === 'urban' || rest === 'rural')) return { ...none, setting: rest };
  if (what === 'kind' && (rest === 'fixed' || rest === 'mobile')) return { ...none, kind: rest };
  return { ...none };
}

/** The reports the dashboard reads. */
export type ReportName = 'needs' | 'priorities' | 'strengths' | 'participation' | 'about' | 'proposals' | 'sessions';

function queryString(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) q.set(key, value);
  return q.toString();
}

/** The address of a report's CSV download for a view, labels in lang. */
export function csvHref(report: ReportName, f: Filters, lang: string, by?: 'period' | 'site'): string {
  return `/api/v1/reports/${report}?${queryString({ by, ...reportQuery(f), format: 'csv', lang })}`;
}

/** The address of the printable PDF report for a view, in lang. */
export function pdfHref(f: Filters, lang: string): string {
  return `/api/v1/reports/pdf?${queryString({ ...reportQuery(f), lang })}`;
}

/** Reports whether err means the server has no such report (an older server): the page says so instead of failing. */
export function isMissing(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501);
}

const get = <T>(path: string, f: Filters, extra: Record<string, string> = {}, signal?: AbortSignal) =>
  api.get<T>(`/v1/reports/${path}`, { query: { ...extra, ...reportQuery(f) }, signal });

export const reportsApi = {
  table: (report: 'needs' | 'priorities' | 'strengths', by: 'period' | 'site', f: Filters, signal?: AbortSignal) =>
    get<ReportTable>(report, f, { by }, signal),
  participation: (f: Filters, signal?: AbortSignal) => get<Participation>('participation', f, {}, signal),
  channels: (f: Filters, signal?: AbortSignal) => get<Channels>('channels', f, {}, signal),
  about: (f: Filters, signal?: AbortSignal) => get<AboutReport>('about', f, {}, signal),
  proposals: (f: Filters, signal?: AbortSignal) => get<ProposalsReport>('proposals', f, {}, signal),
  sessions: (f: Filters, signal?: AbortSignal) => get<SessionsReport>('sessions', f, {}, signal),
};
