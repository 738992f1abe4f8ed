import { describe, expect, it } from 'vitest';
import {
  composeText,
  emptyAnswers,
  hasAnswers,
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
