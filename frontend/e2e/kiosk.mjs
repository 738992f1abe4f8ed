// Helpers for the kiosk's browser tests: set-up kiosks through `chorus admin`,
// a stand-in for the browser's speech synthesis (headless Chromium has no
// voices) that records what it is asked to read, and steps through the
// participant's flow.
import assert from 'node:assert/strict';
import { runChorus } from './harness.mjs';

/**
 * A seed step: adds a site to org and count kiosks there, and pushes each
 * kiosk's device token (the last line `chorus admin kiosk add` prints) onto tokens.
 * @param {Record<string, string>} env  the server's environment (its DATABASE_URL)
 * @param {{ org: string, site: string, count: number, tokens: string[], addSite?: boolean }} options
 */
export async function addKiosks(env, { org, site, count, tokens, addSite = true }) {
  const db = { DATABASE_URL: env.DATABASE_URL ?? '' };
  if (addSite) {
    const made = await runChorus(
      ['admin', 'site', 'add', '--org', org, '--name', site, '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'],
      db,
    );
    assert.equal(made.code, 0, `site add: ${made.stderr}`);
  }
  for (let i = 0; i < count; i++) {
    const made = await runChorus(['admin', 'kiosk', 'add', '--org', org, '--site', site, '--name', `Tablet ${i + 1}`], db);
    assert.equal(made.code, 0, `kiosk add: ${made.stderr}`);
    tokens.push(made.stdout.trim().split('\n').pop() ?? '');
  }
}

/**
 * Runs in the page before its own scripts: a speechSynthesis with one English
 * and one Spanish voice that never makes a sound and keeps every utterance in
 * window.__spoken ({ text, lang }); `speaking` stays true until cancel().
 */
export function fakeSpeech() {
  /** @type {{ text: string, lang: string }[]} */
  const spoken = [];
  let speaking = false;
  const events = new EventTarget();
  const voices = [
    { lang: 'en-US', name: 'Test English', localService: true, default: true, voiceURI: 'test-en' },
    { lang: 'es-US', name: 'Test Spanish', localService: true, default: false, voiceURI: 'test-es' },
  ];
  const synth = {
    get speaking() {
      return speaking;
    },
    pending: false,
    paused: false,
    getVoices: () => voices,
    /** @param {{ text: string, lang: string }} utterance */
    speak(utterance) {
      spoken.push({ text: utterance.text, lang: utterance.lang });
      speaking = true;
    },
    cancel() {
      speaking = false;
    },
    pause() {},
    resume() {},
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', {
    configurable: true,
    value: class {
      /** @param {string} text */
      constructor(text) {
        this.text = text;
        this.lang = '';
        this.voice = null;
      }
    },
  });
  Object.assign(window, { __spoken: spoken });
}

/**
 * Opens /kiosk as a tablet set up with token.
 * @param {import('playwright-core').Page} page
 * @param {string} token
 * @param {Record<string, string>} [storage] more localStorage entries, e.g. shorter idle timings
 */
export async function openKiosk(page, token, storage = {}) {
  await page.goto('/');
  await page.evaluate(
    ({ token, storage }) => {
      localStorage.setItem('chorus.kiosk.token', token);
      for (const [key, value] of Object.entries(storage)) localStorage.setItem(key, value);
    },
    { token, storage },
  );
  await page.goto('/kiosk');
}

/** @param {import('playwright-core').Page} page @param {string} name */
export function heading(page, name) {
  return page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/**
 * The forward button: "Next" once something is answered on the screen, "Skip" before.
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d  the dictionary of the screen's language
 */
export async function forward(page, d) {
  await page.getByRole('button', { name: new RegExp(`^(${d['kiosk.next']}|${d['kiosk.skip']})$`) }).click();
}

/**
 * What the fake speech engine was given since the last call.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ text: string, lang: string }[]>}
 */
export function takeSpoken(page) {
  return page.evaluate(() => {
    const spoken = /** @type {{ text: string, lang: string }[]} */ (Reflect.get(window, '__spoken'));
    return spoken.splice(0, spoken.length);
  });
}

/**
 * The body of POST /api/v1/kiosk/submissions:batch the page sends next, with its answer.
 * @param {import('playwright-core').Page} page
 */
export async function nextBatch(page) {
  const response = await page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/kiosk/submissions:batch') && r.request().method() === 'POST',
  );
  return { status: response.status(), request: response.request().postDataJSON(), body: await response.json() };
}

/**
 * Submits the shortest possible answers with text as the free text: language,
 * skip to "Anything else?", type, skip to review, send; waits for thank-you.
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d  English dictionary
 * @param {string} text
 */
export async function submitText(page, d, text) {
  await heading(page, d['kiosk.start.title']);
  await page.getByRole('button', { name: new RegExp(d['kiosk.start.language']) }).click();
  await heading(page, d['kiosk.needs.title']);
  await forward(page, d);
  await heading(page, d['kiosk.strengths.title']);
  await forward(page, d);
  await heading(page, d['kiosk.text.title']);
  await page.getByLabel(d['kiosk.text.label']).fill(text);
  for (const title of ['kiosk.about.age_band', 'kiosk.about.gender', 'kiosk.about.race_ethnicity', 'kiosk.about.housing']) {
    await forward(page, d);
    await heading(page, d[title]);
  }
  await forward(page, d);
  await heading(page, d['kiosk.review.title']);
  await page.getByRole('button', { name: d['kiosk.review.send'], exact: true }).click();
  await heading(page, d['kiosk.thanks.title']);
}
