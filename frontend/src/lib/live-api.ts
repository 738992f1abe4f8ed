/** The facilitator's calls for live meetings (docs/live-protocol.md, "Facilitator endpoints"). */
import { api } from './api';
import type { LiveSession, Round, RoundKind, Tally } from './live';

export interface SessionRecord extends LiveSession {
  site_id: string;
  created_at: string;
  ended_at: string | null;
}

/** A round with the facilitator's view of its tally (counts always there); shown says whether the room sees them. */
export interface FacilitatorRound extends Round {
  seq: number;
  tally: Tally;
  shown: boolean;
  /** A comment round's comments: how many came in, and how many staff approved (never their text). */
  comments?: { received: number; approved: number };
  /** A comment round's approved comments, once the console's socket sent them. */
  approved?: string[];
}

export interface SessionDetail {
  session: SessionRecord;
  rounds: FacilitatorRound[];
  min_voters: number;
}

export interface RoundInput {
  kind: RoundKind;
  /** Left out of a member check, whose prompt is the finding's statement. */
  prompt?: string;
  options: string[];
  max_rank?: number;
  dots?: number;
  /** The proposal this question is about; answers to an agree question count as support for it. */
  proposal_id?: string;
  /** Makes an agree question a member check of this finding; the prompt is then left out (the finding's statement). */
  finding_id?: string;
}

const id = encodeURIComponent;

export const liveApi = {
  sessions: async () => (await api.get<{ sessions: SessionRecord[] }>('/v1/sessions')).sessions,
  session: (sessionId: string) => api.get<SessionDetail>(`/v1/sessions/${id(sessionId)}`),
  create: (site_id: string, title: string, language: string) =>
    api.post<SessionRecord>('/v1/sessions', { site_id, title, language }),
  addRound: (sessionId: string, round: RoundInput) => api.post<Round>(`/v1/sessions/${id(sessionId)}/rounds`, round),
  open: (roundId: string) => api.post<FacilitatorRound>(`/v1/rounds/${id(roundId)}/open`, {}),
  close: (roundId: string) => api.post<FacilitatorRound>(`/v1/rounds/${id(roundId)}/close`, {}),
  reveal: (roundId: string) => api.post<FacilitatorRound>(`/v1/rounds/${id(roundId)}/reveal`, {}),
  handCount: (roundId: string, counts: Record<string, number>) =>
    api.post<FacilitatorRound>(`/v1/rounds/${id(roundId)}/hand-count`, { counts }),
  end: (sessionId: string) => api.post<{ session: SessionRecord }>(`/v1/sessions/${id(sessionId)}/end`, {}),
  /** Sets how many people are in the room (null clears it). */
  setRoomSize: (sessionId: string, room_size: number | null) => api.patch<SessionRecord>(`/v1/sessions/${id(sessionId)}`, { room_size }),
  /** Issues a shared-tablet key; it is shown once. */
  addSharedDevice: (sessionId: string) => api.post<{ key: string }>(`/v1/sessions/${id(sessionId)}/shared-devices`, {}),
};
