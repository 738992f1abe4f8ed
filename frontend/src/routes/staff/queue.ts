/** The moderation queue's state filter (kept in the address), its words, and the days shown beside a text. */
import { ApiError } from '../../lib/api';
import type { MessageKey } from '../../lib/i18n';
import type { FeedbackText, TextState } from '../../lib/moderation';

/** The most texts the server lists at once (api/moderation.go). */
export const listLimit = 100;

/**
 * The queue's three tabs. "approved" holds what may leave staff: texts
 * approved as they were and texts approved with words taken out (redacted).
 */
export type Tab = 'pending' | 'approved' | 'rejected';
export const tabs: readonly Tab[] = ['pending', 'approved', 'rejected'];

/** The states each tab lists. */
export const tabStates: Record<Tab, readonly TextState[]> = {
  pending: ['pending'],
  approved: ['approved', 'redacted'],
  rejected: ['rejected'],
};

/** The tab a ?state= query asks for ("redacted" opens the approved tab); the waiting texts when it names none or an unknown one. */
export function tabFrom(search: string): Tab {
  const wanted = new URLSearchParams(search).get('state');
  return tabs.find((tab) => wanted !== null && (tabStates[tab] as readonly string[]).includes(wanted)) ?? 'pending';
}

/** The page's address for a tab; the waiting texts need no query. */
export function hrefFor(tab: Tab): string {
  return tab === 'pending' ? '/staff/moderation' : `/staff/moderation?state=${tab}`;
}

/** The address of one text in the moderation page, whatever its state: where an alert leads. */
export function textHref(id: string): string {
  return `/staff/moderation?text=${encodeURIComponent(id)}`;
}

/** The one text a ?text= query asks for, or null for a tab of the queue. */
export function textFrom(search: string): string | null {
  return new URLSearchParams(search).get('text') || null;
}

/** Texts from several states as one list, oldest day first, as the server orders each. */
export function merge(lists: readonly FeedbackText[][]): FeedbackText[] {
  return lists.flat().sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Each tab's name, the sentence that counts its texts, and what it says when empty. */
export const tabWords: Record<Tab, { tab: MessageKey; count: MessageKey; none: MessageKey }> = {
  pending: { tab: 'staff.moderation.tab.pending', count: 'staff.moderation.count.pending', none: 'staff.moderation.none.pending' },
  approved: { tab: 'staff.moderation.tab.approved', count: 'staff.moderation.count.approved', none: 'staff.moderation.none.approved' },
  rejected: { tab: 'staff.moderation.tab.rejected', count: 'staff.moderation.count.rejected', none: 'staff.moderation.none.rejected' },
};

/** What happened to a moderated text, with the day: "Approved on {day}". */
export const decidedWords: Record<Exclude<TextState, 'pending'>, MessageKey> = {
  approved: 'staff.moderation.decided.approved',
  redacted: 'staff.moderation.decided.redacted',
  rejected: 'staff.moderation.decided.rejected',
};

/**
 * Reports whether err says the text was no longer waiting: someone else
 * moderated it first (the server answers 400 with a reason for "state").
 */
export function alreadyModerated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 400 && Boolean(err.fields.state);
}

/**
 * A calendar day (YYYY-MM-DD) in the reader's language, e.g. "Mar 4, 2025".
 * It is a day, not an instant, so it is formatted in UTC and never shifts by a time zone.
 */
export function formatDay(day: string, lang: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Longest text the server keeps after a redaction (api/moderation.go). */
export const maxBody = 1000;

/** Why a redaction cannot be sent as typed, or undefined when it can. */
export function redactionProblem(original: string, edited: string): MessageKey | undefined {
  const text = edited.trim();
  if (text === '') return 'staff.moderation.redact.empty';
  if ([...text].length > maxBody) return 'staff.moderation.redact.tooLong';
  if (text === original.trim()) return 'staff.moderation.redact.unchanged';
  return undefined;
}
