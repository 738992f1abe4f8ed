// The research loop end to end, from the front door: an admin makes two
// staff members coders and uploads transcripts (one holds a phone number,
// which is stored without it), and draws an overlap sample for both. One
// coder codes a span with the keyboard only; the other, coding blind, sees
// none of the first coder's codes until both have submitted. The admin reads
// the agreement table and reconciles a disagreement. Every page passes axe
// and 48×48 targets, in English and in Spanish.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';

const coders = [
  { email: 'ana@example.org', password: 'ana long test password' },
  { email: 'ben@example.org', password: 'ben long test password' },
];
const phoneText = 'Facilitator: Who looks out for you?\nR: My friends do. We carry naloxone. Call me at (503) 555-0142 any time.';
const otherText = 'We share new supplies with people who cannot get to the van.';

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    const db = { DATABASE_URL: env.DATABASE_URL ?? '' };
    const org = ['--org', testAdmin.org];
    const site = await runChorus(['admin', 'site', 'add', ...org, '--name', 'Storefront', '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'], db);
    assert.equal(site.code, 0, site.stderr);
    for (const c of coders) {
      const done = await runChorus(['admin', 'user', 'add', ...org, '--email', c.email, '--role', 'staff'], { ...db, CHORUS_ADMIN_PASSWORD: c.password });
      assert.equal(done.code, 0, done.stderr);
    }
  },
});

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/**
 * Signs in from the front door and follows the staff menu to a page.
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d
 * @param {string} lang
 * @param {{ email: string, password: string }} who
 * @param {string} link the menu entry's key
 * @param {string} title the page's heading key
 */
async function signInAndOpen(page, d, lang, who, link, title) {
  await page.goto('/');
  if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
  await h1(page, d['home.title']);
  await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
  await page.getByLabel(d['signin.email']).fill(who.email);
  await page.getByLabel(d['signin.password'], { exact: true }).fill(who.password);
  await page.getByRole('button', { name: d['signin.submit'] }).click();
  await openFromMenu(page, d, link, title);
}

/** @param {import('playwright-core').Page} page @param {Record<string, string>} d @param {string} link @param {string} title */
async function openFromMenu(page, d, link, title) {
  const nav = page.getByRole('navigation', { name: d['staff.nav.label'] });
  await nav.waitFor();
  const menu = nav.getByRole('button', { name: d['staff.nav.menu'] });
  if (await menu.isVisible()) await menu.click();
  await nav.getByRole('link', { name: d[link], exact: true }).click();
  await h1(page, d[title]);
}

/** @param {import('playwright-core').Page} page @param {Record<string, string>} d @param {number} n which text, from 1 */
async function openText(page, d, n) {
  const button = page.getByRole('button', { name: new RegExp(`^${d['staff.research.open']}`) }).nth(n - 1);
  await button.focus();
  await page.keyboard.press('Enter');
  await page.getByText(fill(d['staff.research.position'], { n, count: 2 })).first().waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'research-excerpt');
}

/**
 * Presses N and waits until the next text is in the box (the list's hidden
 * "2 of 2" is always on the page, so waiting for it proves nothing; a key
 * pressed before the text changed would code the previous one).
 * @param {import('playwright-core').Page} page
 */
async function nextText(page) {
  const before = await page.locator('#research-excerpt').inputValue();
  await page.keyboard.press('n');
  await page.waitForFunction((was) => {
    const box = /** @type {HTMLTextAreaElement | null} */ (document.getElementById('research-excerpt'));
    return box !== null && box.value !== was && document.activeElement === box;
  }, before);
}

/** @param {import('playwright-core').Page} page @param {Record<string, string>} d */
async function submitBoth(page, d) {
  for (const n of [1, 2]) {
    await openText(page, d, n);
    await page.getByRole('button', { name: d['staff.research.submit'] }).click();
    await page.locator('p', { hasText: d['staff.research.submitted'] }).first().waitFor();
  }
}

