// The participant's whole flow on a kiosk, in English and in Spanish, on a
// tablet and on a phone: every screen passes axe-core's WCAG 2.2 A/AA rules
// with every target at least 48×48 CSS px, reads its own words aloud in its
// own language (never what was typed), and the answers reach the server as
// one submission with a receipt code. The demo data gives the thank-you
// screen's board an outcome to show.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, useServerAndBrowser } from './harness.mjs';
import { addKiosks, fakeSpeech, forward, heading, nextBatch, openKiosk, takeSpoken } from './kiosk.mjs';

const dictionaries = { en: dictionary('en'), es: dictionary('es') };
const tokens = /** @type {string[]} */ ([]);
const org = 'Chorus Demo Program';

const suite = useServerAndBrowser({
  seed: async (env) => {
    const demo = await runChorus(['demo', '--no-serve'], { DATABASE_URL: env.DATABASE_URL ?? '' });
    assert.equal(demo.code, 0, `demo: ${demo.stderr}`);
    await addKiosks(env, { org, site: 'Lower East Side storefront', count: 4, tokens, addSite: false });
  },
});

const receiptPattern = /^[234679ACDEFGHJKMNPQRTUVWXYZ]{3}-[234679ACDEFGHJKMNPQRTUVWXYZ]{3}$/;

