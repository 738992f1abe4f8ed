/**
 * Proposals and accountability ("you said, we did"): typed calls for the
 * staff pages, the public board and the kiosk, and the rules the pages share
 * (which moves a proposal may make, how a suppressed count reads). Shapes
 * follow docs/proposals.md, the contract with the Go handlers.
 */
import { api } from './api';

/** A text in every language of the organization, e.g. {"en": "…", "es": "…"}. */
export type Text = Record<string, string>;

export type ProposalStatus = 'draft' | 'open' | 'under_review' | 'accepted' | 'in_progress' | 'done' | 'declined';
export const proposalStatuses: readonly ProposalStatus[] = [
  'draft',
  'open',
  'under_review',
  'accepted',
  'in_progress',
  'done',
  'declined',
];

export type Origin = 'participants' | 'peer_facilitator' | 'staff' | 'policymaker';
export const origins: readonly Origin[] = ['participants', 'peer_facilitator', 'staff', 'policymaker'];

/** The moves the contract allows from each status; done and declined are final. */
export const nextMoves: Readonly<Record<ProposalStatus, readonly ProposalStatus[]>> = {
  draft: ['open'],
  open: ['under_review', 'declined'],
  under_review: ['accepted', 'declined'],
  accepted: ['in_progress', 'done', 'declined'],
  in_progress: ['done'],
  done: [],
  declined: [],
};

/** Reports whether an update may keep the status as it is (a progress note): anything but a draft. */
export function mayNote(status: ProposalStatus): boolean {
  return status !== 'draft';
}

export interface Proposal {
  id: string;
  title: Text;
  description: Text;
  origin: Origin;
  status: ProposalStatus;
  needs: string[];
  site_ids: string[];
  put_to_policymakers: boolean;
  /** YYYY-MM-DD */
  created_on: string;
  responded_on: string | null;
  decided_on: string | null;
  overdue: boolean;
}

export interface ProposalUpdate {
  id: string;
  status: ProposalStatus;
  body: Text;
  day: string;
  /** Who wrote it: staff, or a policymaker answering a proposal put to them. */
  by: 'staff' | 'policymaker' | (string & {});
}

/** What a proposal from participants rests on. */
export type Evidence =
  | { kind: 'need'; code: string; site_id: string | null }
  /** An approved comment; staff are sent its words too. */
  | { kind: 'feedback_text'; id: string; body?: string; text?: string }
  | { kind: 'live_round'; id: string; prompt?: string };

/** A support count: a number, or null when it is between 1 and min_cell − 1 and so kept back. */
export type Count = number | null;

export interface SupportRow {
  agree: Count;
  disagree: Count;
  unsure: Count;
  total: Count;
}

export interface Support {
  suppressed: boolean;
  min_cell: number;
  sites: (SupportRow & { site_id: string; name: string })[];
  total: SupportRow;
  /** Staff only: the exact counts by where they came from (kiosk answers, live votes, hand counts). */
  by_source?: Partial<Record<'kiosk' | 'live' | 'hand', Partial<Record<Answer, number>>>>;
}

export type Tally = Partial<Record<ProposalStatus, number>>;

export interface Figures {
  response_days: number;
  proposals: number;
  from_participants: number;
  participant_share: number | null;
  by_origin: Partial<Record<Origin, Tally>>;
  median_days_to_first_response: number | null;
  median_days_to_decision: number | null;
  accepted_share: number | null;
  done_share: number | null;
  /** How many proposals wait longer than response_days for a first answer. */
  overdue_count?: number;
  /** Which ones: staff see them; the public board gets none (null). */
  overdue?: { id: string; title?: Text; days_waiting: number }[] | number | null;
}

/** How one need fared at one site, for staff to turn into a proposal. */
export interface NeedSite {
  site_id: string | null;
  name?: string;
  count: number;
  points?: number;
}

export interface NeedSummary {
  code: string;
  label?: Text;
  count: number;
  points?: number;
  sites: NeedSite[];
}

export interface NewProposal {
  title: Text;
  description: Text;
  origin: Origin;
  needs: string[];
  site_ids: string[];
  evidence: Evidence[];
}

export interface UpdateInput {
  status?: ProposalStatus;
  body: Text;
  put_to_policymakers?: boolean;
}

export interface ProposalQuery {
  status?: ProposalStatus | '';
  origin?: Origin | '';
  site_id?: string;
}

/** A proposal as anyone may read it: no evidence, no creator, nothing about any submission. */
export interface PublicProposal {
  id: string;
  title: Text;
  description: Text;
  status: ProposalStatus;
  needs: string[];
  sites: string[];
  updates: { status: ProposalStatus; body: Text; day: string }[];
}

