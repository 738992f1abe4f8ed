// The staff pages and the kiosk's set-up and ready screens pass axe-core's
// WCAG 2.2 A/AA rules and keep every target at least 48×48 CSS px, on a
// tablet and a phone, with real content on them: a site, a kiosk whose
// set-up code is showing, people with access, activity in the log.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const en = dictionary('en');
const es = dictionary('es');
const suite = useServerAndBrowser({ seed: seedAdmin });

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** A set-up code made in `before`, for the kiosk's ready screen. */
const codes = /** @type {string[]} */ ([]);

/**
 * @param {import('playwright-core').Page} page
 */
async function signInAsAdmin(page) {
  await page.goto('/signin');
  await page.getByLabel(en['signin.email']).fill(testAdmin.email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(testAdmin.password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
  await h1(page, en['staff.title']);
}

describe('accessibility of the staff pages and the kiosk set-up', () => {
  before(async () => {
    // Content for the pages: a site, and kiosks whose codes the tablet tests use.
    const { context, page } = await openContext(suite.browser, suite.server.baseURL);
    try {
      await signInAsAdmin(page);
      await page.goto('/staff/sites');
      await page.getByLabel(en['staff.sites.name'], { exact: true }).fill('Van on Route 9');
      await page.getByLabel(en['staff.sites.kind']).selectOption('mobile');
      await page.getByLabel(en['staff.sites.setting']).selectOption('rural');
      await page.getByRole('button', { name: en['staff.sites.add'] }).click();
      await page.getByRole('rowheader', { name: 'Van on Route 9' }).waitFor();
      await page.goto('/staff/kiosks');
      for (const viewport of viewports) {
        await page.getByLabel(en['staff.kiosks.name']).fill(`Van tablet (${viewport.name})`);
        await page.getByRole('button', { name: en['staff.kiosks.add'] }).click();
        await page.getByRole('heading', { level: 2, name: fill(en['staff.kiosks.code.title'], { name: `Van tablet (${viewport.name})` }) }).waitFor();
        codes.push(((await page.locator('#enrollment-code').textContent()) ?? '').trim());
      }
      await page.goto('/staff/users');
      await page.getByLabel(en['staff.people.email']).fill('policy@example.org');
      await page.getByLabel(en['staff.people.role'], { exact: true }).selectOption('policymaker');
      await page.getByRole('button', { name: en['staff.people.add'], exact: true }).click();
      await page.getByRole('rowheader', { name: 'policy@example.org' }).waitFor();
    } finally {
      await context.close();
    }
  });

  viewports.forEach((viewport, index) => {
    const label = (/** @type {string} */ what) => `${what}, ${viewport.name}`;

    it(`staff pages on a ${viewport.name} (${viewport.width}×${viewport.height})`, async () => {
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewport);
      try {
        await page.goto('/signin');
        await h1(page, en['signin.title']);
        await assertAccessible(page, label('/signin'), { atLeast: 5 });
        // The refused sign-in's error, shown and announced.
        await page.getByLabel(en['signin.email']).fill(testAdmin.email);
        await page.getByRole('button', { name: en['signin.submit'] }).click();
        await page.getByText(en['signin.password.missing']).waitFor();
        await assertAccessible(page, label('/signin with an error'), { atLeast: 5 });

        await signInAsAdmin(page);
        await assertAccessible(page, label('/staff'), { atLeast: 10 });

        await page.goto('/staff/sites');
        await page.getByRole('rowheader', { name: 'Van on Route 9' }).waitFor();
        await assertAccessible(page, label('/staff/sites'), { atLeast: 10 });

        await page.goto('/staff/kiosks');
        const kiosk = `Van tablet (${viewport.name})`;
        await page.getByRole('button', { name: `${en['staff.kiosks.newCode']} ${kiosk}` }).click();
        await page.locator('#enrollment-code').waitFor();
        // A new code cancels the kiosk's earlier ones: the tablet test uses this one.
        codes[index] = ((await page.locator('#enrollment-code').textContent()) ?? '').trim();
        await assertAccessible(page, label('/staff/kiosks with a set-up code'), { atLeast: 10 });
        await page.getByRole('button', { name: `${en['staff.kiosks.off']} ${kiosk}` }).click();
        await page.getByRole('dialog').waitFor();
        await assertAccessible(page, label('/staff/kiosks confirming'), { atLeast: 2 });
        await page.getByRole('dialog').getByRole('button', { name: en['common.cancel'] }).click();
        await page.getByRole('dialog').waitFor({ state: 'hidden' });

        await page.goto('/staff/users');
        await page.getByRole('rowheader', { name: 'policy@example.org' }).waitFor();
        await assertAccessible(page, label('/staff/users'), { atLeast: 10 });

        await page.goto('/staff/audit?action=kiosk.created');
        await page.locator('tr[data-action="kiosk.created"]').first().waitFor();
        await assertAccessible(page, label('/staff/audit'), { atLeast: 10 });

        for (const [path, title] of [
          ['/staff/settings', 'staff.settings.title'],
          ['/staff/tokens', 'staff.tokens.title'],
          ['/staff/password', 'staff.password.title'],
        ]) {
          await page.goto(path);
          await h1(page, en[title]);
          await page.locator('form').first().waitFor();
          await assertAccessible(page, label(path), { atLeast: 10 });
        }
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });

    it(`kiosk set-up and ready screens on a ${viewport.name}, in English and Español`, async () => {
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewport);
      try {
        await page.goto('/kiosk');
        await h1(page, en['kiosk.enroll.title']);
        await assertAccessible(page, label('/kiosk set-up'), { atLeast: 4 });

        await page.getByRole('button', { name: 'Español' }).click();
        await h1(page, es['kiosk.enroll.title']);
        await page.getByRole('button', { name: es['kiosk.enroll.submit'] }).click();
        await page.getByRole('alert').filter({ hasText: es['kiosk.enroll.missing'] }).waitFor();
        await assertAccessible(page, label('/kiosk set-up with an error, Español'), { atLeast: 4 });
        await page.getByRole('button', { name: 'English' }).click();

        // The set-up link from the QR code fills the code in and leaves no trace of it in the address.
        await page.goto(`/kiosk#enroll=${codes[index]}`);
        await h1(page, en['kiosk.enroll.title']);
        assert.equal(await page.getByLabel(en['kiosk.enroll.code']).inputValue(), codes[index]);
        assert.equal(new URL(page.url()).hash, '');
        await page.getByRole('button', { name: en['kiosk.enroll.submit'] }).click();
        await h1(page, en['kiosk.ready.title']);
        await page.getByText(fill(en['kiosk.ready.site'], { site: 'Van on Route 9' })).waitFor();
        await assertAccessible(page, label('/kiosk ready'), { atLeast: 2 });
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  });
});
