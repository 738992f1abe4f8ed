// Routed summaries, end to end: an admin adds a webhook (its secret shown
// once), an urgent-word rule and a weekly digest through the staff pages; a
// kiosk text with an urgent word reaches a real SMTP server (multipart, in
// the recipient's language) and a real HTTP receiver with a valid HMAC
// signature; "Send a test now" brings the weekly digest the same way; the
// log shows both. The three pages pass axe and 48×48 targets.
import assert from 'node:assert/strict';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { assertAccessible, dictionary, openContext, unexpected } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const en = dictionary('en');
const site = 'Storefront';
const waitMs = 15_000;

/**
 * @typedef {{ to: string[], subject: string, text: string, html: string, language: string, type: string }} Mail
 * @typedef {{ body: any, valid: boolean, delivery: string }} Hook
 */

/** @type {Mail[]} */
const mails = [];
/** @type {Hook[]} */
const hooks = [];
/** The webhook's secret, read from the page when it is shown once. */
let secret = '';
let kioskToken = '';

// A real SMTP server: no TLS, no sign-in; it keeps each message, parsed.
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((/** @type {any} */ mail) => {
        const contentType = mail.headers.get('content-type');
        mails.push({
          to: session.envelope.rcptTo.map((/** @type {{ address: string }} */ r) => r.address),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
          language: String(mail.headers.get('content-language') ?? ''),
          type: typeof contentType === 'object' ? contentType.value : String(contentType),
        });
        callback();
      })
      .catch(callback);
  },
});

// A real HTTP receiver that checks X-Chorus-Signature as docs/delivery.md says.
const receiver = createServer((request, response) => {
  /** @type {Buffer[]} */
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const raw = Buffer.concat(chunks);
    const ts = String(request.headers['x-chorus-timestamp'] ?? '');
    const got = String(request.headers['x-chorus-signature'] ?? '');
    const want = 'sha256=' + createHmac('sha256', secret).update(`${ts}.`).update(raw).digest('hex');
    const fresh = /^\d+$/.test(ts) && Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
    const valid = fresh && got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
    hooks.push({ body: JSON.parse(raw.toString('utf8')), valid, delivery: String(request.headers['x-chorus-delivery'] ?? '') });
    response.writeHead(valid ? 204 : 401).end();
  });
});

/** @type {Record<string, string>} */
const env = {};

before(async () => {
  await new Promise((resolve) => smtp.listen(0, '127.0.0.1', () => resolve(undefined)));
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (smtp.server.address());
  env.CHORUS_SMTP_URL = `smtp://127.0.0.1:${address.port}`;
  env.CHORUS_SMTP_FROM = 'chorus@example.org';
});

after(async () => {
  await new Promise((resolve) => smtp.close(() => resolve(undefined)));
  await new Promise((resolve) => receiver.close(() => resolve(undefined)));
});

// Registered after the hook above, so the server starts with CHORUS_SMTP_URL set.
const suite = useServerAndBrowser({
  env,
  seed: async (serverEnv) => {
    await seedAdmin(serverEnv);
    const db = { DATABASE_URL: serverEnv.DATABASE_URL ?? '' };
    const org = ['--org', testAdmin.org];
    const added = await runChorus(['admin', 'site', 'add', ...org, '--name', site, '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'], db);
    assert.equal(added.code, 0, added.stderr);
    const kiosk = await runChorus(['admin', 'kiosk', 'add', ...org, '--site', site], db);
    assert.equal(kiosk.code, 0, kiosk.stderr);
    kioskToken = kiosk.stdout.trim().split('\n').at(-1) ?? '';
  },
});

/**
 * Waits until find returns something, or fails with what arrived.
 * @template T
 * @param {string} what
 * @param {() => T | undefined} find
 * @returns {Promise<T>}
 */
async function arrives(what, find) {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seen = JSON.stringify({ mails: mails.map((m) => [m.to, m.subject]), hooks: hooks.map((h) => h.body?.event) });
  throw new Error(`${what} did not arrive in ${waitMs} ms; so far: ${seen}\n--- server ---\n${suite.server.logs()}`);
}

/** @param {string} address @param {string} subject */
const mailTo = (address, subject) => () => mails.find((m) => m.to.includes(address) && m.subject.includes(subject));

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** @param {import('playwright-core').Page} page @param {string} message */
const status = (page, message) => page.getByRole('status').filter({ hasText: message }).first().waitFor();

