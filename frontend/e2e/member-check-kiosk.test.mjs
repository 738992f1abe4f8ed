// Member checking at a kiosk, on an 800×1280 tablet in Spanish: an admin puts
// a finding to the site's kiosks for a few days; a participant goes through
// their own feedback, and after the review the kiosk asks "¿Lo entendimos
// bien?" about the finding, in Spanish, readable aloud, skippable, with 48 px
// targets and no axe violations (screenshot in /tmp/shots). Their answer
// rides in the queued submission and reaches the finding's page.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { request } from 'playwright-core';
import { assertAccessible, dictionary, openContext, unexpected, viewports } from './checks.mjs';
import { seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';
import { addKiosks, fakeSpeech, forward, heading, nextBatch, openKiosk, takeSpoken } from './kiosk.mjs';

const tokens = /** @type {string[]} */ ([]);
const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });
const es = dictionary('es');
const statementEs = 'Las personas llevan naloxona para cuidarse entre sí.';

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    await addKiosks(env, { org: testAdmin.org, site: 'Storefront', count: 1, tokens });
  },
});

/** A day n days from today (UTC), as YYYY-MM-DD. */
const dayFromToday = (/** @type {number} */ n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/**
 * As the admin, through the API: writes a finding and puts it to every site's kiosks from yesterday to tomorrow.
 * Returns a function that reads the finding's page.
 * @param {string} baseURL
 */
async function askAtKiosks(baseURL) {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const signedIn = await api.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
  assert.equal(signedIn.status(), 200, await signedIn.text());
  const headers = { 'X-CSRF-Token': (await signedIn.json()).csrf_token };
  const books = await (await api.get('/api/v1/research/codebooks')).json();
  const made = await api.post('/api/v1/research/findings', {
    headers,
    data: { statement_en: 'People carry naloxone to look out for each other.', statement_es: statementEs, code_ids: [books.codebooks[0].codes[0].id] },
  });
  assert.equal(made.status(), 201, await made.text());
  const { id } = await made.json();
  const asked = await api.post(`/api/v1/research/findings/${id}/asks`, { headers, data: { start_day: dayFromToday(-1), end_day: dayFromToday(1) } });
  assert.equal(asked.status(), 201, await asked.text());
  return {
    page: async () => (await api.get(`/api/v1/research/findings/${id}`)).json(),
    dispose: () => api.dispose(),
  };
}

describe('member checking at the kiosk', () => {
  it('asks about the finding after the review, in Spanish, aloud, and sends the answer with the feedback', async () => {
    const finding = await askAtKiosks(suite.server.baseURL);
    const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
    await context.addInitScript(fakeSpeech);
    try {
      await openKiosk(page, tokens[0] ?? '');
      await page.getByRole('button', { name: new RegExp(es['kiosk.start.language']) }).click();
      await heading(page, es['kiosk.needs.title']);
      await page.locator('button[data-code]').first().click();
      for (let step = 0; ; step++) {
        assert.ok(step < 12, 'the member-check question never came');
        const title = (await page.locator('h1').textContent()) ?? '';
        if (title === es['kiosk.check.title']) break;
        await forward(page, es);
        await page.waitForFunction((before) => document.querySelector('h1')?.textContent !== before, title);
      }
      // After the participant's own feedback: the finding in Spanish, the three answers, skippable.
      await page.getByText(statementEs).waitFor();
      await page.getByRole('button', { name: es['kiosk.review.send'] }).waitFor();
      await takeSpoken(page);
      await page.getByRole('button', { name: es['kiosk.speak'] }).click();
      const spoken = (await takeSpoken(page)).map((line) => line.text);
      assert.deepEqual(spoken.slice(0, 3), [es['kiosk.check.title'], es['kiosk.check.hint'], statementEs]);
      assert.ok(spoken.includes(es['kiosk.check.disagree']), 'the answers are read too');
      await assertAccessible(page, 'kiosk member check in Spanish', { atLeast: 6 });
      await page.getByRole('button', { name: es['kiosk.check.disagree'] }).click();
      await page.screenshot({ path: `${shots}/kiosk-member-check-es.png` });

      const sent = nextBatch(page);
      await page.getByRole('button', { name: es['kiosk.review.send'] }).click();
      const batch = await sent;
      assert.equal(batch.body.results[0].status, 201, JSON.stringify(batch.body));
      assert.equal(batch.request.items[0].submission.member_check.answer, 'disagree');
      await heading(page, es['kiosk.thanks.title']);

      const checks = (await finding.page()).checks;
      assert.equal(checks.total.disagree, 1, JSON.stringify(checks));
      assert.equal(checks.total.answers, 1);
      assert.deepEqual(unexpected(problems), []);
    } finally {
      await context.close();
      await finding.dispose();
    }
  });
});
