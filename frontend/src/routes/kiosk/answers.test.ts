import { describe, expect, it } from 'vitest';
import {
  activeCheck,
  composeText,
  emptyAnswers,
  hasAnswers,
  localDay,
  maxText,
  neighbour,
  noteLimit,
  rank,
  stepsFor,
  textLimit,
  toSubmission,
  toggleNeed,
  type Answers,
} from './answers';

const prefix = 'Something else I do:';

function answers(parts: Partial<Answers>): Answers {
  return { ...emptyAnswers(), ...parts };
}

describe('choosing', () => {
  it('takes a need out of the priorities when it is unchosen', () => {
    const a = answers({ needs: ['food', 'naloxone'], priorities: ['naloxone', 'food'] });
    expect(toggleNeed(a, 'naloxone')).toEqual({ needs: ['food'], priorities: ['food'] });
    expect(toggleNeed(a, 'housing').needs).toEqual(['food', 'naloxone', 'housing']);
  });

  it('ranks in tap order, at most three, and moves the rest up when one is taken out', () => {
    let order: string[] = [];
    for (const code of ['b', 'a', 'c', 'd']) order = rank(order, code);
    expect(order).toEqual(['b', 'a', 'c']);
    expect(rank(order, 'b')).toEqual(['a', 'c']);
  });

  it('knows when something was answered', () => {
    expect(hasAnswers(emptyAnswers())).toBe(false);
    expect(hasAnswers(answers({ text: 'x' }))).toBe(true);
    expect(hasAnswers(answers({ about: { gender: null } }))).toBe(true);
  });
});

describe('the free text and the "something else" note', () => {
  it('adds the note as its own paragraph after the words', () => {
    expect(composeText(' More hours. ', ' I cook ', prefix)).toBe('More hours.\n\nSomething else I do: I cook');
    expect(composeText('', 'I cook', prefix)).toBe('Something else I do: I cook');
    expect(composeText('Words', '  ', prefix)).toBe('Words');
    expect(composeText('', '', prefix)).toBe('');
  });

  it('leaves room for each other within 1,000 characters', () => {
    const note = 'I cook';
    const text = 'x'.repeat(textLimit(note, prefix));
    expect(composeText(text, note, prefix)).toHaveLength(maxText);
    expect(textLimit('', prefix)).toBe(maxText);
    const long = 'y'.repeat(990);
    expect(noteLimit(long, prefix)).toBe(0);
    expect(noteLimit('', prefix)).toBe(100);
  });
});

describe('toSubmission', () => {
  it('sends codes, ordered priorities among the needs, the words with may_quote, bands and the receipt', () => {
    const a = answers({
      needs: ['food', 'naloxone'],
      priorities: ['naloxone', 'gone', 'food'],
      strengths: ['share_info'],
      note: 'I cook',
      text: 'Evening hours',
      mayQuote: true,
      about: { age_band: '25_34', gender: null },
    });
    expect(toSubmission(a, 'es', 'K7M-3QX', prefix)).toEqual({
      language: 'es',
      needs: ['food', 'naloxone'],
      priorities: ['naloxone', 'food'],
      strengths: ['share_info'],
      text: 'Evening hours\n\nSomething else I do: I cook',
      may_quote: true,
      about: { age_band: '25_34' },
      receipt: 'K7M-3QX',
    });
  });

  it('leaves out empty optional parts, and may_quote without words', () => {
    expect(toSubmission(answers({ mayQuote: false, about: { housing: null } }), 'en', 'AAA-AAA', prefix)).toEqual({
      language: 'en',
      needs: [],
      priorities: [],
      strengths: [],
      receipt: 'AAA-AAA',
    });
  });
});

describe('steps', () => {
  const about = ['age_band', 'gender'];

  it('asks for priorities only when needs were chosen; one screen per question about you', () => {
    expect(stepsFor(emptyAnswers(), about)).toEqual(['language', 'needs', 'strengths', 'text', 'about:age_band', 'about:gender', 'review']);
    expect(stepsFor(answers({ needs: ['food'] }), about)).toContain('priorities');
    expect(stepsFor(emptyAnswers(), about, true)).toContain('priorities');
  });

  it('goes forward to thanks after review, and back to nothing before language', () => {
    const steps = stepsFor(emptyAnswers(), about);
    expect(neighbour(steps, 'needs', 1)).toBe('strengths');
    expect(neighbour(steps, 'strengths', -1)).toBe('needs');
    expect(neighbour(steps, 'review', 1)).toBe('thanks');
    expect(neighbour(steps, 'language', -1)).toBeUndefined();
  });
});

describe('the member-check question', () => {
  const question = { finding_id: 'f1', statement_en: 'People look out for each other.', statement_es: 'Las personas se cuidan.', start_day: '2026-12-01', end_day: '2026-12-07' };

  it('is asked only on the days of its period, after the review', () => {
    expect(activeCheck(question, '2026-11-30')).toBeNull();
    expect(activeCheck(question, '2026-12-01')).toBe(question);
    expect(activeCheck(question, '2026-12-07')).toBe(question);
    expect(activeCheck(question, '2026-12-08')).toBeNull();
    expect(activeCheck(null, '2026-12-03')).toBeNull();
    expect(stepsFor({ needs: [] }, [], false, true).slice(-2)).toEqual(['review', 'check']);
    expect(neighbour(stepsFor({ needs: [] }, [], false, true), 'check', 1)).toBe('thanks');
    expect(localDay(new Date(2026, 11, 6, 23, 59))).toBe('2026-12-06');
  });

  it('rides in the submission only when answered', () => {
    expect(toSubmission(answers({ check: 'disagree' }), 'es', 'K7M-3QX', prefix, question).member_check).toEqual({ finding_id: 'f1', answer: 'disagree' });
    expect(toSubmission(answers({}), 'es', 'K7M-3QX', prefix, question).member_check).toBeUndefined();
    expect(toSubmission(answers({ check: 'agree' }), 'es', 'K7M-3QX', prefix, null).member_check).toBeUndefined();
    expect(hasAnswers(answers({ check: 'unsure' }))).toBe(true);
  });
});
