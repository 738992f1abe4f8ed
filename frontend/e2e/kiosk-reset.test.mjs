// Nothing a participant entered survives a reset: after the idle timeout and
// "Are you still there?" running out, the kiosk is back at the start in
// English, and their words are in no element, no storage, no history entry
// and no speech; "I'm still here" keeps everything. Leaving the page and
// coming back through the back/forward cache shows the start too. The
// thank-you screen returns to the start by itself. Timings are shortened
// through localStorage (production: 60 s, then 20 s).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, openContext, unexpected } from './checks.mjs';
import { launchBrowser, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';
import { addKiosks, fakeSpeech, forward, heading, openKiosk, submitText, takeSpoken } from './kiosk.mjs';

const en = dictionary('en');
const es = dictionary('es');
const tokens = /** @type {string[]} */ ([]);
const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    await addKiosks(env, { org: testAdmin.org, site: 'Storefront', count: 4, tokens });
  },
});


/**
 * Goes to "Anything else?" in Spanish with two needs chosen, types secret, and starts the speaker.
 * @param {import('playwright-core').Page} page
 * @param {string} secret
 */
async function answerInSpanish(page, secret) {
  await heading(page, en['kiosk.start.title']);
  await page.getByRole('button', { name: new RegExp(es['kiosk.start.language']) }).click();
  await heading(page, es['kiosk.needs.title']);
  await page.locator('button[data-code="naloxone"]').click();
  await page.locator('button[data-code="food"]').click();
  await forward(page, es);
  await heading(page, es['kiosk.priorities.title']);
  await forward(page, es);
  await heading(page, es['kiosk.strengths.title']);
  await page.getByLabel(es['kiosk.strengths.other']).fill(`${secret} note`);
  await forward(page, es);
  await heading(page, es['kiosk.text.title']);
  await page.getByLabel(es['kiosk.text.label']).fill(secret);
  await page.getByRole('button', { name: es['kiosk.speak'] }).click();
  assert.equal(await page.evaluate(() => speechSynthesis.speaking), true);
}

/**
 * Everything the page holds that could keep the secret: its HTML, web storage and spoken text.
 * @param {import('playwright-core').Page} page
 */
async function traces(page) {
  const html = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  const spoken = JSON.stringify(await takeSpoken(page));
  return { html, storage, spoken };
}

describe('the kiosk resets', () => {
  it('after the idle timeout: start screen, English, no trace of the answers anywhere', async () => {
    const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL);
    await context.addInitScript(fakeSpeech);
    const secret = 'Mi secreto 4417';
    try {
      // Time enough for axe to check the dialog before it runs out.
      await openKiosk(page, tokens[0] ?? '', { 'chorus.kiosk.idleMs': '3000', 'chorus.kiosk.graceMs': '6000' });
      await heading(page, en['kiosk.start.title']);
      const historyBefore = await page.evaluate(() => history.length);
      await answerInSpanish(page, secret);

      const dialog = page.getByRole('dialog', { name: es['kiosk.idle.title'] });
      await dialog.waitFor({ timeout: 8_000 });
      // Its button is read while the dialog is surely open: on a loaded machine axe can outlast the grace window.
      assert.ok(await dialog.getByRole('button', { name: es['kiosk.idle.stay'] }).isVisible());
      await assertAccessible(page, 'idle dialog', { atLeast: 1 });

      await heading(page, en['kiosk.start.title']);
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.evaluate(() => speechSynthesis.speaking), false, 'speech was cancelled');
      const left = await traces(page);
      assert.ok(!left.html.includes(secret), 'not in the DOM');
      assert.ok(!left.storage.includes(secret), 'not in web storage');
      assert.ok(!left.spoken.includes(secret), 'never spoken');
      assert.equal(await page.evaluate(() => history.length), historyBefore, 'no history entries were added');
      assert.equal(await page.evaluate(() => JSON.stringify(history.state) + location.search + location.hash), 'null');
      assert.equal(await page.locator('main [aria-pressed="true"]').count(), 0, 'no answer is chosen');
      // The next participant starts afresh.
      await page.getByRole('button', { name: new RegExp(en['kiosk.start.language']) }).click();
      await heading(page, en['kiosk.needs.title']);
      assert.equal(await page.locator('button[data-code][aria-pressed="true"]').count(), 0);
      assert.deepEqual(unexpected(problems), []);
    } finally {
      await context.close();
    }
  });

  it('not when the participant answers "I\'m still here"', async () => {
    const { context, page } = await openContext(suite.browser, suite.server.baseURL);
    await context.addInitScript(fakeSpeech);
    const secret = 'Sigo escribiendo 2290';
    try {
      await openKiosk(page, tokens[1] ?? '', { 'chorus.kiosk.idleMs': '3000', 'chorus.kiosk.graceMs': '20000' });
      await answerInSpanish(page, secret);
      const dialog = page.getByRole('dialog', { name: es['kiosk.idle.title'] });
      await dialog.waitFor({ timeout: 8_000 });
      await dialog.getByRole('button', { name: es['kiosk.idle.stay'] }).click();
      await dialog.waitFor({ state: 'hidden' });
      await heading(page, es['kiosk.text.title']);
      assert.equal(await page.getByLabel(es['kiosk.text.label']).inputValue(), secret);
      await page.getByRole('button', { name: es['kiosk.back'] }).click();
      await page.getByRole('button', { name: es['kiosk.back'] }).click();
      await page.getByRole('button', { name: es['kiosk.back'] }).click();
      await heading(page, es['kiosk.needs.title']);
      assert.equal(await page.locator('button[data-code="food"]').getAttribute('aria-pressed'), 'true');
    } finally {
      await context.close();
    }
  });

  it('after thank-you, by itself', async () => {
    const { context, page } = await openContext(suite.browser, suite.server.baseURL);
    try {
      await openKiosk(page, tokens[2] ?? '', { 'chorus.kiosk.idleMs': '3000', 'chorus.kiosk.graceMs': '2000' });
      await submitText(page, en, 'Thanks screen words 5521');
      const receipt = ((await page.locator('[data-receipt]').textContent()) ?? '').trim();
      await heading(page, en['kiosk.start.title']);
      const html = await page.content();
      assert.ok(!html.includes(receipt) && !html.includes('5521'));
    } finally {
      await context.close();
    }
  });

  it('when the page is left and brought back from the back/forward cache', async () => {
    // Playwright turns the back/forward cache off by default; this browser has it on.
    const browser = await launchBrowser({ backForwardCache: true });
    const { context, page } = await openContext(browser, suite.server.baseURL);
    await context.addInitScript(fakeSpeech);
    const secret = 'Volveré 8093';
    try {
      await openKiosk(page, tokens[3] ?? '');
      await page.evaluate(() => Object.assign(window, { chorusSamePage: true }));
      await answerInSpanish(page, secret);
      await page.goto('/healthz');
      await page.goBack({ waitUntil: 'commit' });
      await heading(page, en['kiosk.start.title']);
      assert.equal(await page.evaluate(() => 'chorusSamePage' in window), true, 'the page came back from the cache');
      const left = await traces(page);
      assert.ok(!left.html.includes(secret), 'not in the DOM the cache kept');
      assert.ok(!left.storage.includes(secret));
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.evaluate(() => speechSynthesis.speaking), false);
    } finally {
      await context.close();
      await browser.close();
    }
  });
});
