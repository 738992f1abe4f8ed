// The first look a person gets: the home page renders, switches language,
// passes axe's WCAG 2.2 AA rules and keeps every target at least 48×48 px,
// on a tablet and a phone; links and direct loads reach the right pages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { useServerAndBrowser, watchForProblems } from './harness.mjs';

/** @param {string} lang */
const dictionary = (lang) => JSON.parse(readFileSync(new URL(`../src/lib/i18n/${lang}.json`, import.meta.url), 'utf8'));
const en = dictionary('en');
const es = dictionary('es');

const viewports = [
  { name: 'tablet', width: 800, height: 1280 },
  { name: 'phone', width: 390, height: 844 },
];
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const minTarget = 48;

const suite = useServerAndBrowser();

/**
 * Opens path in a fresh browser context (no stored language) at the given viewport.
 * @param {string} path
 * @param {{ width: number, height: number }} [viewport]
 */
async function open(path, viewport = viewports[0]) {
  const context = await suite.browser.newContext({
    baseURL: suite.server.baseURL,
    viewport: { width: viewport.width, height: viewport.height },
    locale: 'en-US',
  });
  // Fail in seconds, not Playwright's default 30 s, when a page never shows what a test waits for.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(path);
  return { context, page, problems };
}

/** @param {import('playwright-core').Page} page */
async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

/** @param {import('playwright-core').Page} page @param {string} label */
async function assertNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(violations, [], `${label}: axe found violations`);
}

/** @param {import('playwright-core').Page} page @param {string} label */
async function assertTargetsAtLeast48(page, label) {
  const targets = await page.locator('a[href], button, input, select, textarea, [role="button"], [role="link"]').all();
  assert.ok(targets.length >= 7, `${label}: expected the home page's links and buttons, found ${targets.length}`);
  const small = [];
  for (const target of targets) {
    const box = await target.boundingBox();
    if (!box) continue; // not rendered, so not a target
    if (box.width < minTarget || box.height < minTarget) {
      const name = await target.evaluate((el) => el.textContent?.trim() || el.outerHTML.slice(0, 60));
      small.push(`"${name}" is ${box.width.toFixed(1)}×${box.height.toFixed(1)}`);
    }
  }
  assert.deepEqual(small, [], `${label}: targets smaller than ${minTarget}×${minTarget} CSS px`);
}

describe('home page', () => {
  for (const viewport of viewports) {
    it(`renders, switches to Español, and is accessible in both languages on a ${viewport.name} (${viewport.width}×${viewport.height})`, async () => {
      const { context, page, problems } = await open('/', viewport);
      try {
        await page.getByRole('heading', { level: 1, name: en['home.title'] }).waitFor();
        assert.equal(await htmlLang(page), 'en');
        assert.equal(await page.title(), `${en['home.docTitle']} – Chorus`);
        for (const name of [en['home.kiosk'], en['home.live'], en['home.signin'], en['home.dashboard']]) {
          assert.ok(await page.getByRole('link', { name }).isVisible(), `link "${name}" is visible`);
        }
        await assertNoAxeViolations(page, `English, ${viewport.name}`);
        await assertTargetsAtLeast48(page, `English, ${viewport.name}`);

        const español = page.getByRole('button', { name: 'Español' });
        await español.click();
        await page.getByRole('heading', { level: 1, name: es['home.title'] }).waitFor();
        await page.waitForFunction(() => document.documentElement.lang === 'es');
        assert.equal(await español.getAttribute('aria-pressed'), 'true');
        assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'false');
        assert.ok(await page.getByRole('link', { name: es['home.kiosk'] }).isVisible());
        await assertNoAxeViolations(page, `Español, ${viewport.name}`);
        await assertTargetsAtLeast48(page, `Español, ${viewport.name}`);

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
  it('follows a home link without a page load, and back again', async () => {
    const { context, page, problems } = await open('/');
    try {
      await page.getByRole('heading', { level: 1, name: en['home.title'] }).waitFor();
      await page.evaluate(() => Object.assign(window, { chorusSamePage: true }));
      await page.getByRole('link', { name: en['home.kiosk'] }).click();
      await page.getByRole('heading', { level: 1, name: en['kiosk.title'] }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/kiosk');
      assert.equal(await page.evaluate(() => 'chorusSamePage' in window), true, 'no full page load');
      await page.waitForFunction(() => document.activeElement?.id === 'main');

      await page.goBack();
      await page.getByRole('heading', { level: 1, name: en['home.title'] }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const [path, key] of [
    ['/kiosk', 'kiosk.title'],
    ['/live', 'live.title'],
    ['/screen', 'screen.title'],
    ['/facilitator', 'facilitator.title'],
    ['/staff', 'staff.title'],
    ['/dashboard', 'dashboard.title'],
    ['/signin', 'signin.title'],
    ['/no-such-page', 'notFound.title'],
  ]) {
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
});
