// A facilitator's notes on a meeting become a text to code. A peer
// facilitator starts a meeting and writes notes with a phone number in
// them; notes over the limit are refused with a clear message and not
// saved; the notes are saved with the button and again with Ctrl+Enter,
// and the box then shows them without the number. A coder (the admin)
// picks "Facilitators' notes" in the coding workspace, sees the meeting's
// notes with its site and day and without the number, and codes them;
// the facilitator's console then shows them locked. Axe and 48×48 targets,
// in English on a tablet and in Spanish on a phone; screenshots go to
// /tmp/shots for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertAccessible, becomeCoder, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { testAdmin, useServerAndBrowser } from './harness.mjs';
import { peer, seedMeetingRoom, site } from './live-setup.mjs';

const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });

const suite = useServerAndBrowser({ seed: seedMeetingRoom });

/**
 * Signs in from the front door in lang, then opens path.
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d
 * @param {string} lang
 * @param {{ email: string, password: string }} who
 */
async function signIn(page, d, lang, who) {
  await page.goto('/');
  if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
  await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
  await page.getByLabel(d['signin.email']).fill(who.email);
  await page.getByLabel(d['signin.password'], { exact: true }).fill(who.password);
  await page.getByRole('button', { name: d['signin.submit'] }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

describe("a facilitator's session notes", () => {
  for (const [lang, viewport] of /** @type {const} */ ([['en', viewports[0]], ['es', viewports[1]]])) {
    it(`are saved scrubbed, coded in the workspace, then locked (${lang}, ${viewport.name})`, async () => {
      const d = dictionary(lang);
      const title = `Van meeting ${lang}`;
      const facilitator = await openContext(suite.browser, suite.server.baseURL, viewport);
      const coder = await openContext(suite.browser, suite.server.baseURL, viewport);
      try {
        // The facilitator starts a meeting.
        const f = facilitator.page;
        await signIn(f, d, lang, peer);
        await f.goto('/facilitator');
        await f.getByRole('heading', { level: 1, name: d['facilitator.title'] }).waitFor();
        await f.getByLabel(d['facilitator.site']).selectOption({ label: site });
        await f.getByLabel(d['facilitator.name']).fill(title);
        await f.getByRole('button', { name: d['facilitator.create'] }).click();
        await f.waitForURL(/\/facilitator\?session=/);
        const box = f.getByRole('textbox', { name: d['facilitator.notes.label'], exact: true });
        await box.waitFor();

        // Too long: a clear message, and nothing is saved.
        await box.fill('a'.repeat(20001));
        await f.getByRole('button', { name: d['facilitator.notes.save'] }).click();
        await f.getByRole('alert').filter({ hasText: fill(d['facilitator.notes.tooLong'], { over: 1, max: (20000).toLocaleString(lang) }) }).waitFor();
        assert.equal(await box.getAttribute('aria-invalid'), 'true');
        await f.reload();
        await box.waitFor();
        assert.equal(await box.inputValue(), '', 'over-long notes were saved');

        // Notes with a phone number, saved with the button: the box shows what was kept.
        await box.fill('People asked for more sterile supplies at the van.');
        await f.getByRole('button', { name: d['facilitator.notes.save'] }).click();
        await f.getByRole('status').filter({ hasText: d['facilitator.notes.saved'] }).waitFor();
        // More, saved from the keyboard alone.
        await box.focus();
        await f.keyboard.press('Control+End');
        await f.keyboard.type('\nOne person said: text me at (503) 555-0142.');
        await f.keyboard.press('Control+Enter');
        await f.getByRole('status').filter({ hasText: fill(d['facilitator.notes.savedRemoved'], { count: 1 }) }).waitFor();
        const kept = await box.inputValue();
        assert.ok(kept.startsWith('People asked for more sterile supplies at the van.\nOne person said: text me at'), kept);
        assert.ok(!kept.includes('555'), `the phone number was kept: ${kept}`);
        await assertAccessible(f, `${lang} facilitator console with notes`, { atLeast: 8 });
        await box.scrollIntoViewIfNeeded();
        await f.screenshot({ path: `${shots}/session-notes-console-${lang}-${viewport.name}.png` });

        // A coder finds the notes in the workspace, by their kind of source.
        const c = coder.page;
        await signIn(c, d, lang, testAdmin);
        await c.goto('/staff/research/manage');
        await c.getByRole('heading', { level: 1, name: d['staff.researchAdmin.title'] }).waitFor();
        await becomeCoder(c, d, testAdmin.email);
        await c.goto('/staff/research');
        await c.getByRole('heading', { level: 1, name: d['staff.research.title'] }).waitFor();
        await c.getByLabel(d['staff.research.kind'], { exact: true }).selectOption('notes');
        await c.getByRole('button', { name: d['staff.research.show'] }).click();
        const item = c.locator('ol.excerpts li').filter({ hasText: title });
        await item.waitFor();
        await item.getByText(d['staff.research.kind.notes']).waitFor();
        await item.getByText(site).waitFor();
        assert.equal(await c.locator('ol.excerpts li').filter({ hasNotText: d['staff.research.kind.notes'] }).count(), 0, 'other kinds listed');
        await item.getByRole('button', { name: new RegExp(`^${d['staff.research.open']}`) }).click();
        const text = await c.locator('#research-excerpt').inputValue();
        assert.equal(text, kept);
        await c.locator('.coding .meta').filter({ hasText: `${d['staff.research.kind.notes']}: ${title}` }).waitFor();
        await assertAccessible(c, `${lang} workspace with session notes`, { atLeast: 8 });
        await c.screenshot({ path: `${shots}/session-notes-workspace-${lang}-${viewport.name}.png`, fullPage: true });

        // The coder codes them (a number key applies the first listed code).
        await c.locator('#research-excerpt').focus();
        await c.keyboard.press('1');
        await c.locator('ul.applied li').first().waitFor();

        // The console now shows them locked: no Save, the words stay.
        await f.reload();
        await box.waitFor();
        await f.getByText(d['facilitator.notes.locked']).waitFor();
        assert.equal(await f.getByRole('button', { name: d['facilitator.notes.save'] }).count(), 0);
        assert.equal(await box.getAttribute('readonly'), '');
        assert.equal(await box.inputValue(), kept);
        await assertAccessible(f, `${lang} console with locked notes`, { atLeast: 8 });
        await box.scrollIntoViewIfNeeded();
        await f.screenshot({ path: `${shots}/session-notes-locked-${lang}-${viewport.name}.png` });
        assert.deepEqual(unexpected(facilitator.problems), []);
        assert.deepEqual(unexpected(coder.problems), []);
      } finally {
        await facilitator.context.close();
        await coder.context.close();
      }
    });
  }
});
