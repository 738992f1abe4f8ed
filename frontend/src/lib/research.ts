/**
 * Typed calls for the research loop: codebooks, the coding workspace, blind
 * double coding, agreement and reconciliation. Shapes follow the Go handlers
 * in api/research_*.go.
 */
import { api } from './api';
import type { Labels } from './moderation';

export interface Code {
  id: string;
  codebook_id: string;
  position: number;
  version: number;
  version_id: string;
  parent_id: string | null;
  name: Partial<Labels>;
  definition: Partial<Labels>;
  inclusion: Partial<Labels>;
  exclusion: Partial<Labels>;
  example: Partial<Labels>;
  colour: string;
}

export type TranscriptUpload = { site_id: string; day: string; title: string } & ({ text: string } | { docx: string });

/** The largest .docx the server reads (internal/research/docx.MaxFile). */
export const maxDocxBytes = 700 * 1024;

/** Whether a chosen file is a Word document, read on the server. */
export function isDocx(file: { name: string }): boolean {
  return file.name.toLowerCase().endsWith('.docx');
}

/** Base64 of a file's bytes, in chunks so a large file does not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** A count as the server shows it: null when hidden to protect people (too few). */
export type CountCell = number | null;

/** One code's excerpts (one id), or a pair's holding both (two ids), by month. */
export interface CodeSeries {
  code_ids: string[];
  total: CountCell;
  months: CountCell[];
  sites: { site_id: string; total: CountCell; months: CountCell[] }[];
}

/** GET /research/counts: code frequencies and co-occurrences by month and site. */
export interface CodeCounts {
  min_cell: number;
  suppressed: boolean;
  /** First days of the months counted (YYYY-MM-01). */
  months: string[];
  codes: CodeSeries[];
  pairs: CodeSeries[];
}

/** The most codes whose pairs are counted at once (report.MaxPairCodes). */
export const maxPairCodes = 8;

/** A series' months and total at one site, or for every site when siteId is empty. */
export function seriesAt(s: CodeSeries, siteId: string): { total: CountCell; months: CountCell[] } {
  if (!siteId) return { total: s.total, months: s.months };
  const at = s.sites.find((x) => x.site_id === siteId);
  return at ? { total: at.total, months: at.months } : { total: null, months: s.months.map(() => null) };
}

/** A code as one version of its codebook holds it. */
export interface CodeState {
  code_id: string;
  version: number;
  parent_id: string | null;
  name: Partial<Labels>;
  definition: Partial<Labels>;
  inclusion: Partial<Labels>;
  exclusion: Partial<Labels>;
  example: Partial<Labels>;
  colour: string;
}

/** One version of a codebook: the changes made together. */
export interface CodebookVersion {
  number: number;
  at: string;
  changes: { code_id: string; kind: 'added' | 'edited' | 'removed'; version: number; name: Partial<Labels> }[];
}

/** What changed from one version of a codebook to another. */
export interface CodebookDiff {
  from: number;
  to: number;
  latest: number;
  added: CodeState[];
  removed: CodeState[];
  changed: { before: CodeState; after: CodeState; fields: string[] }[];
}

export interface Codebook {
  id: string;
  name: Partial<Labels>;
  codes: Code[];
}

export type ExcerptKind = 'kiosk' | 'comment' | 'transcript' | 'notes';

export interface Excerpt {
  id: string;
  site_id: string;
  /** YYYY-MM-DD: a text keeps its day, nothing finer. */
  day: string;
  kind: ExcerptKind;
  title: string;
  /** The whole text on one excerpt; a preview in a list. */
  text: string;
  assigned: boolean;
  sample: boolean;
  submitted: boolean;
}

export interface Coding {
  id: string;
  excerpt_id: string;
  code_id: string;
  code_version_id: string;
  coder_id: string;
  coder_email: string;
  version: number;
  /** Code points into the text; both null for the whole text. */
  span_start: number | null;
  span_end: number | null;
}

