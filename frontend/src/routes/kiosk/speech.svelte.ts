/**
 * Reading a screen aloud with the browser's speech synthesis. Only Chorus's
 * own fixed words (and the organization's category labels) are ever given
 * to it, never what a participant typed: some voices send their text to a
 * remote service. Where no voice speaks the language, nothing is read and
 * the speaker button is not shown.
 */

/** One piece of speech in one language, e.g. a Spanish welcome on the language screen. */
export interface Speech {
  text: string;
  lang: string;
}

const synth = (): SpeechSynthesis | undefined =>
  typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined;

let voiceList = $state.raw<readonly SpeechSynthesisVoice[]>([]);

/** Reads the browser's voices now and whenever they change (Chromium loads them after the page). */
export function watchVoices(): () => void {
  const s = synth();
  if (!s) return () => {};
  const update = () => {
    voiceList = s.getVoices();
  };
  update();
  s.addEventListener('voiceschanged', update);
  return () => s.removeEventListener('voiceschanged', update);
}

/** The voice for a language: one whose lang starts with it ("es" → "es-US"), on-device voices first. */
export function pickVoice(voices: readonly Pick<SpeechSynthesisVoice, 'lang' | 'localService'>[], lang: string) {
  const wanted = lang.toLowerCase();
  const matching = voices.filter((v) => {
    const tag = v.lang.toLowerCase().replace('_', '-');
    return tag === wanted || tag.startsWith(`${wanted}-`);
  });
  return matching.find((v) => v.localService) ?? matching[0];
}

/** Reports (reactively) whether there is a voice for lang. */
export function canSpeak(lang: string): boolean {
  return pickVoice(voiceList, lang) !== undefined;
}

/** Stops anything being read, and empties the queue. */
export function stopSpeaking(): void {
  synth()?.cancel();
}

/** Reads the parts in order, each in its own language's voice; parts without a voice are left out. */
export function speak(parts: readonly Speech[]): void {
  const s = synth();
  if (!s) return;
  s.cancel();
  for (const part of parts) {
    const voice = pickVoice(voiceList, part.lang) as SpeechSynthesisVoice | undefined;
    if (!voice || !part.text.trim()) continue;
    const utterance = new SpeechSynthesisUtterance(part.text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    s.speak(utterance);
  }
}
