/**
 * Words Chorus does not use about people (docs: shared LANGUAGE.md, after
 * NIDA's "Words Matter"). Each entry is a regular-expression fragment matched
 * as a whole word, case-insensitively, so "user" is caught but "username" is not.
 */
export const ruledOutTerms: readonly { term: string; say: string }[] = [
  // English
  { term: 'addict(?:s|ed)?', say: 'person who uses drugs, participant' },
  { term: 'junk(?:ie|y)s?', say: 'person who uses drugs, participant' },
  { term: 'users?', say: 'person who uses drugs, participant, community member' },
  { term: 'drug abusers?', say: 'person who uses drugs' },
  { term: 'drugg(?:ie|y)s?', say: 'person who uses drugs' },
  { term: 'abus(?:e|es|ed|er|ers|ing)', say: 'substance use, drug use' },
  { term: 'misus(?:e|es|ed|ing)', say: 'substance use, drug use' },
  { term: 'clean', say: 'sterile, new, unused (supplies); tested negative' },
  { term: 'dirty', say: 'used (supplies); tested positive' },
  { term: 'relaps(?:e|es|ed|ing)', say: 'returned to use, recurrence' },
  { term: 'fell off the wagon', say: 'returned to use' },
  { term: 'replacement therapy', say: 'medication for opioid use disorder (MOUD)' },
  { term: 'trading one drug for another', say: 'medication for opioid use disorder (MOUD)' },
  { term: 'homeless', say: 'person without stable housing, unhoused' },
  { term: 'vagrants?', say: 'person without stable housing' },
  { term: 'felons?', say: 'person with a conviction' },
  { term: 'criminals?', say: 'person with a legal history' },
  { term: 'convicts?', say: 'person with a conviction' },
  { term: "OD(?:'d|’d|ed)", say: 'overdose, overdosed' },
  // Spanish
  { term: 'adict[oa]s?', say: 'persona que usa drogas, participante' },
  { term: 'drogadict[oa]s?', say: 'persona que usa drogas, participante' },
  { term: 'tecat[oa]s?', say: 'persona que usa drogas, participante' },
  { term: 'vicios[oa]s?', say: 'persona que usa drogas, participante' },
  { term: 'yonqu?is?|yonkis?', say: 'persona que usa drogas, participante' },
  { term: 'drogatas?', say: 'persona que usa drogas, participante' },
  { term: 'usuari[oa]s? de drogas', say: 'persona que usa drogas' },
  { term: 'abusos?', say: 'uso de sustancias' },
  { term: 'abusador(?:a|es|as)?', say: 'persona que usa drogas' },
  { term: 'limpi[oa]s?', say: 'material estéril, nuevo; resultado negativo' },
  { term: 'suci[oa]s?', say: 'material usado; resultado positivo' },
  { term: 'reca[ií]das?', say: 'volvió a usar' },
  { term: 'terapia de (?:reemplazo|sustituci[oó]n)', say: 'medicamentos para el trastorno por consumo de opioides (MOUD)' },
  { term: 'indigentes?', say: 'persona sin vivienda estable' },
  { term: 'vagabund[oa]s?', say: 'persona sin vivienda estable' },
  { term: 'delincuentes?', say: 'persona con antecedentes legales' },
  { term: 'criminal(?:es)?', say: 'persona con antecedentes legales' },
  { term: 'convict[oa]s?', say: 'persona con una condena' },
];

// Whole words in any script: JavaScript's \b knows only ASCII letters, and Spanish needs "í", "ñ"…
const matchers = ruledOutTerms.map(({ term, say }) => ({
  pattern: new RegExp(`(?<![\\p{L}\\p{N}_])(?:${term})(?![\\p{L}\\p{N}_])`, 'giu'),
  say,
}));

/** A ruled-out word found in a text, and what to say instead. */
export interface RuledOutHit {
  found: string;
  say: string;
}

/** Returns every ruled-out word in text, in the order of the list. */
export function findRuledOut(text: string): RuledOutHit[] {
  const hits: RuledOutHit[] = [];
  for (const { pattern, say } of matchers) {
    for (const match of text.matchAll(pattern)) hits.push({ found: match[0], say });
  }
  return hits;
}