export interface Memo {
  id: string;
  excerpt_id: string | null;
  code_id: string | null;
  body: string;
  created_at: string;
}

export interface ExcerptDetail extends Excerpt {
  codings: Coding[];
  /** True while others' codes are hidden: an overlap sample not everyone has submitted. */
  blind: boolean;
  memos: Memo[];
}

export interface ExcerptFilter {
  site?: string;
  kind?: ExcerptKind;
  code?: string;
  q?: string;
  from?: string;
  to?: string;
  assigned?: '1';
  limit?: number;
  offset?: number;
}

export interface Coder {
  id: string;
  email: string;
  display_name: string;
}

export interface Sample {
  id: string;
  share_percent: number;
  seed: number;
  coders: Coder[];
  excerpts: number;
  submitted: number;
}

export interface Statistic {
  value: number | null;
  reason?: 'too_few_values' | 'no_variation' | 'invalid';
}

export interface CodeAgreement {
  code_id?: string;
  name?: Partial<Labels>;
  percent: Statistic;
  alpha: Statistic;
  pairs: { a: string; b: string; units: number; kappa: Statistic }[];
  disagreements: number;
}

export interface Disagreement {
  excerpt_id: string;
  code_id: string;
  /** The excerpt's text, to read beside the coders' answers. */
  text: string;
  /** Coder id → whether they applied the code. */
  present: Record<string, boolean>;
  agreed: boolean | null;
  agreed_by: string | null;
  agreed_on: string | null;
}

export interface AgreementTable {
  sample: Sample;
  overall: CodeAgreement;
  codes: CodeAgreement[];
  disagreements: Disagreement[];
}

const id = (value: string) => encodeURIComponent(value);

/** Where a codebook downloads as a REFI-QDA .qdc, and the whole project as a .qdpx. */
export const qdcHref = (codebookId: string, lang: string) => `/api/v1/research/codebooks/${id(codebookId)}/qdc?lang=${lang}`;
export const qdpxHref = (lang: string) => `/api/v1/research/export/qdpx?lang=${lang}`;

export const researchApi = {
  access: () => api.get<{ coder: boolean; manages: boolean }>('/v1/research/access'),
  coders: async () => (await api.get<{ coders: Coder[] }>('/v1/research/coders')).coders,
  setCoder: (userId: string, coder: boolean) => api.put(`/v1/research/coders/${id(userId)}`, { coder }),

  codebooks: async () => (await api.get<{ codebooks: Codebook[] }>('/v1/research/codebooks')).codebooks,

  excerpts: (filter: ExcerptFilter) =>
    api.get<{ excerpts: Excerpt[]; total: number }>('/v1/research/excerpts', { query: { ...filter } }),
  excerpt: (excerptId: string) => api.get<ExcerptDetail>(`/v1/research/excerpts/${id(excerptId)}`),
  code: (excerptId: string, codeId: string, span?: { start: number; end: number }) =>
    api.post<Coding>(`/v1/research/excerpts/${id(excerptId)}/codings`, { code_id: codeId, ...span }),
  uncode: (codingId: string) => api.delete(`/v1/research/codings/${id(codingId)}`),
  submit: (excerptId: string) => api.post(`/v1/research/excerpts/${id(excerptId)}/submit`),
  memo: (excerptId: string, body: string) => api.post<Memo>('/v1/research/memos', { excerpt_id: excerptId, body }),

  /** A transcript as text (or Markdown), or as a Word file in base64 (docx). */
  importTranscript: (input: TranscriptUpload) =>
    api.post<{ excerpt: Excerpt; removed: number }>('/v1/research/transcripts', input),

  /** Imports a .qdc (or a .qdpx's codebook) as a new codebook. */
  importCodebook: (file: Blob, name: string, lang: string) =>
    api.post<{ id: string }>('/v1/research/codebooks/import', file, { query: { name, lang } }),

  codebookVersions: async (codebookId: string) =>
    (await api.get<{ versions: CodebookVersion[] }>(`/v1/research/codebooks/${id(codebookId)}/versions`)).versions,
  codebookDiff: (codebookId: string, from: number, to: number) =>
    api.get<CodebookDiff>(`/v1/research/codebooks/${id(codebookId)}/diff`, { query: { from, to } }),

  /** Code counts by month (and each pair's co-occurrences); from and to are YYYY-MM or empty. */
  codeCounts: (codeIds: string[], range: { from: string; to: string }) =>
    api.get<CodeCounts>('/v1/research/counts', {
      query: { code_ids: codeIds.join(','), pairs: 1, from: range.from || undefined, to: range.to || undefined },
    }),

  samples: async () => (await api.get<{ samples: Sample[] }>('/v1/research/samples')).samples,
  drawSample: (input: { share_percent: number; seed: number; coder_ids: string[] }) =>
    api.post<Sample>('/v1/research/samples', input),
  agreement: (sampleId: string) => api.get<AgreementTable>(`/v1/research/samples/${id(sampleId)}/agreement`),
  reconcile: (sampleId: string, input: { excerpt_id: string; code_id: string; present: boolean }) =>
    api.post(`/v1/research/samples/${id(sampleId)}/reconcile`, input),
};

