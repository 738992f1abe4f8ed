/** The words for a proposal's status, origin and support answers, for staff pages and for participants' pages. */
import type { MessageKey } from './i18n';
import type { Answer, Count, Origin, ProposalStatus } from './proposals';

/** Each status as staff read it. */
export const statusWords: Record<ProposalStatus, MessageKey> = {
  draft: 'staff.proposals.status.draft',
  open: 'staff.proposals.status.open',
  under_review: 'staff.proposals.status.under_review',
  accepted: 'staff.proposals.status.accepted',
  in_progress: 'staff.proposals.status.in_progress',
  done: 'staff.proposals.status.done',
  declined: 'staff.proposals.status.declined',
};

/** Each origin as staff read it. */
export const originWords: Record<Origin, MessageKey> = {
  participants: 'staff.proposals.origin.participants',
  peer_facilitator: 'staff.proposals.origin.peer_facilitator',
  staff: 'staff.proposals.origin.staff',
  policymaker: 'staff.proposals.origin.policymaker',
};

/** Each status as participants read it (kiosk and public board): plain words. */
export const publicStatusWords: Record<ProposalStatus, MessageKey> = {
  draft: 'kiosk.proposal.status.open',
  open: 'kiosk.proposal.status.open',
  under_review: 'kiosk.proposal.status.under_review',
  accepted: 'kiosk.status.accepted',
  in_progress: 'kiosk.status.in_progress',
  done: 'kiosk.status.done',
  declined: 'kiosk.status.declined',
};

/** The icon beside a status on participants' pages: the words say it; the icon only repeats it. */
export const statusIcons: Record<ProposalStatus, string> = {
  draft: 'chat',
  open: 'chat',
  under_review: 'people',
  accepted: 'check',
  in_progress: 'clock',
  done: 'star',
  declined: 'close',
};

/** "Do you support this?" answers, each with its icon. */
export const answerWords: Record<Answer, { key: MessageKey; icon: string }> = {
  agree: { key: 'kiosk.support.agree', icon: 'check' },
  disagree: { key: 'kiosk.support.disagree', icon: 'close' },
  unsure: { key: 'kiosk.support.unsure', icon: 'unknown' },
};

/** A support count as staff read it: the number, or "fewer than k" when it was kept back. */
export function countWords(count: Count, minCell: number, tr: (key: MessageKey, params?: Record<string, string | number>) => string): string {
  return count === null ? tr('staff.proposals.support.fewer', { k: minCell }) : String(count);
}
