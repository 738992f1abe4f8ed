// The demo shows the whole research loop to a newcomer, by clicking only
// from the front door: the peer facilitator finds the meeting that
// already happened, reads how many comments came and were approved, and
// reads its notes (without the phone number they were written with); a
// coder finds that meeting's comments and the facilitator's notes among
// the texts to code (the rejected comment is not there); and the finding
// the meeting checked counts the room's answers with the kiosks'. axe and 48×48 targets, in English and
// in Spanish, each on a tablet and on a phone; screenshots in /tmp/shots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, useServerAndBrowser } from './harness.mjs';

const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });
const password = 'chorus-demo-password';
const meeting = 'Community meeting: did we get it right?';

const suite = useServerAndBrowser({
  seed: async (env) => {
    const demo = await runChorus(['demo', '--no-serve'], { DATABASE_URL: env.DATABASE_URL ?? '' });
    assert.equal(demo.code, 0, `demo: ${demo.stderr}`);
  },
});

/**
 * Signs in from the front door in lang and opens a tool from the menu.
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d
 * @param {string} lang
 * @param {string} email
 * @param {string} link the menu entry's dictionary key
 */
async function signInAndOpen(page, d, lang, email, link) {
  await page.goto('/');
  if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
  await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
  await page.getByLabel(d['signin.email']).fill(email);
  await page.getByLabel(d['signin.password'], { exact: true }).fill(password);
  await page.getByRole('button', { name: d['signin.submit'] }).click();
  await openFromMenu(page, d, link);
}

/** @param {import('playwright-core').Page} page @param {Record<string, string>} d @param {string} link */
async function openFromMenu(page, d, link) {
  const nav = page.getByRole('navigation', { name: d['staff.nav.label'] });
  await nav.waitFor();
  const menu = nav.getByRole('button', { name: d['staff.nav.menu'] });
  if (await menu.isVisible()) await menu.click();
  await nav.getByRole('link', { name: d[link], exact: true }).click();
}

describe('the demo research loop', () => {
  for (const [lang, viewport] of /** @type {const} */ ([['en', viewports[0]], ['es', viewports[1]], ['es', viewports[0]], ['en', viewports[1]]])) {
    it(`a meeting's notes and comments reach the coders, and its answers the finding (${lang}, ${viewport.name})`, async () => {
      const d = dictionary(lang);
      const facilitator = await openContext(suite.browser, suite.server.baseURL, viewport);
      const admin = await openContext(suite.browser, suite.server.baseURL, viewport);
      try {
        // The facilitator opens the past meeting and reads their notes.
        const f = facilitator.page;
        await signInAndOpen(f, d, lang, 'facilitator@demo.chorus.test', 'staff.nav.facilitator');
        await f.getByRole('heading', { level: 1, name: d['facilitator.title'] }).waitFor();
        await f.getByRole('link', { name: new RegExp(`^${meeting.replace('?', '\\?')}`) }).click();
        await f.getByText(d['facilitator.ended']).waitFor();
        const notes = f.getByRole('textbox', { name: d['facilitator.notes.label'], exact: true });
        await notes.waitFor();
        const kept = await notes.inputValue();
        assert.match(kept, /^About 14 people came/);
        assert.ok(!kept.includes('555'), `the notes kept a phone number: ${kept}`);
        // The comment question's saved results count the comments, not voters.
        await f.locator('#meeting-results article').filter({ hasText: fill(d['facilitator.round.comments'], { received: 6, approved: 5 }) })
          .filter({ hasText: d['facilitator.results.commentsShown'] }).waitFor();
        await assertAccessible(f, `${lang} demo meeting, ended`, { atLeast: 4 });
        await f.screenshot({ path: `${shots}/demo-meeting-${lang}-${viewport.name}.png`, fullPage: true });

        // The admin, a coder in the demo, finds the meeting's comments and
        // the notes among the texts to code.
        const a = admin.page;
        await signInAndOpen(a, d, lang, 'admin@demo.chorus.test', 'staff.nav.research');
        await a.getByRole('heading', { level: 1, name: d['staff.research.title'] }).waitFor();
        await a.getByLabel(d['staff.research.kind'], { exact: true }).selectOption('comment');
        await a.getByRole('button', { name: d['staff.research.show'] }).click();
        const items = a.locator('ol.excerpts li');
        await items.filter({ hasText: 'shelter' }).first().waitFor();
        assert.equal(await items.count(), 5, 'four approved comments and one redacted');
        assert.equal(await items.filter({ hasText: meeting }).count(), 5);
        assert.equal(await items.filter({ hasText: 'Maria' }).count(), 0, 'the redacted comment kept the name');
        assert.equal(await items.filter({ hasText: '[someone]' }).count(), 1, 'the redacted comment, as staff redacted it');
        await assertAccessible(a, `${lang} demo workspace, meeting comments`, { atLeast: 6 });
        await a.screenshot({ path: `${shots}/demo-comments-${lang}-${viewport.name}.png`, fullPage: true });
        await a.getByLabel(d['staff.research.kind'], { exact: true }).selectOption('notes');
        await a.getByRole('button', { name: d['staff.research.show'] }).click();
        await items.filter({ hasText: meeting }).filter({ hasText: d['staff.research.kind.notes'] }).waitFor();
        await a.waitForFunction(() => document.querySelectorAll('ol.excerpts li').length === 1);

        // The finding the meeting checked: the storefront's answers are the
        // kiosks' (21 agree) and the room's (11 agree) together.
        await openFromMenu(a, d, 'staff.nav.findings');
        await a.getByRole('heading', { level: 1, name: d['staff.findings.title'] }).waitFor();
        await a.getByRole('link', { name: lang === 'en' ? /^People look out for each other/ : /^Las personas se cuidan/ }).click();
        const table = a.getByRole('table', { name: d['staff.finding.checks.caption'] });
        await table.waitFor();
        const storefront = table.locator('tbody tr').filter({ hasText: 'Lower East Side storefront' });
        const cells = await storefront.locator('td').allTextContents();
        assert.equal(cells[0]?.trim(), '32', `storefront answers: ${JSON.stringify(cells)}`);
        await assertAccessible(a, `${lang} demo finding`, { atLeast: 4 });
        await table.scrollIntoViewIfNeeded();
        await a.screenshot({ path: `${shots}/demo-finding-${lang}-${viewport.name}.png` });
        assert.deepEqual(unexpected(facilitator.problems), []);
        assert.deepEqual(unexpected(admin.problems), []);
      } finally {
        await facilitator.context.close();
        await admin.context.close();
      }
    });
  }
});