export interface PublicBoard {
  organization: { name: string; slug: string };
  languages: string[];
  proposals: PublicProposal[];
  figures: Figures;
}

export interface Sheet {
  organization: { name: string; slug: string };
  site: { id: string; name: string } | null;
  month: string;
  updates: { proposal_id: string; title: Text; status: ProposalStatus; body: Text; day: string }[];
  /** The sites to choose from, when the server lists them. */
  sites?: { id: string; name: string }[];
}

/** An open proposal the kiosk asks about after a submission. */
export interface KioskProposal {
  id: string;
  title: Text;
  description: Text;
}

export type Answer = 'agree' | 'disagree' | 'unsure';
export const answers: readonly Answer[] = ['agree', 'disagree', 'unsure'];

const id = (value: string) => encodeURIComponent(value);
const list = <T>(value: T[] | null | undefined): T[] => value ?? [];
/** Leaves out empty filters, so "all" sends no parameter. */
const query = (q: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v === '' ? undefined : v]));

/** Staff, facilitators and policymakers, signed in. */
export const proposalsApi = {
  list: async (q: ProposalQuery = {}) =>
    list((await api.get<{ proposals: Proposal[] | null }>('/v1/proposals', { query: query({ ...q }) })).proposals),
  create: (input: NewProposal) => api.post<{ id: string }>('/v1/proposals', input),
  get: async (proposalId: string) => {
    const got = await api.get<{ proposal: Proposal; updates: ProposalUpdate[] | null; evidence: Evidence[] | null }>(
      `/v1/proposals/${id(proposalId)}`,
    );
    return { proposal: got.proposal, updates: list(got.updates), evidence: list(got.evidence) };
  },
  postUpdate: (proposalId: string, input: UpdateInput) =>
    api.post<ProposalUpdate>(`/v1/proposals/${id(proposalId)}/updates`, input),
  respond: (proposalId: string, decision: 'accepted' | 'declined', body: Text) =>
    api.post<ProposalUpdate>(`/v1/proposals/${id(proposalId)}/respond`, { decision, body }),
  support: (proposalId: string) => api.get<Support>(`/v1/proposals/${id(proposalId)}/support`),
  figures: (site_id?: string) => api.get<Figures>('/v1/proposals/figures', { query: query({ site_id }) }),
  needs: (q: { from?: string; to?: string; site_id?: string } = {}) =>
    api.get<unknown>('/v1/needs/summary', { query: query(q) }).then(needSummaries),
};

/** Anyone, no sign-in. */
export const publicApi = {
  board: (slug: string) => api.get<PublicBoard>(`/v1/public/${id(slug)}/board`),
  receipt: async (slug: string, code: string) =>
    list((await api.post<{ proposals: PublicProposal[] | null }>(`/v1/public/${id(slug)}/receipt`, { code })).proposals),
  sheet: (slug: string, q: { site_id?: string; month?: string }) =>
    api.get<Sheet>(`/v1/public/${id(slug)}/sheet`, { query: query(q) }),
};

const bearer = (token: string, extra: Record<string, string> = {}) => ({
  headers: { Authorization: `Bearer ${token}`, ...extra },
});

/** The kiosk tablet, with its device token. */
export const kioskProposalsApi = {
  open: async (token: string) =>
    list((await api.get<{ proposals: KioskProposal[] | null }>('/v1/kiosk/proposals', bearer(token))).proposals),
  /** One answer, sent with its own idempotency key; a resend answers 200 and stores nothing new. */
  support: (token: string, key: string, proposal_id: string, answer: Answer) =>
    api.post<{ id: string }>('/v1/kiosk/support', { proposal_id, answer }, bearer(token, { 'Idempotency-Key': key })),
  receipt: async (token: string, code: string) =>
    list((await api.post<{ proposals: PublicProposal[] | null }>('/v1/kiosk/receipt', { code }, bearer(token))).proposals),
};

/**
 * Reads GET /needs/summary. The contract names its content ("need counts and
 * priority points per site") but not its shape, so this accepts either a list
 * of needs with their sites, or a list of (need, site) rows, and gives a list
 * of needs, the most chosen first.
 */
