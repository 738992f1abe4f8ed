// The access model end to end, as the people who use it: an admin signs in,
// adds a site and a kiosk, and reads the one-time code off the screen; a
// tablet (a separate browser) enrolls with it and sends feedback; the admin
// turns the kiosk off and the tablet falls back to its set-up screen; the
// activity log shows what happened; a new facilitator gets a one-time
// password and must change it before anything else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dictionary, fill, openContext, unexpected } from './checks.mjs';
import { seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const en = dictionary('en');
const suite = useServerAndBrowser({ seed: seedAdmin });

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/**
 * Signs in through the form.
 * @param {import('playwright-core').Page} page
 * @param {string} email
 * @param {string} password
 */
async function signIn(page, email, password) {
  await page.getByLabel(en['signin.email']).fill(email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
}

/**
 * Calls the API from inside the tablet's page with its stored device token, as the kiosk app will.
 * @param {import('playwright-core').Page} tablet
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [request]
 * @returns {Promise<{ status: number, body: any }>}
 */
function kioskFetch(tablet, path, { method = 'GET', body } = {}) {
  return tablet.evaluate(
    async ({ path, method, body }) => {
      /** @type {Record<string, string>} */
      const headers = { Authorization: `Bearer ${localStorage.getItem('chorus.kiosk.token')}` };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Idempotency-Key'] = crypto.randomUUID();
      }
      const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { path, method, body },
  );
}

describe('access model', () => {
  it('an admin sets up a kiosk that a tablet enrolls with, sends feedback from, and loses when turned off', async () => {
    const admin = await openContext(suite.browser, suite.server.baseURL);
    const tablet = await openContext(suite.browser, suite.server.baseURL);
    const { page } = admin;
    try {
      // Not signed in: the staff pages send you to sign-in, which brings you back.
      await page.goto('/staff/sites');
      await h1(page, en['signin.title']);
      assert.equal(new URL(page.url()).search, '?next=%2Fstaff%2Fsites');

      // A wrong password gets the one generic answer.
      await signIn(page, testAdmin.email, 'not the password at all');
      const refused = page.getByRole('alert').filter({ hasText: en['signin.refused'] });
      await refused.waitFor();

      await signIn(page, testAdmin.email, testAdmin.password);
      await h1(page, en['staff.sites.title']);
      assert.equal(new URL(page.url()).pathname, '/staff/sites');
      await page.getByText(testAdmin.email).waitFor();
      assert.ok(await page.getByText(`(${en['staff.role.admin']})`).isVisible(), 'the role is shown');
      assert.ok(await page.getByRole('button', { name: en['staff.signOut'] }).isVisible());

      // A site.
      await page.getByLabel(en['staff.sites.name'], { exact: true }).fill('Storefront');
      await page.getByLabel(en['staff.sites.zone'], { exact: true }).selectOption('America/Chicago');
      await page.getByRole('button', { name: en['staff.sites.add'] }).click();
      await page.getByRole('rowheader', { name: 'Storefront' }).waitFor();
      await page.getByRole('status').filter({ hasText: fill(en['staff.sites.added'], { name: 'Storefront' }) }).waitFor();

      // A kiosk at that site; its one-time code shows on the page, with a QR code of the set-up link.
      await page.getByRole('navigation', { name: en['staff.nav.label'] }).getByRole('link', { name: en['staff.nav.kiosks'] }).click();
      await h1(page, en['staff.kiosks.title']);
      await page.getByLabel(en['staff.kiosks.name']).fill('Front desk tablet');
      await page.getByRole('button', { name: en['staff.kiosks.add'] }).click();
      const shown = page.locator('#enrollment-code');
      await shown.waitFor();
      const grouped = (await shown.textContent())?.trim() ?? '';
      assert.match(grouped, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'the code is shown as XXXX-XXXX');
      const qr = page.getByRole('img', { name: en['staff.kiosks.code.qrAlt'] });
      assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml/);
      assert.ok(await page.getByRole('timer').isVisible(), 'a countdown to expiry');
      const row = page.getByRole('row', { name: /Front desk tablet/ });
      await row.getByRole('cell', { name: en['staff.kiosks.status.waiting'] }).waitFor();

      // The tablet: typed in lower case with a space, as a person might.
      await tablet.page.goto('/kiosk');
      await h1(tablet.page, en['kiosk.enroll.title']);
      await tablet.page.getByLabel(en['kiosk.enroll.code']).fill(grouped.toLowerCase().replace('-', ' '));
      await tablet.page.getByRole('button', { name: en['kiosk.enroll.submit'] }).click();
      await h1(tablet.page, en['kiosk.ready.title']);
      await tablet.page.getByText(fill(en['kiosk.ready.site'], { site: 'Storefront' })).waitFor();
      await tablet.page.getByText(en['kiosk.ready.body']).waitFor();
      assert.equal(await tablet.page.getByRole('button').count(), 3, 'the language switch and Start: no dead buttons');

      // Its device token works for feedback.
      const submitted = await kioskFetch(tablet.page, '/api/v1/kiosk/submissions', {
        method: 'POST',
        body: { language: 'en', needs: ['naloxone', 'food'], priorities: ['naloxone'], strengths: [] },
      });
      assert.equal(submitted.status, 201, `submission answered ${JSON.stringify(submitted.body)}`);
      assert.equal(typeof submitted.body?.id, 'string');
      assert.ok(submitted.body.id.length > 0);

      // A reload keeps it set up, and opens the participant's flow at its first screen.
      await tablet.page.reload();
      await h1(tablet.page, en['kiosk.start.title']);

      // The admin sees it ready, then turns it off (after confirming).
      await page.reload();
      await h1(page, en['staff.kiosks.title']);
      await row.getByRole('cell', { name: en['staff.kiosks.status.ready'] }).waitFor();
      await row.getByRole('button', { name: `${en['staff.kiosks.off']} Front desk tablet` }).click();
      const dialog = page.getByRole('dialog', { name: fill(en['staff.kiosks.off.title'], { name: 'Front desk tablet' }) });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: en['staff.kiosks.off.confirm'] }).click();
      await page.getByRole('status').filter({ hasText: fill(en['staff.kiosks.off.done'], { name: 'Front desk tablet' }) }).waitFor();
      await row.getByRole('cell', { name: en['staff.kiosks.status.off'] }).waitFor();

      // The tablet is refused at once, and on reload forgets its token and asks to be set up again.
      const after = await kioskFetch(tablet.page, '/api/v1/kiosk/me');
      assert.equal(after.status, 401);
      await tablet.page.reload();
      await h1(tablet.page, en['kiosk.enroll.title']);
      await tablet.page.getByRole('alert').filter({ hasText: en['kiosk.enroll.turnedOff'] }).waitFor();
      assert.equal(await tablet.page.evaluate(() => localStorage.getItem('chorus.kiosk.token')), null);

      // The activity log shows the kiosk's story, and a filter lives in the address.
      await page.getByRole('link', { name: en['staff.nav.audit'] }).click();
      await h1(page, en['staff.audit.title']);
      const log = page.getByRole('table');
      for (const action of ['kiosk.created', 'kiosk.enrolled', 'kiosk.revoked', 'site.created', 'auth.signin']) {
        const entry = log.locator(`tr[data-action="${action}"]`).first();
        await entry.getByRole('cell', { name: en[`staff.audit.action.${action}`] }).waitFor();
      }
      const enrolled = log.locator('tr[data-action="kiosk.enrolled"]');
      assert.ok(await enrolled.getByText('name: Front desk tablet').isVisible());
      assert.ok(await enrolled.getByText(en['staff.audit.noActor']).isVisible(), 'a tablet, not a person, enrolled');
      await page.getByLabel(en['staff.audit.action'], { exact: true }).selectOption('kiosk.enrolled');
      await page.getByRole('button', { name: en['staff.audit.apply'] }).click();
      await page.waitForURL((url) => url.search === '?action=kiosk.enrolled');
      await page.getByRole('status').filter({ hasText: fill(en['staff.audit.count'], { count: 1 }) }).waitFor();
      assert.deepEqual(await log.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action'))), [
        'kiosk.enrolled',
      ]);
      // The same address opened afresh shows the same view.
      await page.reload();
      await page.getByRole('status').filter({ hasText: fill(en['staff.audit.count'], { count: 1 }) }).waitFor();
      assert.equal(await page.getByLabel(en['staff.audit.action'], { exact: true }).inputValue(), 'kiosk.enrolled');

      assert.deepEqual(unexpected(admin.problems), []);
      assert.deepEqual(unexpected(tablet.problems), []);
    } finally {
      await admin.context.close();
      await tablet.context.close();
    }
  });

  it('an admin gives a facilitator access with a one-time password, which must be changed first', async () => {
    const admin = await openContext(suite.browser, suite.server.baseURL);
    const newcomer = await openContext(suite.browser, suite.server.baseURL);
    const { page } = admin;
    try {
      await page.goto('/signin?next=/staff/users');
      await signIn(page, testAdmin.email, testAdmin.password);
      await h1(page, en['staff.people.title']);

      await page.getByLabel(en['staff.people.email']).fill('facilitator@example.org');
      await page.getByLabel(en['staff.people.role'], { exact: true }).selectOption('facilitator');
      await page.getByRole('button', { name: en['staff.people.add'], exact: true }).click();
      const secret = page.getByRole('group', { name: fill(en['staff.people.oneTime'], { email: 'facilitator@example.org' }) });
      await secret.waitFor();
      const oneTime = ((await secret.locator('code').textContent()) ?? '').trim();
      assert.ok(oneTime.length >= 12, `one-time password "${oneTime}"`);
      assert.ok(await secret.getByText(en['staff.people.oneTime.note']).isVisible());
      assert.ok(await secret.getByRole('button', { name: en['common.copy'] }).isVisible());
      assert.equal(await page.getByLabel('Role for facilitator@example.org').inputValue(), 'facilitator');

      // The last admin cannot stop being one; the server's reason is shown.
      await page.getByLabel(`Role for ${testAdmin.email}`).selectOption('staff');
      await page.getByRole('button', { name: `${en['staff.people.saveRole']} ${testAdmin.email}` }).click();
      await page.getByRole('alert').filter({ hasText: 'An organization needs at least one admin.' }).waitFor();

      // The newcomer must choose their own password before anything else.
      const other = newcomer.page;
      await other.goto('/signin');
      await signIn(other, 'facilitator@example.org', oneTime);
      await h1(other, en['staff.password.title']);
      await other.getByText(en['staff.password.mustChange']).waitFor();
      assert.equal(await other.getByRole('navigation', { name: en['staff.nav.label'] }).count(), 0);
      await other.goto('/staff/tokens');
      await h1(other, en['staff.password.title']);

      await other.getByLabel(en['staff.password.current']).fill(oneTime);
      await other.getByLabel(en['staff.password.new'], { exact: true }).fill('short');
      await other.getByLabel(en['staff.password.repeat']).fill('short');
      await other.getByRole('button', { name: en['staff.password.submit'] }).click();
      await other.getByRole('alert').filter({ hasText: fill(en['staff.password.tooShort'], { min: 12 }) }).waitFor();

      const chosen = 'a facilitator chose this';
      await other.getByLabel(en['staff.password.new'], { exact: true }).fill(chosen);
      await other.getByLabel(en['staff.password.repeat']).fill(chosen);
      await other.getByRole('button', { name: en['staff.password.submit'] }).click();
      // Every session ended, so they sign in again, and land where they were going.
      await h1(other, en['signin.title']);
      await other.getByText(en['signin.passwordChanged']).waitFor();
      await signIn(other, 'facilitator@example.org', chosen);
      await h1(other, en['staff.tokens.title']);

      // No admin tools for a facilitator, and an admin page says why.
      const nav = other.getByRole('navigation', { name: en['staff.nav.label'] });
      assert.ok(await nav.getByRole('link', { name: en['staff.nav.tokens'] }).isVisible());
      assert.equal(await nav.getByRole('link', { name: en['staff.nav.kiosks'] }).count(), 0);
      await other.goto('/staff/kiosks');
      await other.getByText(en['staff.adminOnly']).waitFor();

      // Signing out ends it.
      await other.getByRole('button', { name: en['staff.signOut'] }).click();
      await h1(other, en['signin.title']);
      await other.getByText(en['signin.signedOut']).waitFor();
      await other.goto('/staff');
      await h1(other, en['signin.title']);

      assert.deepEqual(unexpected(admin.problems), []);
      assert.deepEqual(unexpected(newcomer.problems), []);
    } finally {
      await admin.context.close();
      await newcomer.context.close();
    }
  });
});
