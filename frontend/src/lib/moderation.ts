/**
 * Typed calls for the staff's work on what participants said: the queue of
 * free text to moderate, the alerts inbox, the needs and strengths the kiosk
 * offers, and the watched words that raise an alert. Shapes follow the Go
 * handlers in api/moderation.go, api/categories.go and api/organization.go.
 */
import { api } from './api';

/** Where a participant's text stands; only "approved" and "redacted" text ever leaves the staff role. */
export type TextState = 'pending' | 'approved' | 'redacted' | 'rejected';
export const textStates: readonly TextState[] = ['pending', 'approved', 'redacted', 'rejected'];

/** One participant's free text, already scrubbed of personal identifiers ("[removed]"). */
export interface FeedbackText {
  id: string;
  site_id: string;
  /** YYYY-MM-DD: the day it was given, never a finer time. */
  day: string;
  body: string;
  /** The participant agreed it may be quoted without a name. */
  may_quote: boolean;
  state: TextState;
  moderated_by: string | null;
  /** YYYY-MM-DD, or null while pending. */
  moderated_on: string | null;
  /** A comment from a live meeting: the comment round it answers. */
  live_round_id?: string;
  /** The meeting a comment was made in. */
  live?: { session_id: string; title: string };
}

export type Decision = { decision: 'approve' } | { decision: 'reject' } | { decision: 'redact'; body: string };

/** An alert about a participant's words: where and when, and which watched words, never the words themselves. */
export interface Alert {
  id: string;
  site_id: string | null;
  day: string;
  kind: 'urgent_words' | (string & {});
  matched: string[];
  feedback_text_id: string | null;
}

export type CategoryKind = 'need' | 'strength';
export const categoryKinds: readonly CategoryKind[] = ['need', 'strength'];

/** A label in each language Chorus speaks. */
export interface Labels {
  en: string;
  es: string;
}

/** A need or strength the kiosk may offer. Its code never changes: stored answers refer to it. */
export interface Category {
  id: string;
  kind: CategoryKind;
  code: string;
  icon: string;
  label: Labels;
  position: number;
  /** Offered on the kiosk; a retired one keeps old answers valid. */
  active: boolean;
}

export interface CategoryInput {
  kind: CategoryKind;
  code: string;
  icon: string;
  label: Labels;
}

export type CategoryChange = Partial<Pick<Category, 'icon' | 'active' | 'position'> & { label: Labels }>;

const id = (value: string) => encodeURIComponent(value);

export const moderationApi = {
  texts: async (state: TextState) =>
    (await api.get<{ texts: FeedbackText[] }>('/v1/feedback/texts', { query: { state } })).texts,
  /** One text in whatever state it is: the one an alert was raised for. */
  text: (textId: string) => api.get<FeedbackText>(`/v1/feedback/texts/${id(textId)}`),
  moderate: (textId: string, decision: Decision) =>
    api.post<FeedbackText>(`/v1/feedback/texts/${id(textId)}/moderate`, decision),

  alerts: async () => (await api.get<{ alerts: Alert[] }>('/v1/alerts')).alerts,

  categories: async (kind: CategoryKind) =>
    (await api.get<{ categories: Category[] }>('/v1/categories', { query: { kind } })).categories,
  createCategory: (input: CategoryInput) => api.post<Category>('/v1/categories', input),
  updateCategory: (categoryId: string, change: CategoryChange) =>
    api.patch<Category>(`/v1/categories/${id(categoryId)}`, change),

  urgentWords: async () => (await api.get<{ urgent_words: string[] | null }>('/v1/organization')).urgent_words ?? [],
  setUrgentWords: async (urgent_words: string[]) =>
    (await api.patch<{ urgent_words: string[] | null }>('/v1/organization', { urgent_words })).urgent_words ?? [],
};
