// Own-phone feedback from a site's poster, from the front door: an admin
// signs in from "/", opens the site's poster (its QR code's address is also
// on the page as a link: that is what a camera would read) and people on
// their own phones give feedback from it, in English (scanning the poster)
// and in Spanish (typing the poster's code on the front page). Staff see
// both texts in moderation. Then staff rotate the code: the old poster says
// plainly that it is no longer in use, in both languages, and the new one
// works. Two phones had the old poster open when staff rotated it: one had
// sent its answers but lost the server's answer (its resend after the
// rotation is acknowledged: nothing is said to have failed), the other was
// offline and still held its answers (after the rotation it says plainly
// that they were not sent, and to scan the new poster). Every page passes
// axe and 48×48 targets, on a phone-sized screen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';
import { heading, submitText } from './kiosk.mjs';

const en = dictionary('en');
const es = dictionary('es');
const site = 'Storefront';
const phone = viewports.find((v) => v.name === 'phone') ?? viewports[0];
const tablet = viewports[0];

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    const added = await runChorus(
      ['admin', 'site', 'add', '--org', testAdmin.org, '--name', site, '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'],
      { DATABASE_URL: env.DATABASE_URL ?? '' },
    );
    assert.equal(added.code, 0, added.stderr);
  },
});

/** A new phone: its own browser context, in lang. */
async function newPhone(lang = 'en') {
  const context = await suite.browser.newContext({
    baseURL: suite.server.baseURL,
    viewport: { width: phone.width, height: phone.height },
    locale: lang === 'es' ? 'es-US' : 'en-US',
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  return { context, page, problems };
}

/** What a phone cut off on purpose logs: the lost answer and the offline sends. @param {string[]} problems */
function unplanned(problems) {
  return unexpected(problems).filter((p) => !/net::ERR_(FAILED|INTERNET_DISCONNECTED)/.test(p));
}

/**
 * A phone on the poster whose first submission reaches the server but whose
 * answer is lost on the way back; its resends wait until release() is
 * called. stored resolves to the status the server gave the lost answer.
 * @param {string} posterURL
 */
async function phoneThatLosesTheAnswer(posterURL) {
  const p = await newPhone('en');
  /** @type {() => void} */
  let release = () => {};
  const released = new Promise((resolve) => (release = () => resolve(undefined)));
  /** @type {(status: number) => void} */
  let stored = () => {};
  const storedStatus = new Promise((resolve) => (stored = resolve));
  let calls = 0;
  await p.page.route(/\/api\/v1\/phone\/[^/]+\/submissions$/, async (route) => {
    calls += 1;
    if (calls === 1) {
      const answer = await route.fetch();
      stored(answer.status());
      await route.abort('failed');
      return;
    }
    await released;
    await route.continue();
  });
  await p.page.goto(posterURL);
  await submitText(p.page, en, 'Sent before the new poster went up.');
  assert.equal(await storedStatus, 201);
  await p.page.getByText(en['phone.waiting']).waitFor();
  return { ...p, release };
}

/** Waits for the phone's next submission to be answered. @param {import('playwright-core').Page} page */
function nextSubmission(page) {
  return page.waitForResponse((r) => /\/api\/v1\/phone\/[^/]+\/submissions$/.test(r.url()) && r.request().method() === 'POST');
}

describe('own-phone feedback from a poster', () => {
  it('from the front door: staff print a poster, people give feedback on their phones, staff rotate the code', async () => {
    const staff = await openContext(suite.browser, suite.server.baseURL, tablet);
    const staffPage = staff.page;
    try {
      // Staff: from "/", sign in, Sites, the site's poster, make it.
      await staffPage.goto('/');
      await staffPage.getByRole('link', { name: en['home.signin'] }).click();
      await staffPage.getByLabel(en['signin.email']).fill(testAdmin.email);
      await staffPage.getByLabel(en['signin.password'], { exact: true }).fill(testAdmin.password);
      await staffPage.getByRole('button', { name: en['signin.submit'] }).click();
      await staffPage.getByRole('link', { name: en['staff.nav.sites'] }).first().click();
      await staffPage.getByRole('link', { name: fill(en['staff.posters.open'], { site }) }).click();
      await staffPage.getByText(en['staff.posters.none']).waitFor();
      await staffPage.getByRole('button', { name: en['staff.posters.make'] }).click();
      const link = staffPage.locator('a[data-poster-link]');
      await link.waitFor();
      const posterURL = (await link.getAttribute('href')) ?? '';
      assert.match(posterURL, /^http:\/\/127\.0\.0\.1:\d+\/p\/[234679ACDEFGHJKMNPQRTUVWXYZ]{10}$/);
      const code = posterURL.slice(-10);
      const poster = staffPage.getByRole('article', { name: fill(en['staff.posters.open'], { site }) });
      for (const words of [en['phone.poster.headline'], es['phone.poster.headline'], `${code.slice(0, 5)}-${code.slice(5)}`]) {
        await poster.getByText(words).waitFor();
      }
      assert.ok(await poster.getByRole('img', { name: fill(en['staff.posters.qr'], { url: posterURL }) }).isVisible());
      await assertAccessible(staffPage, 'the poster', { atLeast: 4 });

      // A person on their own phone, in English: the front door says where to go; the poster's QR opens the flow.
      const first = await newPhone('en');
      try {
        await first.page.goto('/');
        await first.page.getByRole('heading', { level: 2, name: en['home.feedback.title'] }).waitFor();
        await first.page.getByText(en['home.feedback.phone']).waitFor();
        const results = first.page.getByRole('link', { name: en['home.results'] });
        assert.equal(await results.getAttribute('href'), '/board/test-program');
        await assertAccessible(first.page, 'the front door on a phone (en)', { atLeast: 6 });

        await first.page.goto(posterURL);
        await heading(first.page, en['kiosk.start.title']);
        await assertAccessible(first.page, 'the phone flow (en)', { atLeast: 2 });
        const sent = nextSubmission(first.page);
        await submitText(first.page, en, 'Evening hours at the storefront, from my phone.');
        assert.equal((await sent).status(), 201);
        await assertAccessible(first.page, 'thank you on a phone (en)', { atLeast: 2 });
        assert.deepEqual(unexpected(first.problems), []);
      } finally {
        await first.context.close();
      }

      // In Spanish, typing the poster's code on the front page.
      const second = await newPhone('es');
      try {
        await second.page.goto('/');
        await second.page.getByRole('heading', { level: 1, name: es['home.title'] }).waitFor();
        await second.page.getByLabel(es['home.feedback.code']).fill(`${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`);
        await assertAccessible(second.page, 'the front door on a phone (es)', { atLeast: 6 });
        await second.page.getByRole('button', { name: es['home.feedback.go'] }).click();
        await heading(second.page, es['kiosk.start.title']);
        assert.equal(new URL(second.page.url()).pathname, `/p/${code}`);
        await assertAccessible(second.page, 'the phone flow (es)', { atLeast: 2 });
        const sent = nextSubmission(second.page);
        await submitText(second.page, es, 'Más horas por la tarde, desde mi teléfono.');
        assert.equal((await sent).status(), 201);
        assert.deepEqual(unexpected(second.problems), []);
      } finally {
        await second.context.close();
      }

      // Staff see both in moderation.
      await staffPage.getByRole('link', { name: en['staff.nav.moderation'] }).first().click();
      await staffPage.getByText('Evening hours at the storefront, from my phone.').waitFor();
      await staffPage.getByText('Más horas por la tarde, desde mi teléfono.').waitFor();

      // Two phones have the poster open: one sent its answers but lost the
      // reply; the other is offline and keeps its answers.
      const lost = await phoneThatLosesTheAnswer(posterURL);
      const offline = await newPhone('es');
      await offline.page.goto(posterURL);
      await heading(offline.page, es['kiosk.start.title']);
      await offline.context.setOffline(true);
      await submitText(offline.page, es, 'Escrito sin conexión.');
      await offline.page.getByText(es['phone.waiting']).waitFor();

      // Staff rotate the code, after confirming.
      await staffPage.goBack();
      await link.waitFor();
      await staffPage.getByRole('button', { name: en['staff.posters.rotate'] }).click();
      await staffPage.getByRole('dialog').getByRole('button', { name: en['staff.posters.rotate'] }).click();
      await staffPage.getByText(en['staff.posters.rotated']).waitFor();
      const rotatedURL = (await link.getAttribute('href')) ?? '';
      assert.notEqual(rotatedURL, posterURL);
      await assertAccessible(staffPage, 'the poster after rotation', { atLeast: 4 });

      // The answers stored before the rotation are acknowledged when resent:
      // the phone stops waiting, and says nothing failed.
      try {
        const resent = nextSubmission(lost.page);
        lost.release();
        assert.equal((await resent).status(), 200);
        await lost.page.getByText(en['phone.waiting']).waitFor({ state: 'hidden' });
        assert.equal(await lost.page.getByRole('heading', { name: en['phone.retired.title'] }).count(), 0);
        assert.equal(await lost.page.getByText(en['phone.refused.retired']).count(), 0);
        assert.equal(await lost.page.getByRole('alert').count(), 0);
        assert.deepEqual(unplanned(lost.problems), []);
      } finally {
        await lost.context.close();
      }

      // The answers queued offline were never sent: back online, the phone
      // says so, in its language, and sends the person to the new poster.
      try {
        const refusedAnswer = nextSubmission(offline.page);
        await offline.context.setOffline(false);
        assert.equal((await refusedAnswer).status(), 410);
        await heading(offline.page, es['phone.retired.title']);
        await offline.page.getByRole('alert').filter({ hasText: es['phone.refused.retired'] }).waitFor();
        await assertAccessible(offline.page, 'answers not sent from the old poster (es)', { atLeast: 0 });
        assert.deepEqual(unplanned(offline.problems), []);
      } finally {
        await offline.context.close();
      }

      // The old poster, on a phone in each language, says so plainly; the new one works.
      for (const [lang, d] of /** @type {const} */ ([['en', en], ['es', es]])) {
        const later = await newPhone(lang);
        try {
          await later.page.goto(posterURL);
          await heading(later.page, d['phone.retired.title']);
          await later.page.getByText(d['phone.retired.body']).waitFor();
          await assertAccessible(later.page, `the old poster (${lang})`, { atLeast: 0 });
          await later.page.goto(rotatedURL);
          await heading(later.page, d['kiosk.start.title']);
        } finally {
          await later.context.close();
        }
      }
      assert.deepEqual(unexpected(staff.problems), []);
    } finally {
      await staff.context.close();
    }
  });
});
