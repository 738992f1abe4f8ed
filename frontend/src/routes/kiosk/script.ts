/**
 * What the speaker button reads on each screen: its question, its hint and
 * its options, all fixed words from the dictionaries and the organization's
 * configuration. It is given the codes a participant chose (so the review
 * can name them), never anything they typed: there is no way for their
 * words to reach the speech engine from here.
 */
import type { KioskKey, Lang } from '../../lib/i18n';
import { pick, type Category, type KioskConfig, type Resource } from '../../lib/kiosk-api';
import { answers, type KioskProposal } from '../../lib/proposals';
import { answerWords } from '../../lib/proposals-words';
import type { MemberCheckQuestion } from '../../lib/kiosk-api';
import { aboutQuestion, statementIn, type Step } from './answers';

/** The participant's choices by code only: no free text, no note. */
export interface Choices {
  needs: readonly string[];
  priorities: readonly string[];
  strengths: readonly string[];
  about: Readonly<Record<string, string | null>>;
}

export type Translate = (key: KioskKey, lang: Lang, params?: Record<string, string | number>) => string;

export interface ScriptContext {
  config: KioskConfig;
  lang: Lang;
  /** The languages offered on the first screen, each read in its own language. */
  languages: readonly Lang[];
  t: Translate;
  /** Labels for an answer band, e.g. ("housing", "stable") → "I have a stable place". */
  band(question: string, code: string, lang: Lang): string;
  /** The open proposals the thank-you screen asks about: the program's own published words. */
  proposals?: readonly KioskProposal[];
  /** The finding the member-check screen asks about: the program's own words, like a proposal's. */
  memberCheck?: MemberCheckQuestion | null;
}

export interface Line {
  text: string;
  lang: Lang;
}

/** The lines to read for step, in order. */
export function script(step: Step, choices: Choices, ctx: ScriptContext): Line[] {
  const { config, lang, t } = ctx;
  const say = (...texts: string[]): Line[] => texts.filter(Boolean).map((text) => ({ text, lang }));
  const labels = (categories: readonly Category[], codes?: readonly string[]) =>
    categories.filter((c) => !codes || codes.includes(c.code)).map((c) => pick(c.label, lang, c.code));
  const ordered = (codes: readonly string[]) =>
    codes.map((code) => pick(config.needs.find((n) => n.code === code)?.label, lang, code));

  const question = aboutQuestion(step);
  if (question !== undefined) {
    const bands = config.about[question] ?? [];
    return say(
      t(`kiosk.about.${question}` as KioskKey, lang),
      t('kiosk.about.hint', lang),
      ...bands.map((code) => ctx.band(question, code, lang)),
      t('kiosk.about.preferNot', lang),
    );
  }
  switch (step) {
    case 'language':
      return ctx.languages.flatMap((l) => [
        { text: t('kiosk.start.title', l), lang: l },
        { text: t('kiosk.start.body', l), lang: l },
        { text: t('kiosk.start.language', l), lang: l },
      ]);
    case 'needs':
      return say(t('kiosk.needs.title', lang), t('kiosk.needs.hint', lang), ...labels(config.needs));
    case 'priorities':
      return say(t('kiosk.priorities.title', lang), t('kiosk.priorities.hint', lang), ...labels(config.needs, choices.needs));
    case 'strengths':
      return say(
        t('kiosk.strengths.title', lang),
        t('kiosk.strengths.hint', lang),
        ...labels(config.strengths),
        t('kiosk.strengths.other', lang),
      );
    case 'text':
      return say(
        t('kiosk.text.title', lang),
        t('kiosk.text.hint', lang),
        t('kiosk.quote.question', lang),
        t('kiosk.quote.yes', lang),
        t('kiosk.quote.no', lang),
        t('kiosk.quote.note', lang),
      );
    case 'review':
      return say(
        t('kiosk.review.title', lang),
        t('kiosk.review.hint', lang),
        ...(choices.needs.length ? [t('kiosk.review.needs', lang), ...labels(config.needs, choices.needs)] : []),
        ...(choices.priorities.length ? [t('kiosk.review.priorities', lang), ...ordered(choices.priorities)] : []),
        ...(choices.strengths.length
          ? [t('kiosk.review.strengths', lang), ...labels(config.strengths, choices.strengths)]
          : []),
      );
    case 'check':
      return say(
        t('kiosk.check.title', lang),
        t('kiosk.check.hint', lang),
        ctx.memberCheck ? statementIn(ctx.memberCheck, lang) : '',
        t('kiosk.check.agree', lang),
        t('kiosk.check.disagree', lang),
        t('kiosk.check.unsure', lang),
      );
    case 'thanks':
      return say(
        t('kiosk.thanks.title', lang),
        t('kiosk.thanks.body', lang),
        t('kiosk.thanks.receipt.hint', lang),
        ...supportLines(ctx.proposals ?? [], lang, t),
        t('kiosk.help.open', lang),
        ...helpLines(config.resources, lang),
      );
    default:
      return [];
  }
}

/** "Do you support this?", then each proposal's title and description and the three answers. */
export function supportLines(proposals: readonly KioskProposal[], lang: Lang, t: Translate): string[] {
  if (proposals.length === 0) return [];
  return [
    t('kiosk.support.title', lang),
    t('kiosk.support.hint', lang),
    ...proposals.flatMap((p) => [
      pick(p.title, lang),
      pick(p.description, lang),
      ...answers.map((a) => t(answerWords[a].key as KioskKey, lang)),
    ]),
  ];
}

/** The "Need help now?" panel's lines. */
export function helpLines(resources: readonly Resource[], lang: Lang): string[] {
  return resources.flatMap((r) => [pick(r.label, lang), pick(r.detail, lang)]).filter(Boolean);
}
