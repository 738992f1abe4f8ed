/** A facilitator's notes on a live meeting (docs/research.md, "Sources"): scrubbed before they are stored, then a text for coders. */
import { api } from './api';

export interface SessionNotes {
  session_id: string;
  /** The notes' text in the coding workspace; null while there are none. */
  excerpt_id: string | null;
  site_id: string;
  /** YYYY-MM-DD: the day the meeting began at its site. */
  day: string;
  title: string;
  /** As stored: phone numbers, e-mail addresses and the like already taken out. */
  text: string;
  /** A coder has coded the notes (or submitted them): they can no longer change. */
  locked: boolean;
}

/** The longest notes, in characters (code points), as the server counts them. */
export const maxNotesLength = 20000;

/** How long a text is in characters as the server counts them (code points, not UTF-16 units). */
export function notesLength(text: string): number {
  return Array.from(text).length;
}

const id = encodeURIComponent;

export const notesApi = {
  get: (sessionId: string) => api.get<SessionNotes>(`/v1/sessions/${id(sessionId)}/notes`),
  /** Replaces the notes; blank text removes them. */
  save: (sessionId: string, text: string) =>
    api.put<{ notes: SessionNotes; removed: number }>(`/v1/sessions/${id(sessionId)}/notes`, { text }),
};
