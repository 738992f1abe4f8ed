/**
 * What a proposal's "Read aloud" button reads: Chorus's fixed words and the
 * program's published text (title, description, updates), in one language.
 * A proposal on these pages never carries anything a participant typed.
 */
import type { KioskKey, Lang } from '../../lib/i18n';
import { formatDay, textIn, type PublicProposal } from '../../lib/proposals';
import { publicStatusWords } from '../../lib/proposals-words';

export type Translate = (key: KioskKey, lang: Lang, params?: Record<string, string | number>) => string;

/** The lines to read for one proposal, in order. */
export function proposalLines(p: Pick<PublicProposal, 'title' | 'description' | 'status' | 'updates'>, lang: Lang, t: Translate) {
  const status = (s: PublicProposal['status']) => t(publicStatusWords[s] as KioskKey, lang);
  const texts = [
    textIn(p.title, lang),
    status(p.status),
    textIn(p.description, lang),
    ...(p.updates.length > 0 ? [t('kiosk.proposal.updates', lang)] : []),
    ...p.updates.flatMap((u) => [
      t('kiosk.proposal.update', lang, { day: formatDay(u.day, lang, 'long'), status: status(u.status) }),
      textIn(u.body, lang),
    ]),
  ];
  return texts.filter((text) => text.trim() !== '').map((text) => ({ text, lang }));
}
