// Checks shared by the browser tests: the dictionaries, axe-core's WCAG 2.2
// A/AA rules, 48×48 CSS px targets, and a fresh browser context per visitor.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { watchForProblems } from './harness.mjs';

/**
 * Every message in lang: the words every page has plus the kiosk flow's and the staff tools'.
 * @param {string} lang
 * @returns {Record<string, string>}
 */
export function dictionary(lang) {
  const read = (/** @type {string} */ path) =>
    JSON.parse(readFileSync(new URL(`../src/lib/i18n/${path}`, import.meta.url), 'utf8'));
  return { ...read(`${lang}.json`), ...read(`kiosk/${lang}.json`), ...read(`staff/${lang}.json`) };
}

export const viewports = [
  { name: 'tablet', width: 800, height: 1280 },
  { name: 'phone', width: 390, height: 844 },
];
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const minTarget = 48;

/**
 * Fills `{name}` placeholders the way the app's t() does.
 * @param {string} message
 * @param {Record<string, string | number>} params
 */
export function fill(message, params) {
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * A fresh browser context (no cookies, no storage: a new visitor or device) and one page in it.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseURL
 * @param {{ width: number, height: number }} [viewport]
 */
export async function openContext(browser, baseURL, viewport = viewports[0]) {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: viewport.width, height: viewport.height },
    locale: 'en-US',
  });
  // Fail in seconds, not Playwright's default 30 s, when a page never shows what a test waits for.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  return { context, page, problems };
}

/**
 * Problems other than two kinds of browser noise: its note about an answer
 * the test asked for on purpose (a refused sign-in is a 401, and Chromium
 * logs every 4xx), and a request cut short because the test moved on to
 * another page (ERR_ABORTED, often the favicon).
 * @param {string[]} problems
 */
export function unexpected(problems) {
  return problems.filter(
    (problem) =>
      !/Failed to load resource: the server responded with a status of 4\d\d/.test(problem) &&
      !/^request failed: .* net::ERR_ABORTED$/.test(problem),
  );
}

/** @param {import('playwright-core').Page} page @param {string} label */
export async function assertNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(violations, [], `${label}: axe found violations`);
}

/**
 * Every link, button and form control drawn on the page is at least 48×48 CSS px.
 * @param {import('playwright-core').Page} page
 * @param {string} label
 * @param {{ atLeast?: number }} [options] how many targets the page must have, so an empty page cannot pass
 */
export async function assertTargetsAtLeast48(page, label, { atLeast = 1 } = {}) {
  const targets = await page.locator('a[href], button, input, select, textarea, [role="button"], [role="link"]').all();
  assert.ok(targets.length >= atLeast, `${label}: expected at least ${atLeast} links and controls, found ${targets.length}`);
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

/**
 * Both accessibility checks at once.
 * @param {import('playwright-core').Page} page
 * @param {string} label
 * @param {{ atLeast?: number }} [options]
 */
export async function assertAccessible(page, label, options) {
  await assertNoAxeViolations(page, label);
  await assertTargetsAtLeast48(page, label, options);
}

/**
 * On the research admin page, makes the signed-in person a coder if they are not one yet.
 * The page lists people after its heading appears, so this waits for either button
 * (isVisible alone does not wait, and once saw an empty list: the CI run of 2026-12-06).
 * @param {import('playwright-core').Page} page on /staff/research/manage
 * @param {Record<string, string>} d the dictionary
 * @param {string} email
 */
export async function becomeCoder(page, d, email) {
  const button = (/** @type {string} */ key) => page.getByRole('button', { name: new RegExp(`^${d[key]}\\W+${email}$`) });
  const make = button('staff.researchAdmin.makeCoder');
  const stop = button('staff.researchAdmin.stopCoder');
  await make.or(stop).waitFor();
  if (await make.isVisible()) await make.click();
  await stop.waitFor();
}
