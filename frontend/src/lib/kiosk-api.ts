/**
 * Typed calls for the kiosk tablet's participant flow, each with the
 * tablet's device token: its configuration, the board of outcomes, and
 * the outbox's submissions, sent as a batch (each item keeps its own
 * idempotency key, so a resend is answered 200 and stores nothing new). Shapes follow the Go
 * handlers in api/kiosks.go and api/submissions.go.
 */
import { api } from './api';
import type { Site } from './access';

/** A label in each language the organization wrote it in, e.g. {"en": "Food", "es": "Comida"}. */
export type Text = Record<string, string>;

/** A need or strength a participant can choose: a stable code, an icon name and its labels. */
export interface Category {
  code: string;
  icon: string;
  label: Text;
}

/** A "Need help now?" entry. */
export interface Resource {
  label: Text;
  detail: Text;
  phone?: string;
}

/** GET /api/v1/kiosk/config: everything the kiosk caches to work offline. */
export interface KioskConfig {
  site: Site;
  kiosk: { id: string; name: string };
  languages: string[];
  needs: Category[];
  strengths: Category[];
  /** Each optional question about the participant, with its answer band codes. */
  about: Record<string, string[]>;
  /** about's keys, in the order the kiosk asks them. */
  about_questions: string[];
  resources: Resource[];
  /** The finding this site's kiosks ask about after a participant's own feedback (member checking); null when none. */
  member_check?: MemberCheckQuestion | null;
}

/** A finding put back to the community: "Did we get this right?", asked from start_day to end_day (YYYY-MM-DD). */
export interface MemberCheckQuestion {
  finding_id: string;
  statement_en: string;
  statement_es: string;
  start_day: string;
  end_day: string;
}

export type MemberCheckAnswer = 'agree' | 'disagree' | 'unsure';

/** One participant's answers, as POST /api/v1/kiosk/submissions takes them. */
export interface Submission {
  language: string;
  needs: string[];
  /** At most 3, each among needs, most important first. */
  priorities: string[];
  strengths: string[];
  text?: string;
  may_quote?: boolean;
  about?: Record<string, string>;
  /** The code shown on the thank-you screen, as XXX-XXX; the server keeps only its hash. */
  receipt?: string;
  /** The answer to the kiosk's member-check question, when they gave one. */
  member_check?: { finding_id: string; answer: MemberCheckAnswer };
}

export interface BatchItem {
  idempotency_key: string;
  submission: Submission;
}

/** One item's answer in a batch: 201 new, 200 already stored, or the error that refused it. */
export interface BatchResult {
  idempotency_key: string;
  status: number;
  id?: string;
  error?: { code: string; message: string; fields?: Record<string, string> };
}

export type OutcomeStatus = 'accepted' | 'in_progress' | 'done' | 'declined';

/** A published proposal outcome: "what changed because people spoke up". */
export interface Outcome {
  id: string;
  title: Text;
  status: OutcomeStatus;
  update?: { body: Text; day: string } | null;
}

/** The most items one batch may carry (api.MaxBatch). */
export const maxBatch = 100;

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

export const participantApi = {
  config: (token: string) => api.get<KioskConfig>('/v1/kiosk/config', bearer(token)),
  board: async (token: string) => (await api.get<{ outcomes: Outcome[] | null }>('/v1/kiosk/board', bearer(token))).outcomes ?? [],
  submitBatch: async (token: string, items: BatchItem[]) =>
    (await api.post<{ results: BatchResult[] }>('/v1/kiosk/submissions:batch', { items }, bearer(token))).results,
};

/** A label in lang, else in English, else any language it has, else the fallback. */
export function pick(text: Text | undefined, lang: string, fallback = ''): string {
  if (!text) return fallback;
  return text[lang] || text.en || Object.values(text).find(Boolean) || fallback;
}
