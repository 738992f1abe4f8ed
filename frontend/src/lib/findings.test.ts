import { describe, expect, it } from 'vitest';
import { communityDisagrees, findingHref, statementIn } from './findings';

describe('findings', () => {
  it('reads the statement in the language asked, or the other one when it is empty', () => {
    const f = { statement_en: 'We look out for each other.', statement_es: 'Nos cuidamos.' };
    expect(statementIn(f, 'es')).toBe('Nos cuidamos.');
    expect(statementIn(f, 'en')).toBe('We look out for each other.');
    expect(statementIn({ ...f, statement_es: '' }, 'es')).toBe('We look out for each other.');
    expect(findingHref('a/b')).toBe('/staff/research/findings/a%2Fb');
  });

  it('says the community disagrees only with more disagree than agree among at least min_cell shown answers', () => {
    const row = (agree: number | null, disagree: number | null, answers: number | null) => ({ agree, disagree, unsure: 0, answers, too_few: false });
    expect(communityDisagrees(row(3, 8, 11), 11)).toBe(true);
    expect(communityDisagrees(row(3, 7, 10), 11)).toBe(false);
    expect(communityDisagrees(row(6, 6, 12), 11)).toBe(false);
    expect(communityDisagrees(row(null, 8, 11), 11)).toBe(false);
  });
});
