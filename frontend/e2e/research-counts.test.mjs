// Codes over time on the research admin page, on the demo program (coded
// texts at two sites, a blind sample both coders submitted): the admin
// chooses four codes with the keyboard, counts them, and reads one table
// of texts holding each code by month and one of texts holding two codes
// together; switching to one site changes the counts to that site's. The
// numbers match the API's. axe and 48×48 targets, in English on a phone
// and in Spanish on a tablet; screenshots in /tmp/shots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, useServerAndBrowser } from './harness.mjs';

const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });
const admin = { email: 'admin@demo.chorus.test', password: 'chorus-demo-password' };

const suite = useServerAndBrowser({
  seed: async (env) => {
    const demo = await runChorus(['demo', '--no-serve'], { DATABASE_URL: env.DATABASE_URL ?? '' });
    assert.equal(demo.code, 0, `demo: ${demo.stderr}`);
  },
});

/**
 * The cells of a table's body, row by row, as shown.
 * @param {import('playwright-core').Locator} table
 */
async function rows(table) {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.textContent?.trim() ?? '')),
  );
}

describe('codes over time', () => {
  for (const [lang, viewport] of /** @type {const} */ ([['en', viewports[1]], ['es', viewports[0]]])) {
    it(`counts codes by month and together (${lang}, ${viewport.name})`, async () => {
      const d = dictionary(lang);
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewport);
      try {
        await page.goto('/');
        if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
        await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
        await page.getByLabel(d['signin.email']).fill(admin.email);
        await page.getByLabel(d['signin.password'], { exact: true }).fill(admin.password);
        await page.getByRole('button', { name: d['signin.submit'] }).click();
        await page.getByRole('navigation', { name: d['staff.nav.label'] }).waitFor();
        await page.goto('/staff/research/manage');
        await page.getByRole('heading', { level: 1, name: d['staff.researchAdmin.title'] }).waitFor();

        const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: d['staff.researchCounts.title'] }) });
        const boxes = section.getByRole('group', { name: fill(d['staff.researchCounts.codes'], { max: 8 }) }).getByRole('checkbox');
        await boxes.first().waitFor();
        // The demo codes its sample with the second to fifth codes of the
        // default codebook, and a disagreement with the last.
        const total = await boxes.count();
        for (const i of [1, 2, 3, total - 1]) {
          await boxes.nth(i).focus();
          await page.keyboard.press('Space');
        }
        await section.getByRole('button', { name: d['staff.researchCounts.count'] }).focus();
        await page.keyboard.press('Enter');
        const codesTable = section.getByRole('table', { name: d['staff.researchCounts.codesCaption'] });
        const pairsTable = section.getByRole('table', { name: d['staff.researchCounts.pairsCaption'] });
        await codesTable.waitFor();
        await pairsTable.waitFor();
        const everywhere = await rows(codesTable);
        assert.equal(everywhere.length, 4);
        assert.equal((await rows(pairsTable)).length, 6);
        // The last column is every month: the same as the API's totals.
        const api = await page.evaluate(async (ids) => {
          const r = await fetch(`/api/v1/research/counts?pairs=1&code_ids=${ids.join(',')}`);
          return r.json();
        }, await boxes.evaluateAll((els) => els.filter((e) => /** @type {HTMLInputElement} */ (e).checked).map((e) => /** @type {HTMLInputElement} */ (e).value)));
        assert.deepEqual(everywhere.map((r) => Number(r.at(-1))).sort(), api.codes.map((/** @type {{ total: number }} */ c) => c.total).sort());
        assert.ok(everywhere.some((r) => Number(r.at(-1)) > 0), `no code counted: ${JSON.stringify(everywhere)}`);

        await assertAccessible(page, `${lang} codes over time`, { atLeast: 6 });
        await codesTable.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${shots}/research-counts-${lang}-${viewport.name}.png` });

        // One site: its own counts, which add up with the other's.
        const site = section.getByLabel(d['staff.research.site']);
        const names = await site.locator('option').allTextContents();
        const perSite = [];
        for (const name of names.slice(1)) {
          await site.selectOption({ label: name });
          perSite.push(await rows(codesTable));
        }
        for (let r = 0; r < everywhere.length; r++) {
          assert.equal(Number(perSite[0][r].at(-1)) + Number(perSite[1][r].at(-1)), Number(everywhere[r].at(-1)), `row ${r} by site`);
        }
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  }
});