/** Code points of text before the UTF-16 offset (what a textarea's selection gives). */
export function codePointOffset(text: string, utf16: number): number {
  return Array.from(text.slice(0, utf16)).length;
}

/** The text of a span given in code points. */
export function spanText(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

/** Codes in reading order: each theme followed by its subcodes, with their depth. */
export function codeTree(codes: readonly Code[]): { code: Code; depth: number }[] {
  const children = new Map<string | null, Code[]>();
  for (const code of codes) {
    const parent = code.parent_id && codes.some((c) => c.id === code.parent_id) ? code.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), code]);
  }
  const out: { code: Code; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const code of children.get(parent) ?? []) {
      out.push({ code, depth });
      walk(code.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** A statistic to three decimals, or a dash when it is undefined. */
export function formatStatistic(s: Statistic): string {
  return s.value === null ? '—' : s.value.toFixed(3);
}

/** A label in the reader's language, else in English, else in Spanish. */
export function inLang(labels: Partial<Labels> | undefined, lang: string): string {
  return labels?.[lang as keyof Labels] || labels?.en || labels?.es || '';
}

/** Lower case without accents, so "estigma percibido" finds "Estigma percibído" and "Stigma" finds "stigma". */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The codes of a tree (codeTree) that a search term finds, in the reader's
 * language: a code whose name, definition, inclusion, exclusion or example
 * holds the term, with the themes above it (so it keeps its place) and the
 * codes below it (a theme found shows all of it). A blank term keeps all.
 */
export function filterCodeTree<T extends { code: Code; depth: number }>(tree: readonly T[], term: string, lang: string): T[] {
  const want = folded(term.trim());
  if (!want) return [...tree];
  const byId = new Map(tree.map((t) => [t.code.id, t.code]));
  const parentOf = (c: Code) => (c.parent_id ? byId.get(c.parent_id) : undefined);
  const fields = (c: Code) => [c.name, c.definition, c.inclusion, c.exclusion, c.example].map((l) => inLang(l, lang));
  const found = new Set(tree.filter(({ code }) => fields(code).some((f) => folded(f).includes(want))).map(({ code }) => code.id));
  const keep = new Set<string>();
  for (const { code } of tree) {
    for (let c: Code | undefined = code; c; c = parentOf(c)) {
      if (found.has(c.id)) {
        // Found itself or under a found theme: keep it and every theme above it.
        for (let up: Code | undefined = code; up; up = parentOf(up)) keep.add(up.id);
        break;
      }
    }
  }
  return tree.filter(({ code }) => keep.has(code.id));
}