describe('the research loop', () => {
  it('codes an overlap sample blind, with the keyboard, and reconciles a disagreement', async () => {
    const d = dictionary('en');
    const admin = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
    const ana = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
    const ben = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
    try {
      // The admin makes both coders, uploads two transcripts and draws the sample.
      const a = admin.page;
      await signInAndOpen(a, d, 'en', { email: testAdmin.email, password: testAdmin.password }, 'staff.nav.researchAdmin', 'staff.researchAdmin.title');
      for (const c of coders) {
        await a.getByRole('button', { name: new RegExp(`^${d['staff.researchAdmin.makeCoder']}\\W+${c.email}$`) }).click();
        await a.getByRole('button', { name: new RegExp(`^${d['staff.researchAdmin.stopCoder']}\\W+${c.email}$`) }).waitFor();
      }
      for (const [day, title, text, removed] of /** @type {const} */ ([['2026-11-20', 'Group 1', phoneText, 1], ['2026-11-19', 'Group 2', otherText, 0]])) {
        await a.getByLabel(d['staff.researchAdmin.day']).fill(day);
        await a.getByRole('textbox', { name: d['staff.researchAdmin.transcriptTitle'], exact: true }).fill(title);
        await a.getByRole('textbox', { name: d['staff.researchAdmin.transcriptText'], exact: true }).fill(text);
        await a.getByRole('button', { name: d['staff.researchAdmin.upload'] }).click();
        await a.locator('p.notice', { hasText: fill(d['staff.researchAdmin.uploaded'], { count: removed }) }).waitFor();
      }
      await a.getByLabel(d['staff.researchAdmin.share']).fill('100');
      for (const c of coders) await a.getByRole('checkbox', { name: c.email }).check();
      await a.getByRole('button', { name: d['staff.researchAdmin.drawButton'] }).click();
      await a.locator('p.notice', { hasText: fill(d['staff.researchAdmin.drawn'], { count: 2 }) }).waitFor();
      await assertAccessible(a, 'en research admin', { atLeast: 6 });

      // Ana: keyboard only. Select "My friends" in the first text and press 1.
      const p = ana.page;
      await signInAndOpen(p, d, 'en', coders[0], 'staff.nav.research', 'staff.research.title');
      await p.getByRole('button', { name: new RegExp(`^${d['staff.research.open']}`) }).first().waitFor();
      await openText(p, d, 1);
      const text = await p.locator('#research-excerpt').inputValue();
      assert.ok(!text.includes('555'), `the phone number was stored: ${text}`);
      assert.ok(text.includes('[removed]'), text);
      const start = text.indexOf('My friends');
      await p.keyboard.press('Control+Home');
      for (let i = 0; i < start; i++) await p.keyboard.press('ArrowRight');
      for (let i = 0; i < 'My friends'.length; i++) await p.keyboard.press('Shift+ArrowRight');
      await p.keyboard.press('1');
      const firstCode = await p.locator('.codes li').first().innerText();
      await p.getByRole('listitem').filter({ hasText: '“My friends”' }).waitFor();
      assert.match(firstCode, /Advocate/);
      // The second text: the whole of it, still from the keyboard.
      await nextText(p);
      await p.keyboard.press('1');
      await p.getByRole('listitem').filter({ hasText: d['staff.research.whole'] }).waitFor();
      await assertAccessible(p, 'en coding workspace', { atLeast: 10 });
      await submitBoth(p, d);

      // Ben codes blind: none of Ana's codes before he submits.
      const b = ben.page;
      await signInAndOpen(b, d, 'en', coders[1], 'staff.nav.research', 'staff.research.title');
      await b.getByRole('button', { name: new RegExp(`^${d['staff.research.open']}`) }).first().waitFor();
      await openText(b, d, 1);
      await b.getByText(d['staff.research.blind']).waitFor();
      await b.getByText(d['staff.research.noneApplied']).waitFor();
      assert.equal(await b.getByText(coders[0].email).count(), 0, 'Ben sees Ana’s codes before submitting');
      await b.keyboard.press('2');
      await b.getByRole('listitem').filter({ hasText: d['staff.research.whole'] }).waitFor();
      await nextText(b);
      await b.keyboard.press('1');
      await b.getByRole('listitem').filter({ hasText: d['staff.research.whole'] }).waitFor();
      await assertAccessible(b, 'en coding workspace, phone, blind', { atLeast: 6 });
      await submitBoth(b, d);
      await openText(b, d, 1);
      await b.getByText(coders[0].email, { exact: false }).first().waitFor();
      assert.equal(await b.getByText(d['staff.research.blind']).count(), 0);

      // The admin reads the agreement and reconciles the first disagreement.
      await a.reload();
      await h1(a, d['staff.researchAdmin.title']);
      await a.getByRole('button', { name: d['staff.researchAdmin.showAgreement'] }).click();
      await a.getByRole('table', { name: d['staff.researchAdmin.agreementCaption'] }).waitFor();
      await a.getByRole('row', { name: new RegExp(`^${d['staff.researchAdmin.overall']}`) }).waitFor();
      const disagreements = a.locator('.disagreements > li');
      assert.equal(await disagreements.count(), 2, 'Ana and Ben differ on two codes of the first text');
      // The first code: Ana applied it to "My friends", Ben did not; the text is shown beside their answers.
      const anaOnly = disagreements.filter({ hasText: `${coders[0].email}: ${d['staff.researchAdmin.applied']}` });
      await anaOnly.getByText(`${coders[1].email}: ${d['staff.researchAdmin.notApplied']}`).waitFor();
      assert.match(await anaOnly.locator('.quote').innerText(), /My friends do/);
      await anaOnly.getByRole('button', { name: d['staff.researchAdmin.agreeApplies'] }).click();
      await anaOnly.locator('.agreed').waitFor();
      assert.match(await anaOnly.locator('.agreed').innerText(), /it applies/);
      await assertAccessible(a, 'en agreement and reconciliation', { atLeast: 8 });
      // The project goes to other research tools as a REFI-QDA .qdpx (a zip).
      const href = await a.getByRole('link', { name: d['staff.researchAdmin.downloadProject'] }).getAttribute('href');
      const project = await a.request.get(href ?? '');
      assert.equal(project.status(), 200);
      assert.equal(project.headers()['content-type'], 'application/zip');
      assert.equal((await project.body()).subarray(0, 2).toString(), 'PK');
      for (const v of [admin, ana, ben]) assert.deepEqual(unexpected(v.problems), []);
    } finally {
      for (const v of [admin, ana, ben]) await v.context.close();
    }
  });

  it('reads in Spanish, with axe and 48 px targets', async () => {
    const d = dictionary('es');
    const admin = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
    const coder = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
    try {
      const a = admin.page;
      await signInAndOpen(a, d, 'es', { email: testAdmin.email, password: testAdmin.password }, 'staff.nav.researchAdmin', 'staff.researchAdmin.title');
      await a.getByRole('button', { name: d['staff.researchAdmin.showAgreement'] }).click();
      await a.getByRole('table', { name: d['staff.researchAdmin.agreementCaption'] }).waitFor();
      await assertAccessible(a, 'es research admin on a phone', { atLeast: 8 });
      const p = coder.page;
      await signInAndOpen(p, d, 'es', coders[0], 'staff.nav.research', 'staff.research.title');
      await p.getByRole('button', { name: new RegExp(`^${d['staff.research.open']}`) }).first().waitFor();
      await openText(p, d, 1);
      await p.getByText(coders[1].email, { exact: false }).first().waitFor();
      await assertAccessible(p, 'es coding workspace', { atLeast: 10 });
      for (const v of [admin, coder]) assert.deepEqual(unexpected(v.problems), []);
    } finally {
      for (const v of [admin, coder]) await v.context.close();
    }
  });
});
