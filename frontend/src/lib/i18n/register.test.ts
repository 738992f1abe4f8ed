import { describe, expect, it } from 'vitest';
import es from './es.json';
import kioskEs from './kiosk/es.json';

/**
 * Participants read Spanish in one register, "tú" (docs/frontend.md: the
 * register, beside the words of LANGUAGE.md). Staff screens are not
 * participant-facing and are left out.
 */
const staffOnly = /^(staff|facilitator|dashboard|signin)\./;
const participantFacing = Object.entries({ ...es, ...kioskEs }).filter(([key]) => !staffOnly.test(key));

/** Marks of "usted": the pronouns, its possessives, its questions and its commands. */
const usted = [
  /\bustede?s?\b/i,
  /\bsus?\b/i,
  /¿(Tiene|Quiere|Necesita|Puede|Apoya|Sabe|Desea)\b/,
  /\b(Pida|Vuelva|Intente|Escriba|Elija|Escoja|Vea|Mire|Conteste|Toque|Pulse|Espere|Llame|Hable|Diga|Avise|Marque|Seleccione|Busque|Lea|Siga|Deje|Cuéntenos|Díganos|Revíselo|Búsquelo|Inténtelo)\b/i,
];

function ustedIn(message: string): string | undefined {
  for (const mark of usted) {
    const found = mark.exec(message);
    if (found) return found[0];
  }
  return undefined;
}

describe('participants read Spanish as "tú"', () => {
  it('has participant-facing messages, some of them in "tú"', () => {
    expect(participantFacing.length).toBeGreaterThan(150);
    expect(participantFacing.filter(([, m]) => /\b(tu|tus|te|puedes|quieres|tienes|Elige|Escribe)\b/.test(m)).length).toBeGreaterThan(20);
  });

  it('has no "usted" in any participant-facing message', () => {
    const hits = participantFacing.flatMap(([key, message]) => {
      const found = ustedIn(message);
      return found ? [`${key}: "${found}" in "${message}"`] : [];
    });
    expect(hits).toEqual([]);
  });

  it.each(['¿Tiene un código?', 'Su código', 'Vuelva a mirar pronto.', 'Revíselo e intente de nuevo.', 'Usted decide.'])('catches "%s"', (m) => {
    expect(ustedIn(m)).toBeDefined();
  });

  it.each(['¿Tienes un código?', 'Tu código', 'Tiene 8 letras y números.', 'Vuelve a mirar pronto.'])('lets "%s" pass', (m) => {
    expect(ustedIn(m)).toBeUndefined();
  });
});
