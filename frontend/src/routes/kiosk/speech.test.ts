import { describe, expect, it } from 'vitest';
import { pickVoice } from './speech.svelte';

describe('pickVoice', () => {
  const voices = [
    { lang: 'en-US', localService: false, name: 'remote en' },
    { lang: 'en_GB', localService: true, name: 'local en' },
    { lang: 'es-MX', localService: true, name: 'es' },
    { lang: 'eu-ES', localService: true, name: 'Basque' },
  ];

  it('takes a voice whose language starts with the language, on-device first', () => {
    expect(pickVoice(voices, 'en')).toBe(voices[1]);
    expect(pickVoice(voices, 'es')).toBe(voices[2]);
  });

  it('finds none rather than a wrong language', () => {
    expect(pickVoice(voices, 'fr')).toBeUndefined();
    expect(pickVoice(voices, 'e')).toBeUndefined();
    expect(pickVoice([], 'en')).toBeUndefined();
  });
});
