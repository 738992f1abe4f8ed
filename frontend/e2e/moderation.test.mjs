// Participants' words, from the staff side: texts sent from a kiosk wait in
// the moderation queue, already scrubbed; an admin approves one, redacts a
// name out of another (for good), rejects a third, and sees a colleague's
// decision win a race; a text with a watched word raises an alert that
// shows where and when but never the words; a new need with both labels
// reaches the kiosk, and a retired one leaves it; the watched words are
// edited in the program settings. The three pages pass axe and 48×48 targets.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const en = dictionary('en');
const site = 'Storefront';
/** The kiosk's device token, printed by `chorus admin kiosk add`. */
let kioskToken = '';

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    const db = { DATABASE_URL: env.DATABASE_URL ?? '' };
    const org = ['--org', testAdmin.org];
    const added = await runChorus(['admin', 'site', 'add', ...org, '--name', site, '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'], db);
    assert.equal(added.code, 0, added.stderr);
    const kiosk = await runChorus(['admin', 'kiosk', 'add', ...org, '--site', site], db);
    assert.equal(kiosk.code, 0, kiosk.stderr);
    kioskToken = kiosk.stdout.trim().split('\n').at(-1) ?? '';
    assert.ok(kioskToken.length > 20, `kiosk token "${kioskToken}"`);
  },
});

/** What the kiosk sends, as the kiosk app will: its device token and a fresh idempotency key. */
const texts = {
  approve: 'Evening hours would help me a lot.',
  redact: 'Ask Maria at the van, call 555-123-4567 for the new hours.',
  redacted: 'Ask [name] at the van, call [removed] for the new hours.',
  reject: 'This is only a test, please ignore it.',
  alert: 'There is a bad batch going around near the river.',
  race: 'More naloxone at the van, please.',
  watched: 'People are worried about pressed pills this week.',
};

/**
 * Calls the API as the kiosk, from Node.
 * @param {string} path
 * @param {unknown} [body] sent as a POST when given
 */