describe('routed summaries', () => {
  it('an admin sets up an urgent-word rule and a weekly digest, and both arrive by e-mail and signed webhook', async () => {
    const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL);
    try {
      await page.goto('/signin?next=%2Fstaff%2Fwebhooks');
      await page.getByLabel(en['signin.email']).fill(testAdmin.email);
      await page.getByLabel(en['signin.password'], { exact: true }).fill(testAdmin.password);
      await page.getByRole('button', { name: en['signin.submit'] }).click();

      // A webhook, and its secret shown once.
      await h1(page, en['staff.webhooks.title']);
      await page.getByLabel(en['staff.webhooks.name'], { exact: true }).fill('On call');
      const { port } = /** @type {import('node:net').AddressInfo} */ (receiver.address());
      await page.getByLabel(en['staff.webhooks.url'], { exact: true }).fill(`http://127.0.0.1:${port}/chorus`);
      await page.getByRole('button', { name: en['staff.webhooks.add'] }).click();
      secret = ((await page.locator('#new-webhook-value').textContent()) ?? '').trim();
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
      await page.getByRole('row').filter({ hasText: 'On call' }).waitFor();
      await assertAccessible(page, '/staff/webhooks', { atLeast: 5 });
      await page.reload();
      await page.getByRole('row').filter({ hasText: 'On call' }).waitFor();
      assert.equal(await page.getByText(secret).count(), 0, 'the secret is shown only once');

      // The urgent-word rule: to the admin, an on-call address and the webhook.
      await page.goto('/staff/routing');
      await h1(page, en['staff.routing.title']);
      await page.getByLabel(en['staff.routing.name'], { exact: true }).fill('Urgent words');
      await page.getByRole('radio', { name: en['staff.routing.event.urgent'] }).check();
      await page.getByRole('checkbox', { name: testAdmin.email }).check();
      await page.getByLabel(en['staff.routing.emails']).fill('oncall@partner.test');
      await page.getByRole('checkbox', { name: 'On call' }).check();
      await page.getByRole('button', { name: en['staff.routing.add'] }).click();
      await status(page, 'Urgent words');

      // The weekly digest, in Spanish for the board's address and the webhook.
      await page.getByLabel(en['staff.routing.name'], { exact: true }).fill('Weekly summary');
      await page.getByRole('radio', { name: en['staff.routing.event.digest'] }).check();
      await page.getByRole('radio', { name: en['staff.routing.schedule.weekly'] }).check();
      await page.getByLabel(en['staff.routing.weekday'], { exact: true }).selectOption('1');
      await page.getByRole('checkbox', { name: testAdmin.email }).check();
      await page.getByLabel(en['staff.routing.emails']).fill('board@partner.test');
      await page.getByLabel(en['staff.routing.language'], { exact: true }).selectOption('es');
      await page.getByRole('checkbox', { name: 'On call' }).check();
      await page.getByRole('button', { name: en['staff.routing.add'] }).click();
      await status(page, 'Weekly summary');
      await page.getByRole('row').filter({ hasText: 'Weekly summary' }).waitFor();
      await assertAccessible(page, '/staff/routing', { atLeast: 15 });

      // A kiosk text with an urgent word ("bad batch" is watched by default).
      const sent = await fetch(new URL('/api/v1/kiosk/submissions', suite.server.baseURL), {
        method: 'POST',
        headers: { Authorization: `Bearer ${kioskToken}`, 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/json' },
        body: JSON.stringify({ language: 'en', text: 'There is a bad batch going around near the river.', may_quote: false }),
      });
      assert.equal(sent.status, 201, await sent.text());

      const urgent = await arrives('the urgent e-mail', mailTo('oncall@partner.test', 'Urgent'));
      assert.equal(urgent.type, 'multipart/alternative');
      assert.equal(urgent.language, 'en');
      assert.match(urgent.text, /bad batch/);
      assert.match(urgent.html, /Storefront/);
      assert.doesNotMatch(urgent.text + urgent.html, /near the river/, 'the participant’s text never leaves Chorus');
      await arrives('the urgent e-mail to the admin', mailTo(testAdmin.email, 'Urgent'));
      const urgentHook = await arrives('the urgent webhook', () => hooks.find((h) => h.body.event === 'urgent'));
      assert.ok(urgentHook.valid, 'the webhook carries a valid signature');
      assert.equal(urgentHook.body.site, site);
      assert.match(urgentHook.body.day, /^\d{4}-\d{2}-\d{2}$/);
      assert.doesNotMatch(JSON.stringify(urgentHook.body), /near the river/);

      // The weekly digest, sent now as a test.
      const row = page.getByRole('row').filter({ hasText: 'Weekly summary' });
      await row.getByRole('button', { name: en['staff.routing.test'] }).click();
      await status(page, 'Weekly summary');
      const board = await arrives('the digest e-mail', mailTo('board@partner.test', 'Resumen semanal'));
      assert.equal(board.type, 'multipart/alternative');
      assert.equal(board.language, 'es');
      assert.match(board.text, /Comentarios nuevos/);
      assert.match(board.html, /<h2[^>]*>Necesidades principales<\/h2>/);
      await arrives('the digest e-mail to the admin', mailTo(testAdmin.email, 'weekly summary'));
      const digestHook = await arrives('the digest webhook', () => hooks.find((h) => h.body.event === 'digest'));
      assert.ok(digestHook.valid, 'the digest webhook carries a valid signature');
      assert.equal(digestHook.body.exact, false, 'a webhook never gets exact counts');
      assert.equal(digestHook.body.test, true);

      // The log: everything sent; the admin's own digest is in their inbox.
      await page.goto('/staff/deliveries');
      await h1(page, en['staff.deliveries.title']);
      await page.locator('tr[data-delivery-state="sent"][data-channel="webhook"]').nth(1).waitFor();
      assert.equal(await page.locator('tr[data-delivery-state="pending"]').count(), 0);
      await page.getByText('[Test] Chorus weekly summary').first().waitFor();
      await assertAccessible(page, '/staff/deliveries', { atLeast: 5 });
      assert.deepEqual(unexpected(problems), []);
    } finally {
      await context.close();
    }
  });
});