export function needSummaries(body: unknown): NeedSummary[] {
  const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const b = record(body);
  const rows = [b.needs, b.summary, b.rows, body].find(Array.isArray) as unknown[] | undefined;
  const byCode = new Map<string, NeedSummary>();
  for (const raw of rows ?? []) {
    const row = record(raw);
    const code = str(row.code) ?? str(row.need);
    if (!code) continue;
    const need = byCode.get(code) ?? { code, count: 0, points: 0, sites: [] };
    const label = row.label ?? record(b.labels)[code];
    if (!need.label && typeof label === 'object' && label) need.label = label as Text;
    const sites = Array.isArray(row.sites) ? row.sites.map(record) : [row];
    for (const s of sites) {
      const site: NeedSite = {
        site_id: str(s.site_id) ?? null,
        name: str(s.site_name) ?? str(s.name),
        count: num(s.count ?? s.chosen),
        points: num(s.points ?? s.priority_points),
      };
      need.sites.push(site);
    }
    need.count = Array.isArray(row.sites) && typeof row.count === 'number' ? row.count : need.sites.reduce((n, s) => n + s.count, 0);
    need.points =
      Array.isArray(row.sites) && typeof row.points === 'number' ? row.points : need.sites.reduce((n, s) => n + (s.points ?? 0), 0);
    byCode.set(code, need);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || (b.points ?? 0) - (a.points ?? 0) || a.code.localeCompare(b.code));
}

/** A text in lang, else English, else any language it has. */
export function textIn(text: Text | undefined, lang: string): string {
  if (!text) return '';
  return text[lang] || text.en || Object.values(text).find(Boolean) || '';
}

/** Receipt codes: six characters, typed any way, sent as XXX-XXX; undefined when it cannot be one. */
export function normalizeReceipt(typed: string): string | undefined {
  const plain = typed.toUpperCase().replace(/[\s-]+/g, '');
  if (!/^[0-9A-Z]{6}$/.test(plain)) return undefined;
  return `${plain.slice(0, 3)}-${plain.slice(3)}`;
}

/** "2026-11" for the month a day falls in, in UTC. */
export function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The last n months, newest first, as YYYY-MM. */
export function recentMonths(today: Date, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(monthOf(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - i, 1))));
  return out;
}

/** A month (YYYY-MM) in the reader's language, e.g. "November 2026". */
export function formatMonth(month: string, lang: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** A calendar day (YYYY-MM-DD) in the reader's language, never shifted by a time zone. */
export function formatDay(day: string, lang: string, style: 'medium' | 'long' = 'medium'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(lang, { dateStyle: style, timeZone: 'UTC' }).format(date);
}

/** The statuses in the order they happen, for tables of figures. */
export const tallyOrder: readonly ProposalStatus[] = ['open', 'under_review', 'accepted', 'in_progress', 'done', 'declined'];

/** The number of overdue proposals, whichever form the figures give. */
export function overdueCount(figures: Pick<Figures, 'overdue' | 'overdue_count'>): number {
  if (typeof figures.overdue_count === 'number') return figures.overdue_count;
  const o = figures.overdue;
  return typeof o === 'number' ? o : Array.isArray(o) ? o.length : 0;
}

/** A number of days as the reader's language writes it, to one decimal (a median may fall between two days). */
export function days(value: number, lang: string): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(value);
}

/** A percentage as the reader's language writes it, rounded to a whole number; "—" when there is none. */
export function percent(value: number | null | undefined, lang: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(value / 100);
}

/** A new proposal's draft, prefilled from the address of the form (?need=…&site_id=… or ?text=…). */
export function prefillFrom(search: string): { origin?: Origin; needs: string[]; site_ids: string[]; evidence: Evidence[] } {
  const params = new URLSearchParams(search);
  const need = params.get('need');
  const text = params.get('text');
  const round = params.get('round');
  const site = params.get('site_id') || null;
  const evidence: Evidence[] = [];
  if (need) evidence.push({ kind: 'need', code: need, site_id: site });
  if (text) evidence.push({ kind: 'feedback_text', id: text });
  if (round) evidence.push({ kind: 'live_round', id: round });
  return {
    origin: evidence.length > 0 ? 'participants' : undefined,
    needs: need ? [need] : [],
    site_ids: site ? [site] : [],
    evidence,
  };
}

/** The address of the new-proposal form for a piece of evidence. */
export function newProposalHref(evidence: Evidence): string {
  const params = new URLSearchParams();
  if (evidence.kind === 'need') {
    params.set('need', evidence.code);
    if (evidence.site_id) params.set('site_id', evidence.site_id);
  } else if (evidence.kind === 'feedback_text') {
    params.set('text', evidence.id);
  } else {
    params.set('round', evidence.id);
  }
  return `/staff/proposals/new?${params}`;
}

/** The languages every proposal text must be written in. */
export const textLangs = ['en', 'es'] as const;

/** The languages a text is still missing (blank or only spaces), so the form can say which box to fill. */
export function missingLangs(text: Partial<Text>): ('en' | 'es')[] {
  return textLangs.filter((lang) => !(text[lang] ?? '').trim());
}

/** A text with each language's spaces trimmed, as it is sent. */
export function trimmed(en: string, es: string): Text {
  return { en: en.trim(), es: es.trim() };
}
