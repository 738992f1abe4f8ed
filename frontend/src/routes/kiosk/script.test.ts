import { describe, expect, it } from 'vitest';
import type { KioskConfig } from '../../lib/kiosk-api';
import { stepsFor, type Step } from './answers';
import { script, type Choices } from './script';
import { bandLabel, translate } from './words';

const config: KioskConfig = {
  site: { id: 's', name: 'Storefront', kind: 'fixed', setting: 'urban', time_zone: 'America/Chicago' },
  kiosk: { id: 'k', name: 'Tablet' },
  languages: ['en', 'es'],
  needs: [
    { code: 'naloxone', icon: 'naloxone', label: { en: 'Naloxone', es: 'Naloxona' } },
    { code: 'food', icon: 'food', label: { en: 'Food', es: 'Comida' } },
  ],
  strengths: [{ code: 'share_info', icon: 'chat', label: { en: 'I share information', es: 'Comparto información' } }],
  about: { housing: ['stable', 'unstable', 'unhoused'] },
  about_questions: ['housing'],
  resources: [{ label: { en: 'Emergency', es: 'Emergencia' }, detail: { en: 'Call 911.', es: 'Llame al 911.' }, phone: '911' }],
};

const choices: Choices = { needs: ['food', 'naloxone'], priorities: ['naloxone'], strengths: ['share_info'], about: { housing: 'stable' } };
const ctx = (lang: 'en' | 'es') => ({ config, lang, languages: ['en', 'es'] as const, t: translate, band: bandLabel });
const allSteps: Step[] = [...stepsFor({ needs: ['food'] }, config.about_questions), 'thanks'];

describe('what the speaker reads', () => {
  it('has words for every screen, in the chosen language', () => {
    for (const step of allSteps) {
      const lines = script(step, choices, ctx('es'));
      expect(lines.length, step).toBeGreaterThan(1);
      if (step !== 'language') expect(lines.every((line) => line.lang === 'es'), step).toBe(true);
    }
  });

  it('reads the question and the options of a screen', () => {
    const needs = script('needs', choices, ctx('en')).map((l) => l.text);
    expect(needs).toEqual([translate('kiosk.needs.title', 'en'), translate('kiosk.needs.hint', 'en'), 'Naloxone', 'Food']);
    const housing = script('about:housing', choices, ctx('es')).map((l) => l.text);
    expect(housing).toContain('Tengo un lugar estable');
    expect(housing).toContain(translate('kiosk.about.preferNot', 'es'));
  });

  it('reads each language on the first screen in its own language', () => {
    const lines = script('language', choices, ctx('en'));
    expect(lines).toContainEqual({ text: translate('kiosk.start.language', 'es'), lang: 'es' });
    expect(lines).toContainEqual({ text: translate('kiosk.start.language', 'en'), lang: 'en' });
  });

  it('reads only fixed words: every line is a dictionary message or a configured label', () => {
    const fixed = new Set<string>();
    for (const lang of ['en', 'es'] as const) {
      for (const list of [config.needs, config.strengths]) for (const c of list) fixed.add(c.label[lang]!);
      for (const r of config.resources) fixed.add(r.label[lang]!).add(r.detail[lang]!);
      for (const code of config.about.housing!) fixed.add(bandLabel('housing', code, lang));
    }
    const dictionary = import.meta.glob<Record<string, string>>('../../lib/i18n/kiosk/*.json', { eager: true, import: 'default' });
    for (const messages of Object.values(dictionary)) for (const m of Object.values(messages)) fixed.add(m);
    for (const step of allSteps) {
      for (const lang of ['en', 'es'] as const) {
        for (const line of script(step, choices, ctx(lang))) expect(fixed.has(line.text), `${step}: "${line.text}"`).toBe(true);
      }
    }
  });
});

describe('what the speaker reads about open proposals', () => {
  const proposals = [{ id: 'p1', title: { en: 'Evening hours', es: 'Horario de tarde' }, description: { en: 'Open until 8.', es: 'Abrir hasta las 8.' } }];

  it('asks "Do you support this?" on the thank-you screen, with each proposal and the three answers', () => {
    const lines = script('thanks', choices, { ...ctx('es'), proposals }).map((l) => l.text);
    const from = lines.indexOf(translate('kiosk.support.title', 'es'));
    expect(from).toBeGreaterThan(0);
    expect(lines.slice(from + 2, from + 7)).toEqual([
      'Horario de tarde',
      'Abrir hasta las 8.',
      translate('kiosk.support.agree', 'es'),
      translate('kiosk.support.disagree', 'es'),
      translate('kiosk.support.unsure', 'es'),
    ]);
  });

  it('says nothing about support when no proposal is open', () => {
    const lines = script('thanks', choices, ctx('en')).map((l) => l.text);
    expect(lines).not.toContain(translate('kiosk.support.title', 'en'));
  });
});

describe('the member-check screen', () => {
  it('reads the question, the finding in the chosen language and the three answers', () => {
    const memberCheck = { finding_id: 'f', statement_en: 'People look out for each other.', statement_es: 'Las personas se cuidan.', start_day: '2026-12-01', end_day: '2026-12-07' };
    const lines = script('check', choices, { ...ctx('es'), memberCheck }).map((l) => l.text);
    expect(lines).toEqual([
      translate('kiosk.check.title', 'es'),
      translate('kiosk.check.hint', 'es'),
      'Las personas se cuidan.',
      translate('kiosk.check.agree', 'es'),
      translate('kiosk.check.disagree', 'es'),
      translate('kiosk.check.unsure', 'es'),
    ]);
  });
});
