/**
 * One participant's answers while they move through the kiosk, and the
 * order of its screens. Pure functions: the flow keeps an Answers object in
 * memory only and throws it away on every reset.
 */
import type { MemberCheckAnswer, MemberCheckQuestion, Submission } from '../../lib/kiosk-api';

export const maxText = 1000;
export const maxPriorities = 3;
/** The "something else you do" note on the strengths screen. */
export const maxNote = 100;

export interface Answers {
  needs: string[];
  /** At most maxPriorities, each among needs, most important first. */
  priorities: string[];
  strengths: string[];
  /** "Something else you do": not a category; it joins the free text (see composeText). */
  note: string;
  text: string;
  /** The answer to "May we share your words…?"; null until they answer. */
  mayQuote: boolean | null;
  /** Question → band code; null when they chose "Prefer not to say". */
  about: Record<string, string | null>;
  /** The answer to "Did we get this right?" about the finding the kiosk asks; null when skipped. */
  check: MemberCheckAnswer | null;
}

export function emptyAnswers(): Answers {
  return { needs: [], priorities: [], strengths: [], note: '', text: '', mayQuote: null, about: {}, check: null };
}

/** Reports whether anything was answered, so an idle kiosk knows there is something to discard. */
export function hasAnswers(a: Answers): boolean {
  return (
    a.needs.length > 0 ||
    a.strengths.length > 0 ||
    a.note !== '' ||
    a.text !== '' ||
    a.mayQuote !== null ||
    a.check !== null ||
    Object.keys(a.about).length > 0
  );
}

/** Adds code to list, or takes it out if it is there. */
export function toggle(list: readonly string[], code: string): string[] {
  return list.includes(code) ? list.filter((c) => c !== code) : [...list, code];
}

/** Chooses or unchooses a need; a need taken out leaves the priorities too. */
export function toggleNeed(a: Answers, code: string): Pick<Answers, 'needs' | 'priorities'> {
  const needs = toggle(a.needs, code);
  return { needs, priorities: a.priorities.filter((p) => needs.includes(p)) };
}

/** Puts code next in the order, or takes it out (the ones after it move up); a fourth is ignored. */
export function rank(priorities: readonly string[], code: string): string[] {
  if (priorities.includes(code)) return priorities.filter((c) => c !== code);
  return priorities.length >= maxPriorities ? [...priorities] : [...priorities, code];
}

/** How the note joins the free text: "Something else I do: …" on its own paragraph, after the text. */
export function noteParagraph(note: string, prefix: string): string {
  const trimmed = note.trim();
  return trimmed ? `${prefix} ${trimmed}` : '';
}

const separator = '\n\n';

/** The free text as sent: the participant's words, then the note's paragraph; never over maxText. */
export function composeText(text: string, note: string, prefix: string): string {
  const words = text.trim();
  const paragraph = noteParagraph(note, prefix);
  const joined = words && paragraph ? words + separator + paragraph : words || paragraph;
  return joined.slice(0, maxText);
}

/** The most the text box may hold, leaving room for the note's paragraph. */
export function textLimit(note: string, prefix: string): number {
  const paragraph = noteParagraph(note, prefix);
  return paragraph ? Math.max(0, maxText - paragraph.length - separator.length) : maxText;
}

/** The most the note may hold, leaving room for the text already written. */
export function noteLimit(text: string, prefix: string): number {
  const words = text.trim();
  if (!words) return Math.min(maxNote, maxText - prefix.length - 1);
  return Math.max(0, Math.min(maxNote, maxText - words.length - separator.length - prefix.length - 1));
}

/** The request body for these answers; empty optional parts are left out. */
export function toSubmission(a: Answers, language: string, receipt: string, notePrefix: string, check?: MemberCheckQuestion | null): Submission {
  const submission: Submission = {
    language,
    needs: [...a.needs],
    priorities: a.priorities.filter((p) => a.needs.includes(p)).slice(0, maxPriorities),
    strengths: [...a.strengths],
  };
  const text = composeText(a.text, a.note, notePrefix);
  if (text) {
    submission.text = text;
    if (a.mayQuote !== null) submission.may_quote = a.mayQuote;
  }
  const about = Object.fromEntries(
    Object.entries(a.about).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  if (Object.keys(about).length > 0) submission.about = about;
  submission.receipt = receipt;
  if (check && a.check) submission.member_check = { finding_id: check.finding_id, answer: a.check };
  return submission;
}

/** A screen of the flow; each optional question about the participant is its own screen, "about:age_band"… */
export type Step = 'language' | 'needs' | 'priorities' | 'strengths' | 'text' | `about:${string}` | 'review' | 'check' | 'thanks';

/**
 * The screens from language to review, in order; priorities only when some
 * needs were chosen. The progress shown counts priorities always
 * (withPriorities), so "Step 4 of 10" does not change under a participant
 * who goes back and changes their needs. withCheck adds the member-check
 * question after the review: it comes after the participant's own feedback.
 */
export function stepsFor(a: Pick<Answers, 'needs'>, aboutQuestions: readonly string[], withPriorities = false, withCheck = false): Step[] {
  return [
    'language',
    'needs',
    ...(withPriorities || a.needs.length > 0 ? (['priorities'] as const) : []),
    'strengths',
    'text',
    ...aboutQuestions.map((q): Step => `about:${q}`),
    'review',
    ...(withCheck ? (['check'] as const) : []),
  ];
}

/** The member-check question when today (the tablet's date, YYYY-MM-DD) is in its period, else null. */
export function activeCheck(q: MemberCheckQuestion | null | undefined, today: string): MemberCheckQuestion | null {
  return q && q.start_day <= today && today <= q.end_day ? q : null;
}

/** A date's day as YYYY-MM-DD in the tablet's own time zone. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The finding's statement in lang (Spanish or English). */
export function statementIn(q: MemberCheckQuestion, lang: string): string {
  return lang === 'es' ? q.statement_es : q.statement_en;
}

/** The question an "about:…" step asks, or undefined for any other step. */
export function aboutQuestion(step: Step): string | undefined {
  return step.startsWith('about:') ? step.slice('about:'.length) : undefined;
}

/** The step after current (review is followed by thanks), or the one before it (language has none). */
export function neighbour(steps: readonly Step[], current: Step, direction: 1 | -1): Step | undefined {
  const index = steps.indexOf(current);
  if (index < 0) return undefined;
  if (direction === 1 && index === steps.length - 1) return 'thanks';
  return steps[index + direction];
}
