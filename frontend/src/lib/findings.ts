/**
 * Typed calls for research findings and member checking: a finding's
 * statement, codes and exemplars, and how the community answered it.
 * Shapes follow api/research_findings.go and report.FindingChecks.
 */
import { api } from './api';
import type { Labels } from './moderation';

export interface Finding {
  id: string;
  statement_en: string;
  statement_es: string;
  created_by: string | null;
  /** YYYY-MM-DD: the day it was written. */
  created_on: string;
  /** Flagged for another look: the community disagreed, or staff asked. */
  flagged: boolean;
  code_ids: string[];
  excerpt_ids: string[];
}

export interface FindingCode {
  id: string;
  name: Partial<Labels>;
  colour: string;
}

export interface Exemplar {
  id: string;
  site_id: string;
  day: string;
  text: string;
}

/** A count, or null when it is hidden to protect privacy. */
export type Count = number | null;

export interface CheckCount {
  agree: Count;
  disagree: Count;
  unsure: Count;
  answers: Count;
  /** Fewer answers than may be shown: every count is hidden. */
  too_few: boolean;
}

export interface CheckRow extends CheckCount {
  site_id: string;
  site_name: string;
}

/** How the community answered a finding, per site and in all. */
export interface CheckAnswers {
  min_cell: number;
  suppressed: boolean;
  total: CheckCount;
  sites: CheckRow[];
}

/** A period a finding is put to the kiosks of one site, or of every site (site_id null). */
export interface FindingAsk {
  id: string;
  finding_id: string;
  site_id: string | null;
  start_day: string;
  end_day: string;
  created_on: string;
  /** The day staff stopped it (null: not stopped); answers taken before still count. */
  stopped_on: string | null;
}

export interface FindingPage extends Finding {
  codes: FindingCode[];
  exemplars: Exemplar[];
  checks: CheckAnswers;
  asks: FindingAsk[];
}

export interface FindingInput {
  statement_en: string;
  statement_es: string;
  code_ids: string[];
  excerpt_ids: string[];
  flagged?: boolean;
}

const id = (value: string) => encodeURIComponent(value);

export const findingsHref = '/staff/research/findings';
export const findingHref = (findingId: string) => `${findingsHref}/${id(findingId)}`;

/** A finding as a meeting's console offers it: the words the room will read. */
export interface MeetingFinding {
  id: string;
  statement_en: string;
  statement_es: string;
  flagged: boolean;
}

export const findingsApi = {
  /** For everyone who runs meetings, peer facilitators included. */
  forMeetings: async () => (await api.get<{ findings: MeetingFinding[] }>('/v1/meeting-findings')).findings,
  list: async () => (await api.get<{ findings: Finding[] }>('/v1/research/findings')).findings,
  get: (findingId: string) => api.get<FindingPage>(`/v1/research/findings/${id(findingId)}`),
  create: (input: FindingInput) => api.post<Finding>('/v1/research/findings', input),
  update: (findingId: string, input: Partial<FindingInput>) => api.patch<Finding>(`/v1/research/findings/${id(findingId)}`, input),
  /** Puts a finding to the kiosks of the sites named (none: every site), from start_day to end_day. */
  ask: (findingId: string, input: { site_ids: string[]; start_day: string; end_day: string }) =>
    api.post<{ asks: FindingAsk[] }>(`/v1/research/findings/${id(findingId)}/asks`, input),
  stopAsking: (askId: string) => api.delete(`/v1/research/finding-asks/${id(askId)}`),
};

/** The statement in lang, or the other one when it is empty. */
export function statementIn(f: Pick<Finding, 'statement_en' | 'statement_es'>, lang: string): string {
  return (lang === 'es' ? f.statement_es || f.statement_en : f.statement_en || f.statement_es) ?? '';
}

/**
 * The community disagrees at a site when more people disagreed than agreed
 * among at least min_cell answers: the rule that flags a finding for another
 * look (store.CommunityDisagrees). Hidden counts never say so.
 */
export function communityDisagrees(c: CheckCount, minCell: number): boolean {
  if (c.agree === null || c.disagree === null || c.answers === null) return false;
  return c.answers >= minCell && c.disagree > c.agree;
}
