// One participant's answers the server will never accept must not stop a
// tablet's uploads. An offline tablet queues a good submission, one the
// server refuses (an unknown language, written straight into the outbox as
// an old or broken page could have), a text that only grows past 1,000
// characters once its e-mail addresses are scrubbed ("a@b.co " × 142), and
// another good one. Back online, everything but the refused one is stored;
// the refused one waits in the staff's "could not be sent" list, which
// shows no written words, and staff discard it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext } from './checks.mjs';
import { seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';
import { addKiosks, heading, openKiosk, submitText } from './kiosk.mjs';

const en = dictionary('en');
const tokens = /** @type {string[]} */ ([]);
const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    await addKiosks(env, { org: testAdmin.org, site: 'Drop-in on Fifth', count: 1, tokens });
  },
});

/**
 * Every row of one of the kiosk's IndexedDB stores.
 * @param {import('playwright-core').Page} page
 * @param {'outbox' | 'refused'} store
 * @returns {Promise<Record<string, any>[]>}
 */
function rows(page, store) {
  return page.evaluate(
    (store) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('chorus-kiosk');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    store,
  );
}

/**
 * Puts an item at the end of the outbox, as the page would.
 * @param {import('playwright-core').Page} page
 * @param {{ key: string, submission: Record<string, unknown> }} item
 */
function enqueue(page, item) {
  return page.evaluate(
    (item) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('chorus-kiosk');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('outbox', 'readwrite');
          tx.objectStore('outbox').add(item);
          tx.oncomplete = () => {
            open.result.close();
            resolve(undefined);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    item,
  );
}

/**
 * The pending texts in the staff's moderation queue, read as the admin.
 * @param {import('playwright-core').APIRequestContext} staff
 * @returns {Promise<string[]>}
 */
async function queuedTexts(staff) {
  const response = await staff.get('/api/v1/feedback/texts?state=pending');
  assert.equal(response.status(), 200);
  const { texts } = await response.json();
  return texts.map((/** @type {{ body: string }} */ t) => t.body);
}

/**
 * Waits until check() holds, polling, or fails after timeoutMs with the last value.
 * @template T
 * @param {() => Promise<T>} read
 * @param {(value: T) => boolean} check
 * @param {string} what
 */
async function eventually(read, check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a submission the server refuses', () => {
  it('never holds back the others, and waits in the staff list until discarded', async () => {
    const { context, page } = await openContext(suite.browser, suite.server.baseURL);
    const staffContext = await suite.browser.newContext({ baseURL: suite.server.baseURL });
    const staff = staffContext.request;
    const before = 'Good answer before the refused one';
    const after = 'Good answer after the refused one';
    const addresses = 'a@b.co '.repeat(142);
    const poison = 'Written in a language the server does not know';
    try {
      await openKiosk(page, tokens[0] ?? '');
      await heading(page, en['kiosk.start.title']);
      await context.setOffline(true);

      await submitText(page, en, before);
      await page.getByRole('button', { name: en['kiosk.thanks.done'] }).click();
      await enqueue(page, {
        key: 'refused-by-the-server-1',
        submission: { language: 'xx', needs: [], priorities: [], strengths: [], text: poison },
      });
      await submitText(page, en, addresses);
      await page.getByRole('button', { name: en['kiosk.thanks.done'] }).click();
      await submitText(page, en, after);
      await page.getByRole('button', { name: en['kiosk.thanks.done'] }).click();
      await page.getByRole('button', { name: fill(en['kiosk.outbox.many'] ?? '', { count: 4 }) }).waitFor();
      assert.deepEqual(
        (await rows(page, 'outbox')).map((item) => item.submission.text.trim()),
        [before, poison, addresses.trim(), after],
      );

      // Back online: the good ones go through, the refused one moves to the list.
      await context.setOffline(false);
      const signIn = await staff.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
      assert.equal(signIn.status(), 200);
      const stored = await eventually(
        () => queuedTexts(staff),
        (texts) => texts.includes(before) && texts.includes(after),
        'both good answers arrive',
      );
      assert.ok(!stored.includes(poison));
      const open = page.getByRole('button', { name: en['kiosk.refused.open.one'] });
      await open.waitFor({ timeout: 20_000 });
      const refused = await rows(page, 'refused');
      assert.equal(refused.length, 1);
      assert.equal(refused[0]?.key, 'refused-by-the-server-1');
      assert.equal(refused[0]?.status, 400);
      assert.equal(refused[0]?.code, 'invalid_input');
      assert.match(refused[0]?.day, /^\d{4}-\d{2}-\d{2}$/, 'the day, nothing finer');

      // The scrubbed addresses are longer than 1,000 characters, and still stored.
      const scrubbed = await eventually(
        () => queuedTexts(staff),
        (texts) => texts.length === 3,
        'the text of e-mail addresses arrives (it grows past 1,000 characters once scrubbed)',
      );
      const grown = scrubbed.find((text) => text !== before && text !== after) ?? '';
      assert.match(grown, /^(\[removed\]\s*)+$/);
      assert.ok(grown.length > 1000, `scrubbed to ${grown.length} characters`);
      await page.getByRole('button', { name: /answers? waiting to send/ }).waitFor({ state: 'hidden', timeout: 20_000 });
      assert.deepEqual(await rows(page, 'outbox'), []);

      // The staff's list: what it was and why, with no written words.
      await open.click();
      const dialog = page.getByRole('dialog', { name: en['kiosk.refused.title'] });
      await dialog.waitFor();
      await dialog.getByText(en['kiosk.refused.submission.text'] ?? '', { exact: true }).waitFor();
      await dialog.getByText(en['kiosk.refused.reason.invalid'] ?? '').waitFor();
      await dialog.getByText('Error: invalid_input (400)').waitFor();
      assert.equal(await page.getByText(poison).count(), 0, 'the written words are not shown');
      await assertAccessible(page, 'the "could not be sent" list', { atLeast: 3 });

      // Discard asks once more (the app's one confirmation dialog, over the
      // list), then the item is gone for good.
      await dialog.getByRole('button', { name: en['kiosk.refused.discard'], exact: true }).click();
      const confirmation = page.getByRole('dialog', { name: en['kiosk.refused.discard'], exact: true });
      await confirmation.getByText(en['kiosk.refused.confirm'] ?? '').waitFor();
      assert.ok(await confirmation.evaluate((el) => el.contains(document.activeElement)), 'focus moves to the confirmation');
      await assertAccessible(page, 'the confirmation', { atLeast: 2 });
      // "Cancel" keeps it.
      await confirmation.getByRole('button', { name: en['common.cancel'] }).click();
      await confirmation.waitFor({ state: 'hidden' });
      assert.equal((await rows(page, 'refused')).length, 1, 'cancel keeps the item');
      await dialog.getByRole('button', { name: en['kiosk.refused.discard'], exact: true }).click();
      const yes = confirmation.getByRole('button', { name: en['kiosk.refused.yes'] });
      await yes.click();
      await dialog.getByRole('status').filter({ hasText: en['kiosk.refused.discarded'] }).waitFor();
      await dialog.getByText(en['kiosk.refused.empty'] ?? '').waitFor();
      assert.deepEqual(await rows(page, 'refused'), []);
      await open.waitFor({ state: 'hidden' });
      await dialog.getByRole('button', { name: en['kiosk.refused.close'] }).click();
      await dialog.waitFor({ state: 'hidden' });
      await heading(page, en['kiosk.start.title']);
    } finally {
      await staffContext.close();
      await context.close();
    }
  });
});
