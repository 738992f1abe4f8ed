// What changed in the codebook, on the research admin page: a code is
// renamed and given a new definition (through the API, as the codebook
// editor will), and the page shows the latest version's change in plain
// words, then any two versions the admin picks with the keyboard. axe and
// 48×48 targets, in English on a phone and in Spanish on a tablet;
// screenshots in /tmp/shots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });

const suite = useServerAndBrowser({ seed: seedAdmin });

/**
 * Renames the codebook's n-th code and gives it a definition, as the signed-in admin.
 * @param {import('playwright-core').Page} page
 * @param {string} lang the language the name before is read in
 * @param {number} n
 * @param {string} name
 * @param {string} definition
 * @returns {Promise<string>} the code's name before
 */
async function editCode(page, lang, n, name, definition) {
  return page.evaluate(
    async ({ lang, n, name, definition }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const books = (await (await fetch('/api/v1/research/codebooks')).json()).codebooks;
      const code = books[0].codes[n];
      const r = await fetch(`/api/v1/research/codes/${code.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify({ parent_id: code.parent_id, name: { en: name, es: name }, definition: { en: definition, es: definition }, colour: code.colour }),
      });
      if (!r.ok) throw new Error(`edit: ${r.status} ${await r.text()}`);
      return code.name[lang] || code.name.en;
    },
    { lang, n, name, definition },
  );
}

describe('what changed in the codebook', () => {
  for (const [lang, viewport, n] of /** @type {const} */ ([['en', viewports[1], 3], ['es', viewports[0], 4]])) {
    it(`shows a renamed code between versions (${lang}, ${viewport.name})`, async () => {
      const d = dictionary(lang);
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewport);
      try {
        await page.goto('/');
        if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
        await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
        await page.getByLabel(d['signin.email']).fill(testAdmin.email);
        await page.getByLabel(d['signin.password'], { exact: true }).fill(testAdmin.password);
        await page.getByRole('button', { name: d['signin.submit'] }).click();
        await page.getByRole('navigation', { name: d['staff.nav.label'] }).waitFor();
        await page.goto('/staff/research/manage');
        await page.getByRole('heading', { level: 1, name: d['staff.researchAdmin.title'] }).waitFor();
        const before = await editCode(page, lang, n, `Peer care ${lang}`, `Looking after peers (${lang}).`);
        await page.reload();

        const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: d['staff.codebookChanges.title'] }) });
        // The latest version's change, by default.
        await section.getByText(fill(d['staff.codebookChanges.renamed'], { before, after: `Peer care ${lang}` })).waitFor();
        await section.getByText(fill(d['staff.codebookChanges.now'], { text: `Looking after peers (${lang}).` })).waitFor();
        assert.equal(await section.locator('li li').filter({ hasText: d['staff.codebookChanges.field.definition'] }).count(), 1);

        // From the empty codebook to the latest: every code added, nothing renamed.
        const from = section.getByLabel(d['staff.codebookChanges.from']);
        await from.focus();
        await from.selectOption('0');
        await section.getByRole('button', { name: d['staff.codebookChanges.compare'] }).focus();
        await page.keyboard.press('Enter');
        await section.getByText(fill(d['staff.codebookChanges.added'], { name: `Peer care ${lang}` })).waitFor();
        assert.equal(await section.getByText(fill(d['staff.codebookChanges.renamed'], { before, after: `Peer care ${lang}` })).count(), 0);

        // Back to the latest change, for the screenshot.
        await from.selectOption({ index: (await from.locator('option').count()) - 2 });
        await section.getByRole('button', { name: d['staff.codebookChanges.compare'] }).click();
        await section.getByText(fill(d['staff.codebookChanges.renamed'], { before, after: `Peer care ${lang}` })).waitFor();
        await assertAccessible(page, `${lang} codebook changes`, { atLeast: 6 });
        await section.scrollIntoViewIfNeeded();
        await section.getByRole('heading', { level: 3 }).scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${shots}/research-codebook-${lang}-${viewport.name}.png` });
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  }
});
