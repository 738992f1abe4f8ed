// A kiosk tablet (800×1280) never hides what a screen asks a participant to
// do next: the step's Back and Next/Skip (and Send on the review) stay in
// view however long the step is, in English and in the longer Spanish. The
// start screen offers each language once, the look-up screen is not counted
// as a step, and the look-up's button sits beside its box.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dictionary, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, useServerAndBrowser } from './harness.mjs';
import { addKiosks, forward, heading, openKiosk } from './kiosk.mjs';

const tokens = /** @type {string[]} */ ([]);
const tablet = viewports[0];
// Screenshots for a person to look at (the closing notes list them).
const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });
const en = dictionary('en');

const suite = useServerAndBrowser({
  seed: async (env) => {
    const demo = await runChorus(['demo', '--no-serve'], { DATABASE_URL: env.DATABASE_URL ?? '' });
    assert.equal(demo.code, 0, `demo: ${demo.stderr}`);
    await addKiosks(env, { org: 'Chorus Demo Program', site: 'Lower East Side storefront', count: 2, tokens, addSite: false });
  },
});

/**
 * Fails unless the element is drawn wholly inside the window.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} target
 * @param {string} label
 */
async function assertInView(page, target, label) {
  const box = await target.boundingBox();
  const { height } = page.viewportSize() ?? tablet;
  assert.ok(box, `${label}: not drawn`);
  assert.ok(box.y >= 0 && box.y + box.height <= height, `${label}: drawn from ${box.y.toFixed(0)} to ${(box.y + box.height).toFixed(0)} px, the window is ${height} px tall`);
}

describe('the kiosk at 800×1280', () => {
  for (const [index, lang] of /** @type {const} */ (['en', 'es']).entries()) {
    it(`keeps each step's actions in view, in ${lang}`, async () => {
      const d = dictionary(lang);
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, tablet);
      try {
        await openKiosk(page, tokens[index] ?? '');
        await heading(page, en['kiosk.start.title']);
        // Each language once: the header's switch steps aside for the screen's own buttons.
        assert.equal(await page.getByRole('button', { name: 'Español', exact: true }).count(), 0);
        assert.equal(await page.getByRole('button', { name: new RegExp(`${en['kiosk.start.language']}|${dictionary('es')['kiosk.start.language']}`) }).count(), 2);

        // The look-up is not a step of the questions, and its button is beside its box.
        await page.getByRole('button', { name: en['kiosk.code.open'] }).click();
        await heading(page, en['kiosk.code.title']);
        assert.equal(await page.getByText(/^Step \d+ of \d+$/).count(), 0);
        const box = await page.getByLabel(en['kiosk.code.label']).boundingBox();
        const button = await page.getByRole('button', { name: en['kiosk.code.submit'] }).boundingBox();
        assert.ok(box && button && button.x - (box.x + box.width) < 32 && Math.abs(button.y - box.y) < 8, 'the look-up button sits beside its box');
        await page.getByRole('button', { name: en['kiosk.code.back'] }).click();

        await heading(page, en['kiosk.start.title']);
        await page.getByRole('button', { name: new RegExp(d['kiosk.start.language']) }).click();
        await heading(page, d['kiosk.needs.title']);
        const next = page.getByRole('button', { name: new RegExp(`^(${d['kiosk.next']}|${d['kiosk.skip']})$`) });
        await assertInView(page, next, `${lang} needs: ${d['kiosk.skip']}`);
        await assertInView(page, page.getByRole('button', { name: d['kiosk.back'] }), `${lang} needs: ${d['kiosk.back']}`);
        await page.screenshot({ path: `${shots}/kiosk-needs-${lang}.png` });
        // Many answers make a long review.
        const needs = page.locator('button[data-code]');
        for (let i = 0; i < Math.min(10, await needs.count()); i++) await needs.nth(i).click();

        for (let step = 0; ; step++) {
          assert.ok(step < 12, 'the review never came');
          const title = (await page.locator('h1').textContent()) ?? '';
          if (title === d['kiosk.review.title']) break;
          if (title === d['kiosk.text.title']) await page.getByLabel(d['kiosk.text.label']).fill('More evening hours, and a quiet room to rest, please. '.repeat(6));
          await assertInView(page, next, `${lang} ${title}`);
          await forward(page, d);
          await page.waitForFunction((before) => document.querySelector('h1')?.textContent !== before, title);
        }
        // The demo puts its findings to the kiosks up to today: while the kiosk asks one, the review goes on
        // to the member-check screen, and Send is there.
        const send = page.getByRole('button', { name: d['kiosk.review.send'] });
        if ((await send.count()) === 0) {
          await assertInView(page, next, `${lang} review: ${d['kiosk.next']}`);
          await page.screenshot({ path: `${shots}/kiosk-review-${lang}.png` });
          await forward(page, d);
          await heading(page, d['kiosk.check.title']);
          await assertInView(page, send, `${lang} member check: ${d['kiosk.review.send']}`);
          await page.screenshot({ path: `${shots}/kiosk-check-${lang}.png` });
        } else {
          await assertInView(page, send, `${lang} review: ${d['kiosk.review.send']}`);
          await page.screenshot({ path: `${shots}/kiosk-review-${lang}.png` });
        }
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  }
});