describe('the kiosk flow', () => {
  const runs = viewports.flatMap((viewport) => /** @type {const} */ (['en', 'es']).map((lang) => ({ viewport, lang })));
  runs.forEach(({ viewport, lang }, index) => {
    it(`in ${lang} on a ${viewport.name} (${viewport.width}×${viewport.height})`, async () => {
      const d = dictionaries[lang];
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewport);
      await context.addInitScript(fakeSpeech);
      const label = (/** @type {string} */ what) => `${what} (${lang}, ${viewport.name})`;
      /** Checks a screen: accessible, and its speaker reads its title in its language. */
      const screen = async (/** @type {string} */ title, /** @type {number} */ atLeast) => {
        await heading(page, title);
        await assertAccessible(page, label(title), { atLeast });
        await page.getByRole('button', { name: d['kiosk.speak'] }).click();
        const spoken = await takeSpoken(page);
        assert.equal(spoken[0]?.text, title, `${label(title)}: the speaker starts with the question`);
        assert.ok(spoken.every((line) => line.lang.startsWith(lang)), `${label(title)}: read in ${lang}`);
        return spoken;
      };
      const typed = `Evening hours would help ${lang}-${viewport.name}`;
      const note = `I cook for people ${lang}`;
      try {
        await openKiosk(page, tokens[index] ?? '');
        const en = dictionaries.en;

        // Language: both languages offered, each read aloud in its own voice.
        await heading(page, en['kiosk.start.title']);
        await assertAccessible(page, label('language'), { atLeast: 4 });
        await page.getByRole('button', { name: en['kiosk.speak'] }).click();
        const welcome = await takeSpoken(page);
        assert.ok(welcome.some((line) => line.lang === 'en-US' && line.text === en['kiosk.start.language']));
        assert.ok(welcome.some((line) => line.lang === 'es-US' && line.text === dictionaries.es['kiosk.start.language']));
        await page.getByRole('button', { name: new RegExp(d['kiosk.start.language']) }).click();
        await page.waitForFunction((l) => document.documentElement.lang === l, lang);

        // Needs, with "Need help now?" open over them.
        const needs = await screen(d['kiosk.needs.title'], 20);
        assert.ok(needs.length >= 19, 'reads every need');
        for (const code of ['naloxone', 'food', 'housing']) await page.locator(`button[data-code="${code}"]`).click();
        assert.equal(await page.locator('button[data-code="food"]').getAttribute('aria-pressed'), 'true');
        await page.getByRole('button', { name: d['kiosk.help.open'] }).click();
        const help = page.getByRole('dialog', { name: d['kiosk.help.open'] });
        await help.waitFor();
        await help.getByText('988', { exact: false }).first().waitFor();
        await assertAccessible(page, label('need help now'), { atLeast: 2 });
        await help.getByRole('button', { name: d['kiosk.help.close'] }).click();
        await help.waitFor({ state: 'hidden' });
        await forward(page, d);

        // Priorities: tap order is the order; the screen says how many.
        await screen(d['kiosk.priorities.title'], 6);
        await page.locator('button[data-code="food"]').click();
        await page.locator('button[data-code="naloxone"]').click();
        await page.getByRole('status').filter({ hasText: d['kiosk.priorities.count'].replace('{count}', '2') }).waitFor();
        await forward(page, d);

        // Strengths, with "something else" in the participant's own words.
        const strengths = await screen(d['kiosk.strengths.title'], 8);
        await page.locator('button[data-code="share_info"]').click();
        await page.getByLabel(d['kiosk.strengths.other']).fill(note);
        await forward(page, d);

        // Anything else: typed words, a counter, and yes to quoting.
        await heading(page, d['kiosk.text.title']);
        await page.getByLabel(d['kiosk.text.label']).fill(typed);
        await page.getByRole('button', { name: d['kiosk.quote.yes'], exact: true }).click();
        const words = await screen(d['kiosk.text.title'], 6);
        for (const line of [...needs, ...strengths, ...words]) {
          assert.ok(!line.text.includes(typed) && !line.text.includes(note), `never reads typed words: "${line.text}"`);
        }
        await forward(page, d);

        // About you: one question per screen, each skippable; a band, "prefer not to say", two skipped.
        await screen(d['kiosk.about.age_band'], 8);
        await page.locator('button[data-code="25_34"]').click();
        await forward(page, d);
        await screen(d['kiosk.about.gender'], 7);
        await page.getByRole('button', { name: d['kiosk.about.preferNot'] }).click();
        await forward(page, d);
        await screen(d['kiosk.about.race_ethnicity'], 10);
        await forward(page, d);
        await screen(d['kiosk.about.housing'], 6);
        await forward(page, d);

        // Review, then Back and forward again: nothing is lost.
        await screen(d['kiosk.review.title'], 8);
        await page.getByText(typed).waitFor();
        await page.getByRole('button', { name: d['kiosk.back'] }).click();
        await heading(page, d['kiosk.about.housing']);
        await forward(page, d);
        await heading(page, d['kiosk.review.title']);
        assert.equal(await page.getByText(d['kiosk.about.age_band.25_34']).count(), 1);

        // The demo puts its findings to the kiosks up to today: while the kiosk asks one, the member-check
        // screen follows the review. Skipped here, so the submission carries no answer.
        if ((await page.getByRole('button', { name: d['kiosk.review.send'], exact: true }).count()) === 0) {
          await forward(page, d);
          await screen(d['kiosk.check.title'], 6);
        }
        const sent = nextBatch(page);
        await page.getByRole('button', { name: d['kiosk.review.send'], exact: true }).click();
        const { status, request, body } = await sent;
        assert.equal(status, 200);
        assert.equal(body.results[0].status, 201, JSON.stringify(body));
        const submission = request.items[0].submission;
        assert.deepEqual(
          { ...submission, receipt: undefined },
          {
            language: lang,
            needs: ['naloxone', 'food', 'housing'],
            priorities: ['food', 'naloxone'],
            strengths: ['share_info'],
            text: `${typed}\n\n${d['kiosk.strengths.other.prefix']} ${note}`,
            may_quote: true,
            about: { age_band: '25_34' },
            receipt: undefined,
          },
        );

        // Thank you: the receipt that was sent, the board, help, and an accessible page.
        await screen(d['kiosk.thanks.title'], 3);
        const receipt = ((await page.locator('[data-receipt]').textContent()) ?? '').trim();
        assert.match(receipt, receiptPattern);
        assert.equal(submission.receipt, receipt);
        await page.getByRole('heading', { level: 2, name: d['kiosk.thanks.board'] }).waitFor();
        await page.getByText(d['kiosk.status.accepted']).first().waitFor();
        await page.getByText(/911/).first().waitFor();

        // Done: back to the start, in English, with nothing of this visit on the page.
        await page.getByRole('button', { name: d['kiosk.thanks.done'] }).click();
        await heading(page, en['kiosk.start.title']);
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        const html = await page.content();
        assert.ok(!html.includes(typed) && !html.includes(receipt), 'nothing of the visit is left on the page');
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  });
});
