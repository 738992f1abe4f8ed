import { describe, expect, it } from 'vitest';
import { findRuledOut } from './ruled-out';

const files = import.meta.glob<Record<string, string>>('./**/*.json', { eager: true, import: 'default' });

describe('translation files use person-first language', () => {
  it('finds dictionaries to scan', () => {
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(4);
  });

  for (const [path, messages] of Object.entries(files)) {
    it(`${path} has none of the ruled-out words`, () => {
      const hits = Object.entries(messages).flatMap(([key, message]) =>
        findRuledOut(message).map((hit) => `${key}: "${hit.found}" — say ${hit.say}`),
      );
      expect(hits).toEqual([]);
    });
  }
});

describe('findRuledOut', () => {
  it.each([
    'Every drug user is welcome',
    'USERS can vote',
    'a drug-user',
    'No junkies here',
    'He is an Addict',
    'substance abuse program',
    'clean needles',
    'Dirty supplies',
    'after a relapse',
    'homeless people',
    'a convicted felon',
    'criminals',
    'methadone replacement therapy',
    "He OD'd last year",
    'las personas adictas',
    'un drogadicto',
    'agujas limpias',
    'material sucio',
    'abuso de sustancias',
    'una recaída',
    'Tecatos',
    'usuarios de drogas',
  ])('catches %j', (text) => {
    expect(findRuledOut(text)).not.toEqual([]);
  });

  it.each([
    'Enter your username',
    'user_id',
    'cleaning the tablet',
    'limpieza',
    'person who uses drugs',
    'persona que usa drogas',
    'a person with a conviction',
    'unhoused community members',
    'returned to use',
    'substance use',
    'misc',
    'overdose',
  ])('lets %j pass', (text) => {
    expect(findRuledOut(text)).toEqual([]);
  });
});
