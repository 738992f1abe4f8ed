// The kiosk with no network: three submissions wait in the outbox (the staff
// indicator counts them), the page reloads from the service worker, and when
// the network comes back exactly three submissions are stored — checked in
// the staff's moderation queue, one text each. Sending the same outbox item
// again is answered 200 and stores nothing new.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dictionary, openContext, unexpected } from './checks.mjs';
import { seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';
import { addKiosks, heading, openKiosk, submitText } from './kiosk.mjs';

const en = dictionary('en');
const tokens = /** @type {string[]} */ ([]);
const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    await addKiosks(env, { org: testAdmin.org, site: 'Van on Route 9', count: 2, tokens });
  },
});

/**
 * The outbox's items, read straight from IndexedDB.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ key: string, submission: Record<string, unknown> }[]>}
 */
function outboxItems(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('chorus-kiosk');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('outbox').objectStore('outbox').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/**
 * Signs the admin in through the API; returns the session's CSRF token for writes.
 * @param {import('playwright-core').APIRequestContext} staff
 */
async function signInAdmin(staff) {
  const signIn = await staff.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
  assert.equal(signIn.status(), 200);
  return /** @type {string} */ ((await signIn.json()).csrf_token);
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

describe('the kiosk offline', () => {
  it('is an installable web app: the server sends the manifest and the service worker, never to be cached stale', async () => {
    const manifest = await fetch(`${suite.server.baseURL}/manifest.webmanifest`);
    assert.equal(manifest.status, 200);
    assert.equal(manifest.headers.get('cache-control'), 'no-cache');
    const app = await manifest.json();
    assert.equal(app.start_url, '/kiosk');
    assert.ok(app.icons.some((/** @type {{ sizes: string }} */ icon) => icon.sizes === '512x512'));
    const worker = await fetch(`${suite.server.baseURL}/sw.js`);
    assert.equal(worker.status, 200);
    assert.equal(worker.headers.get('cache-control'), 'no-cache');
    assert.match(worker.headers.get('content-type') ?? '', /javascript/);
    const source = await worker.text();
    assert.doesNotMatch(source, /const BUILD = 'dev';/, 'the build filled in its id');
    assert.match(source, /const PRECACHE = \[.*"\/index.html".*\];/);
  });


  it('keeps three submissions through a reload with no network, and stores exactly three once back online', async () => {
    const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL);
    const staffContext = await suite.browser.newContext({ baseURL: suite.server.baseURL });
    const staff = staffContext.request;
    const texts = ['First offline answer 7Q', 'Second offline answer 4K', 'Third offline answer 9X'];
    try {
      await openKiosk(page, tokens[0] ?? '');
      await heading(page, en['kiosk.start.title']);
      // The service worker controls the page and holds copies of the configuration and board.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
      await page.waitForFunction(
        async () => Boolean((await caches.match('/api/v1/kiosk/config')) && (await caches.match('/api/v1/kiosk/board'))),
        undefined,
        { timeout: 15_000 },
      );

      await context.setOffline(true);
      const reach = () => page.evaluate(() => fetch('/healthz').then(() => 'online', () => 'offline'));
      assert.equal(await reach(), 'offline');
      for (const text of texts) {
        await submitText(page, en, text);
        await page.getByRole('button', { name: en['kiosk.thanks.done'] }).click();
      }
      const badge = page.getByRole('button', { name: '3 answers waiting to send' });
      await badge.waitFor();
      const waiting = await outboxItems(page);
      assert.deepEqual(
        waiting.map((item) => item.submission.text),
        texts,
      );

      // A reload with no network: the service worker serves the app and the last configuration.
      await page.reload();
      await heading(page, en['kiosk.start.title']);
      await badge.waitFor();
      assert.equal(await reach(), 'offline');
      assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker served the page');

      // Back online: the outbox empties by itself.
      await context.setOffline(false);
      await badge.waitFor({ state: 'hidden', timeout: 20_000 });
      assert.deepEqual(await outboxItems(page), []);

      await signInAdmin(staff);
      const stored = await queuedTexts(staff);
      assert.deepEqual([...stored].sort(), [...texts].sort(), 'exactly the three texts, once each');

      // The same outbox item sent again (as after a lost answer): 200, and no new row.
      const again = await page.evaluate(async (item) => {
        const token = localStorage.getItem('chorus.kiosk.token');
        const response = await fetch('/api/v1/kiosk/submissions:batch', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ items: [{ idempotency_key: item.key, submission: item.submission }] }),
        });
        return { status: response.status, body: await response.json() };
      }, /** @type {{ key: string, submission: Record<string, unknown> }} */ (waiting[0]));
      assert.equal(again.status, 200);
      assert.equal(again.body.results[0].status, 200, JSON.stringify(again.body));
      assert.equal((await queuedTexts(staff)).length, 3);

      // Requests that failed while offline are expected; nothing else may have gone wrong.
      assert.deepEqual(
        unexpected(problems).filter(
          (p) => !/ERR_INTERNET_DISCONNECTED|ERR_FAILED|Failed to load resource|Failed to fetch/.test(p),
        ),
        [],
      );
    } finally {
      await staffContext.close();
      await context.close();
    }
  });

  it('keeps the outbox when the kiosk was turned off while offline, and asks to be set up again', async () => {
    const { context, page } = await openContext(suite.browser, suite.server.baseURL);
    const staffContext = await suite.browser.newContext({ baseURL: suite.server.baseURL });
    const staff = staffContext.request;
    try {
      await openKiosk(page, tokens[1] ?? '');
      await heading(page, en['kiosk.start.title']);
      await context.setOffline(true);
      await submitText(page, en, 'Written before the kiosk was turned off');
      await page.getByRole('button', { name: en['kiosk.thanks.done'] }).click();
      const badge = page.getByRole('button', { name: '1 answer waiting to send' });
      await badge.waitFor();

      const csrf = await signInAdmin(staff);
      const { kiosks } = await (await staff.get('/api/v1/kiosks')).json();
      const kiosk = kiosks.find((/** @type {{ name: string }} */ k) => k.name === 'Tablet 2');
      const revoked = await staff.post(`/api/v1/kiosks/${kiosk.id}/revoke`, { headers: { 'X-CSRF-Token': csrf }, data: {} });
      assert.equal(revoked.status(), 200);

      await context.setOffline(false);
      await heading(page, en['kiosk.enroll.title']);
      await page.getByRole('alert').filter({ hasText: en['kiosk.enroll.turnedOff'] }).waitFor();
      await badge.waitFor();
      assert.equal((await outboxItems(page)).length, 1, 'the answers wait for the next set-up');
      assert.equal(await page.evaluate(() => localStorage.getItem('chorus.kiosk.token')), null);
    } finally {
      await staffContext.close();
      await context.close();
    }
  });
});
