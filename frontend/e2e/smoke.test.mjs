// The first look a person gets: the home page renders, switches language,
// passes axe's WCAG 2.2 AA rules and keeps every target at least 48×48 px,
// on a tablet and a phone; links and direct loads reach the right pages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoAxeViolations, assertTargetsAtLeast48, dictionary, openContext, viewports } from './checks.mjs';
import { useServerAndBrowser } from './harness.mjs';

const en = dictionary('en');
const es = dictionary('es');

const suite = useServerAndBrowser();

/**
 * Opens path in a fresh browser context (no stored language) at the given viewport.
 * @param {string} path
 * @param {{ width: number, height: number }} [viewport]
 */
async function open(path, viewport = viewports[0]) {
  const opened = await openContext(suite.browser, suite.server.baseURL, viewport);
  await opened.page.goto(path);
  return opened;
}

/** @param {import('playwright-core').Page} page */
async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

describe('home page', () => {
  for (const viewport of viewports) {
    it(`renders, switches to Español, and is accessible in both languages on a ${viewport.name} (${viewport.width}×${viewport.height})`, async () => {
      const { context, page, problems } = await open('/', viewport);
      try {
        await page.getByRole('heading', { level: 1, name: en['home.title'] }).waitFor();
        assert.equal(await htmlLang(page), 'en');
        assert.equal(await page.title(), `${en['home.docTitle']} – Chorus`);
        for (const name of [en['home.kiosk.setup'], en['home.live'], en['home.signin'], en['home.results']]) {
          assert.ok(await page.getByRole('link', { name }).isVisible(), `link "${name}" is visible`);
        }
        await assertNoAxeViolations(page, `English, ${viewport.name}`);
        await assertTargetsAtLeast48(page, `English, ${viewport.name}`, { atLeast: 7 });

        const español = page.getByRole('button', { name: 'Español' });
        await español.click();
        await page.getByRole('heading', { level: 1, name: es['home.title'] }).waitFor();
        await page.waitForFunction(() => document.documentElement.lang === 'es');
        assert.equal(await español.getAttribute('aria-pressed'), 'true');
        assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'false');
        assert.ok(await page.getByRole('link', { name: es['home.kiosk.setup'] }).isVisible());
        await assertNoAxeViolations(page, `Español, ${viewport.name}`);
        await assertTargetsAtLeast48(page, `Español, ${viewport.name}`, { atLeast: 7 });

        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('keeps the chosen language after a reload', async () => {
    const { context, page } = await open('/');
    try {
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { level: 1, name: es['home.title'] }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: es['home.title'] }).waitFor();
      assert.equal(await htmlLang(page), 'es');
    } finally {
      await context.close();
    }
  });

  it('offers a skip link as the first keyboard stop', async () => {
    const { context, page } = await open('/');
    try {
      await page.getByRole('heading', { level: 1, name: en['home.title'] }).waitFor();
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: en['app.skip'] });
      assert.ok(await skip.evaluate((el) => el === document.activeElement), 'skip link has focus');
      // It slides in (unless reduced motion is asked for); wait until it is fully on screen.
      await page.waitForFunction(() => (document.activeElement?.getBoundingClientRect().top ?? -1) >= 0);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
    } finally {
      await context.close();
    }
  });
});

describe('navigation', () => {
  it('follows a home link without a page load, moves focus to the new heading, and goes back', async () => {
    const { context, page, problems } = await open('/');
    try {
      await page.getByRole('heading', { level: 1, name: en['home.title'] }).waitFor();
      await page.evaluate(() => Object.assign(window, { chorusSamePage: true }));
      await page.getByRole('link', { name: en['home.kiosk.setup'] }).click();
      const heading = page.getByRole('heading', { level: 1, name: en['kiosk.enroll.title'] });
      await heading.waitFor();
      assert.equal(new URL(page.url()).pathname, '/kiosk');
      assert.equal(await page.evaluate(() => 'chorusSamePage' in window), true, 'no full page load');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      assert.equal(await heading.evaluate((el) => el === document.activeElement), true, 'the new h1 has focus');

      await page.goBack();
      await page.getByRole('heading', { level: 1, name: en['home.title'] }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const [path, key] of [
    ['/live', 'live.title'],
    ['/screen', 'screen.title'],
  ]) {
    it(`loads ${path} directly`, async () => {
      const { context, page, problems } = await open(path);
      try {
        await page.getByRole('heading', { level: 1, name: en[key] }).waitFor();
        await page.getByLabel(en['live.code.label']).waitFor();
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  for (const [path, key] of [['/no-such-page', 'notFound.title']]) {
    it(`loads ${path} directly`, async () => {
      const { context, page, problems } = await open(path);
      try {
        await page.getByRole('heading', { level: 1, name: en[key] }).waitFor();
        await page.getByRole('link', { name: en['common.backHome'] }).waitFor();
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('loads /signin and /kiosk directly', async () => {
    const { context, page, problems } = await open('/signin');
    try {
      await page.getByRole('heading', { level: 1, name: en['signin.title'] }).waitFor();
      await page.goto('/kiosk');
      await page.getByRole('heading', { level: 1, name: en['kiosk.enroll.title'] }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const [path, signin] of [
    ['/staff', '/signin'],
    ['/staff/kiosks', '/signin?next=%2Fstaff%2Fkiosks'],
    ['/facilitator', '/signin?next=%2Ffacilitator'],
    ['/dashboard?view=sites&period=quarter', '/signin?next=%2Fdashboard%3Fview%3Dsites%26period%3Dquarter'],
    ['/staff/audit?action=kiosk.enrolled', '/signin?next=%2Fstaff%2Faudit%3Faction%3Dkiosk.enrolled'],
  ]) {
    it(`sends ${path} to sign-in when nobody is signed in`, async () => {
      const { context, page } = await open(path);
      try {
        await page.getByRole('heading', { level: 1, name: en['signin.title'] }).waitFor();
        const url = new URL(page.url());
        assert.equal(url.pathname + url.search, signin);
      } finally {
        await context.close();
      }
    });
  }
});