async function asKiosk(path, body) {
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${kioskToken}` };
  if (body !== undefined) Object.assign(headers, { 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/json' });
  const response = await fetch(new URL(path, suite.server.baseURL), {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** @param {string} text @param {boolean} [mayQuote] */
async function submit(text, mayQuote = true) {
  const sent = await asKiosk('/api/v1/kiosk/submissions', { language: 'en', text, may_quote: mayQuote });
  assert.equal(sent.status, 201, `submission answered ${JSON.stringify(sent.body)}`);
}

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** @param {import('playwright-core').Page} page @param {string} next */
async function signIn(page, next) {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel(en['signin.email']).fill(testAdmin.email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(testAdmin.password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
}

/** @param {import('playwright-core').Page} page @param {string} text */
const item = (page, text) => page.locator('article').filter({ hasText: text });

/** @param {import('playwright-core').Page} page @param {string} message */
const status = (page, message) => page.getByRole('status').filter({ hasText: message }).waitFor();

describe('moderation, alerts, needs and strengths', () => {
  it('an admin reads an alert, moderates texts, and edits needs and watched words', async () => {
    for (const [key, text] of Object.entries(texts)) {
      if (key !== 'redacted' && key !== 'watched') await submit(text, key !== 'reject');
    }
    const admin = await openContext(suite.browser, suite.server.baseURL);
    const colleague = await openContext(suite.browser, suite.server.baseURL);
    const { page } = admin;
    try {
      // The alert: where and which words, never the text; the badge counts it.
      await signIn(page, '/staff/alerts');
      await h1(page, en['staff.alerts.title']);
      assert.equal(await page.title(), `${en['staff.alerts.title']} – Chorus`);
      const row = page.getByRole('row').filter({ hasText: 'bad batch' });
      await row.waitFor();
      await row.getByRole('cell', { name: site, exact: true }).waitFor();
      assert.equal(await page.getByText('going around near the river').count(), 0, 'the alert never shows the text');
      const nav = page.getByRole('navigation', { name: en['staff.nav.label'] });
      await nav.getByRole('link', { name: fill(en['staff.nav.alerts.count'], { count: 1 }) }).waitFor();
      await assertAccessible(page, '/staff/alerts', { atLeast: 10 });

      // The alert opens its own text (e2e/alerts.test.mjs follows it through a long queue).
      await row.getByRole('link', { name: en['staff.alerts.open'] }).click();
      await h1(page, en['staff.moderation.title']);
      await page.getByText(en['staff.moderation.alertText']).waitFor();
      await item(page, texts.alert).waitFor();
      assert.equal(await page.locator('article[data-text-id]').count(), 1);

      // The queue: scrubbed texts, oldest first, with whether each may be quoted.
      await page.getByRole('navigation', { name: en['staff.moderation.tabs'] }).getByRole('link', { name: en['staff.moderation.tab.pending'] }).click();
      assert.equal(await page.title(), `${en['staff.moderation.title']} – Chorus`);
      await page.getByText(fill(en['staff.moderation.count.pending'], { count: 5 })).waitFor();
      await item(page, 'Ask Maria at the van, call [removed]').waitFor();
      assert.equal(await page.getByText('555-123-4567').count(), 0, 'the phone number was scrubbed before it was stored');
      await item(page, texts.reject).getByText(en['staff.moderation.noQuote']).waitFor();
      await item(page, texts.approve).getByText(en['staff.moderation.mayQuote']).waitFor();
      await assertAccessible(page, '/staff/moderation', { atLeast: 15 });

      // Approve.
      await item(page, texts.approve).getByRole('button', { name: en['staff.moderation.approve'] }).click();
      await status(page, en['staff.moderation.done.approve'].split(':')[0]);
      await page.getByText(fill(en['staff.moderation.count.pending'], { count: 4 })).waitFor();
      assert.equal(await item(page, texts.approve).count(), 0);
      assert.ok(await page.evaluate(() => document.activeElement?.tagName === 'H2'), 'focus moves to the next text');

      // Redact: the editor starts with the text; an unchanged text is not sent.
      // The text leaves the page's words while it is in the editor, so the item is held by its id.
      const redactId = await item(page, 'Ask Maria').getAttribute('data-text-id');
      const redacting = page.locator(`article[data-text-id="${redactId}"]`);
      await redacting.getByRole('button', { name: en['staff.moderation.redact'] }).click();
      const box = redacting.getByLabel(en['staff.moderation.redact.label']);
      assert.ok(await box.evaluate((el) => el === document.activeElement), 'the editor has focus');
      assert.equal(await box.inputValue(), 'Ask Maria at the van, call [removed] for the new hours.');
      await redacting.getByRole('button', { name: en['staff.moderation.redact.save'] }).click();
      await redacting.getByRole('alert').filter({ hasText: en['staff.moderation.redact.unchanged'] }).waitFor();
      await assertAccessible(page, '/staff/moderation redacting, with an error', { atLeast: 15 });
      await box.fill(texts.redacted);
      await redacting.getByRole('button', { name: en['staff.moderation.redact.save'] }).click();
      await status(page, en['staff.moderation.done.redact'].split(':')[0]);

      // Reject, after confirming.
      await item(page, texts.reject).getByRole('button', { name: en['staff.moderation.reject'] }).click();
      const dialog = page.getByRole('dialog', { name: en['staff.moderation.reject.title'] });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: en['staff.moderation.reject.confirm'] }).click();
      await status(page, en['staff.moderation.done.reject'].split(':')[0]);
      await page.getByText(fill(en['staff.moderation.count.pending'], { count: 2 })).waitFor();

      // A colleague decides first; this page says so and catches up.
      await signIn(colleague.page, '/staff/moderation');
      await item(colleague.page, texts.race).getByRole('button', { name: en['staff.moderation.approve'] }).click();
      await status(colleague.page, en['staff.moderation.done.approve'].split(':')[0]);
      await item(page, texts.race).getByRole('button', { name: en['staff.moderation.approve'] }).click();
      await page.getByRole('alert').filter({ hasText: 'Someone else already moderated' }).waitFor();
      await page.getByText(fill(en['staff.moderation.count.pending'], { count: 1 })).waitFor();
      assert.equal(await item(page, texts.race).count(), 0);

      // The approved tab, in the address: approved and redacted texts; the removed name is gone for good.
      await page.getByRole('navigation', { name: en['staff.moderation.tabs'] }).getByRole('link', { name: en['staff.moderation.tab.approved'] }).click();
      await page.waitForURL((url) => url.search === '?state=approved');
      await page.reload();
      await h1(page, en['staff.moderation.title']);
      await page.getByText(fill(en['staff.moderation.count.approved'], { count: 3 })).waitFor();
      await item(page, texts.redacted).getByText(en['staff.moderation.decided.redacted'].split(' {')[0]).waitFor();
      await item(page, texts.approve).waitFor();
      await item(page, texts.race).waitFor();
      assert.equal(await page.getByText('Maria').count(), 0, 'the redacted name is gone');
      assert.equal(await page.getByRole('button', { name: en['staff.moderation.approve'] }).count(), 0, 'decided texts have no actions');
      await assertAccessible(page, '/staff/moderation?state=approved', { atLeast: 10 });

      await page.goto('/staff/moderation?state=rejected');
      await item(page, texts.reject).getByText(en['staff.moderation.decided.rejected'].split(' {')[0]).waitFor();

      // A new need, with both labels, reaches the kiosk; retired, it leaves it.
      await page.goto('/staff/categories');
      await h1(page, en['staff.categories.title']);
      assert.equal(await page.title(), `${en['staff.categories.title']} – Chorus`);
      await page.getByRole('rowheader', { name: /Naloxone/ }).waitFor();
      await assertAccessible(page, '/staff/categories', { atLeast: 30 });
      const add = fill(en['staff.categories.add'], { kind: en['staff.categories.need'] });
      await page.getByLabel(en['staff.categories.label.en']).fill('Hot meals');
      await page.getByRole('button', { name: add }).click();
      await page.getByRole('alert').filter({ hasText: en['staff.categories.label.missing'] }).waitFor();
      assert.equal(await page.getByLabel(en['staff.categories.code'], { exact: true }).inputValue(), 'hot_meals', 'a code is offered');
      await page.getByLabel(en['staff.categories.label.es']).fill('Comida caliente');
      await page.getByLabel(en['staff.categories.icon'], { exact: true }).selectOption('food');
      await page.getByRole('button', { name: add }).click();
      await status(page, fill(en['staff.categories.added'], { label: 'Hot meals' }));
      const hot = page.locator('tr[data-code="hot_meals"]');
      await hot.getByRole('cell', { name: 'Comida caliente' }).waitFor();

      let config = await asKiosk('/api/v1/kiosk/config');
      assert.equal(config.status, 200);
      const need = config.body.needs.find((/** @type {{ code: string }} */ n) => n.code === 'hot_meals');
      assert.deepEqual(need && { icon: need.icon, label: need.label }, { icon: 'food', label: { en: 'Hot meals', es: 'Comida caliente' } });
      assert.equal(config.body.needs.at(-1).code, 'hot_meals', 'a new need comes last');

      // Moved up one place, with focus kept on its button.
      await hot.getByRole('button', { name: en['staff.categories.up'] }).click();
      await status(page, fill(en['staff.categories.moved'], { label: 'Hot meals', place: config.body.needs.length - 1 }));
      assert.equal(await page.evaluate(() => document.activeElement?.id.startsWith('move-up-')), true);
      config = await asKiosk('/api/v1/kiosk/config');
      assert.equal(config.body.needs.at(-2).code, 'hot_meals');

      // Both labels can change later; the code cannot.
      await hot.getByRole('button', { name: en['staff.edit'] }).click();
      await page.getByRole('heading', { level: 2, name: fill(en['staff.categories.editTitle'], { label: 'Hot meals' }) }).waitFor();
      await page.getByText(fill(en['staff.categories.codeFixed'], { code: 'hot_meals' })).waitFor();
      await page.getByLabel(en['staff.categories.label.es']).fill('Comidas calientes');
      await page.getByRole('button', { name: en['staff.categories.save'] }).click();
      await status(page, fill(en['staff.categories.saved'], { label: 'Hot meals' }));
      await hot.getByRole('cell', { name: 'Comidas calientes' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id.startsWith('edit-')), true, 'focus back on Edit');

      await hot.getByRole('checkbox', { name: fill(en['staff.categories.offeredFor'], { label: 'Hot meals' }) }).uncheck();
      await status(page, fill(en['staff.categories.retired'], { label: 'Hot meals' }));
      config = await asKiosk('/api/v1/kiosk/config');
      assert.equal(config.body.needs.some((/** @type {{ code: string }} */ n) => n.code === 'hot_meals'), false, 'retired');

      // Watched words: a new one raises an alert for the next text that has it.
      await page.goto('/staff/settings');
      const words = page.getByLabel(en['staff.urgent.label'], { exact: true });
      await words.waitFor();
      assert.match(await words.inputValue(), /^bad batch$/m);
      await words.fill(`${await words.inputValue()}\nPressed  Pills`);
      await page.getByRole('button', { name: en['staff.urgent.save'] }).click();
      await page.getByRole('status').filter({ hasText: en['staff.urgent.saved'].split(':')[0] }).waitFor();
      assert.match(await words.inputValue(), /^pressed pills$/m);
      await assertAccessible(page, '/staff/settings with watched words', { atLeast: 10 });
      await submit(texts.watched);
      await page.goto('/staff/alerts');
      await page.getByRole('row').filter({ hasText: 'pressed pills' }).waitFor();
      await nav.getByRole('link', { name: fill(en['staff.nav.alerts.count'], { count: 2 }) }).waitFor();

      assert.deepEqual(unexpected(admin.problems), []);
      assert.deepEqual(unexpected(colleague.problems), []);
    } finally {
      await admin.context.close();
      await colleague.context.close();
    }
  });

  it('the three pages pass axe and 48×48 targets on a phone, and a facilitator is kept out', async () => {
    const phone = viewports.find((viewport) => viewport.name === 'phone');
    const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, phone);
    try {
      await signIn(page, '/staff/moderation');
      await h1(page, en['staff.moderation.title']);
      await page.locator('article').first().waitFor();
      await assertAccessible(page, '/staff/moderation, phone', { atLeast: 10 });
      await page.goto('/staff/alerts');
      await page.getByRole('row').filter({ hasText: 'bad batch' }).waitFor();
      await assertAccessible(page, '/staff/alerts, phone', { atLeast: 10 });
      await page.goto('/staff/categories?kind=strength');
      await page.locator('tr[data-code="naloxone_carry"]').waitFor();
      await assertAccessible(page, '/staff/categories?kind=strength, phone', { atLeast: 20 });
      assert.deepEqual(unexpected(problems), []);
    } finally {
      await context.close();
    }

    // A facilitator never sees participants' words: no menu entry, and the page says why.
    const added = await runChorus(['admin', 'user', 'add', '--org', testAdmin.org, '--email', 'peer@example.org', '--role', 'facilitator'], {
      DATABASE_URL: suite.server.env.DATABASE_URL ?? '',
      CHORUS_ADMIN_PASSWORD: 'a peer facilitator password',
    });
    assert.equal(added.code, 0, added.stderr);
    const peer = await openContext(suite.browser, suite.server.baseURL);
    try {
      await peer.page.goto('/signin?next=/staff/moderation');
      await peer.page.getByLabel(en['signin.email']).fill('peer@example.org');
      await peer.page.getByLabel(en['signin.password'], { exact: true }).fill('a peer facilitator password');
      await peer.page.getByRole('button', { name: en['signin.submit'] }).click();
      await h1(peer.page, en['staff.moderation.title']);
      await peer.page.getByText(en['staff.moderatorsOnly']).waitFor();
      const nav = peer.page.getByRole('navigation', { name: en['staff.nav.label'] });
      assert.equal(await nav.getByRole('link', { name: en['staff.nav.moderation'] }).count(), 0);
      assert.equal(await nav.getByRole('link', { name: en['staff.nav.alerts'] }).count(), 0);
      assert.equal(await peer.page.locator('article').count(), 0);
      await assertAccessible(peer.page, '/staff/moderation, facilitator', { atLeast: 5 });
    } finally {
      await peer.context.close();
    }
  });
});
