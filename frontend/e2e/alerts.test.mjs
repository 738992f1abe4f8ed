// An urgent alert opens the text it was raised for, not the top of a queue
// of 74 that lists the oldest first. A staff member
// starts at the front door (no typed address), signs in, follows the menu to
// the alerts and opens the one about an overdose: the text shown is that
// one, and no other. Each page passes axe and 48×48 targets, in English on
// the tablet and in Spanish on a phone.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const staffMember = { email: 'staff@example.org', password: 'another long password' };
const urgent = 'Someone had an overdose behind the store last night.';
const queueLength = 74;
/** The kiosk's device token, printed by `chorus admin kiosk add`. */
let kioskToken = '';

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    const db = { DATABASE_URL: env.DATABASE_URL ?? '' };
    const org = ['--org', testAdmin.org];
    const steps = [
      ['site', 'add', ...org, '--name', 'Storefront', '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'],
      ['user', 'add', ...org, '--email', staffMember.email, '--role', 'staff'],
      ['kiosk', 'add', ...org, '--site', 'Storefront'],
    ];
    for (const args of steps) {
      const done = await runChorus(['admin', ...args], { ...db, CHORUS_ADMIN_PASSWORD: staffMember.password });
      assert.equal(done.code, 0, done.stderr);
      if (args[0] === 'kiosk') kioskToken = done.stdout.trim().split('\n').at(-1) ?? '';
    }
  },
});

/**
 * Sends texts as the kiosk does when it comes back online: one batch, each with its own idempotency key.
 * @param {string[]} bodies
 */
async function submitAll(bodies) {
  const items = bodies.map((text) => ({ idempotency_key: randomUUID(), submission: { language: 'en', text } }));
  const sent = await fetch(new URL('/api/v1/kiosk/submissions:batch', suite.server.baseURL), {
    method: 'POST',
    headers: { Authorization: `Bearer ${kioskToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  const answer = await sent.text();
  assert.equal(sent.status, 200, answer);
  const { results } = JSON.parse(answer);
  assert.deepEqual(new Set(results.map((/** @type {{ status: number }} */ r) => r.status)), new Set([201]));
}

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

describe('an urgent alert', () => {
  it('opens the text it was raised for, reached from the front door', async () => {
    await submitAll([...Array.from({ length: queueLength - 1 }, (_, i) => `More evening hours, please (${i + 1}).`), urgent]);

    for (const [lang, viewport] of /** @type {const} */ ([['en', viewports[0]], ['es', viewports[1]]])) {
      const d = dictionary(lang);
      const visitor = await openContext(suite.browser, suite.server.baseURL, viewport);
      const { page } = visitor;
      const label = `${lang} ${viewport.name}`;
      try {
        await page.goto('/');
        if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
        await h1(page, d['home.title']);
        await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
        await page.getByLabel(d['signin.email']).fill(staffMember.email);
        await page.getByLabel(d['signin.password'], { exact: true }).fill(staffMember.password);
        await page.getByRole('button', { name: d['signin.submit'] }).click();

        // The menu counts the alert; the inbox tells where and which words, never the text.
        const nav = page.getByRole('navigation', { name: d['staff.nav.label'] });
        await nav.waitFor();
        // On a phone the menu is folded behind one button.
        const menu = nav.getByRole('button', { name: d['staff.nav.menu'] });
        if (await menu.isVisible()) await menu.click();
        await nav.getByRole('link', { name: d['staff.nav.alerts'] }).filter({ hasText: fill(d['staff.nav.alerts.count'], { count: 1 }) }).click();
        await h1(page, d['staff.alerts.title']);
        const row = page.getByRole('row').filter({ hasText: 'overdose' });
        await row.waitFor();
        assert.equal(await page.getByText('behind the store').count(), 0, 'the alert never shows the text');
        await assertAccessible(page, `${label} alerts`, { atLeast: 4 });

        // The text itself, not the top of a queue sorted oldest first.
        await row.getByRole('link', { name: new RegExp(`^${d['staff.alerts.open']}`) }).click();
        await h1(page, d['staff.moderation.title']);
        await page.getByText(d['staff.moderation.alertText']).waitFor();
        const texts = page.locator('article[data-text-id]');
        await texts.filter({ hasText: urgent }).waitFor();
        assert.equal(await texts.count(), 1, 'only the alert’s text is shown');
        assert.equal(await page.getByText('More evening hours').count(), 0);
        assert.equal(await page.locator('a[aria-current="page"]').filter({ hasText: d['staff.moderation.tab.pending'] }).count(), 0);
        await assertAccessible(page, `${label} the alert's text`, { atLeast: 4 });
        assert.deepEqual(unexpected(visitor.problems), [], label);
      } finally {
        await visitor.context.close();
      }
    }
  });
});
