// The staff pages' frame, in English and Spanish: a page opened by its address
// names itself in the tab (not "staff.deliveries.title"); on a wide screen the
// site header lines up with the page under it; on a phone the staff menu folds
// behind one button so the page's heading is on the first screen; and the
// checkboxes and radios of a staff form stay 48 px wide on a phone. Axe runs on
// every state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, unexpected } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser, watchForProblems } from './harness.mjs';

// A long name, so a checkbox beside it would be squeezed if it could be.
const siteName = 'Eastside storefront on Martin Luther King Jr. Boulevard, back entrance';

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    const args = ['admin', 'site', 'add', '--org', testAdmin.org, '--name', siteName];
    const result = await runChorus([...args, '--kind', 'fixed', '--setting', 'urban', '--tz', 'America/Chicago'], {
      DATABASE_URL: env.DATABASE_URL ?? '',
    });
    if (result.code !== 0) throw new Error(`site add failed: ${result.stderr}`);
  },
});

const phone = { width: 390, height: 844 };

/**
 * A new visitor whose browser prefers lang, signed in as the test admin.
 * @param {'en' | 'es'} lang
 * @param {{ width: number, height: number }} viewport
 */
async function signedIn(lang, viewport) {
  const words = dictionary(lang);
  const context = await suite.browser.newContext({ baseURL: suite.server.baseURL, viewport, locale: lang === 'es' ? 'es-MX' : 'en-US' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto('/signin');
  await page.getByLabel(words['signin.email']).fill(testAdmin.email);
  await page.getByLabel(words['signin.password'], { exact: true }).fill(testAdmin.password);
  await page.getByRole('button', { name: words['signin.submit'] }).click();
  await page.getByRole('heading', { level: 1, name: words['staff.title'] }).waitFor();
  return { context, page, problems, words };
}

for (const lang of /** @type {const} */ (['en', 'es'])) {
  describe(`staff pages' frame (${lang})`, () => {
    it('a page opened by its address has its name in the tab', async () => {
      const { context, page, problems, words } = await signedIn(lang, { width: 1280, height: 900 });
      try {
        for (const [path, key] of [
          ['/staff/deliveries', 'staff.deliveries.title'],
          ['/staff/routing', 'staff.routing.title'],
          ['/staff/posters', 'staff.posters.title'],
        ]) {
          await page.goto(path);
          await page.getByRole('heading', { level: 1, name: words[key] }).waitFor();
          await page.waitForFunction((want) => document.title === want, `${words[key]} – ${words['app.name']}`);
        }
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });

    for (const width of [1280, 1920]) {
      it(`at ${width} px the header spans the window and lines up with the page`, async () => {
        const { context, page, problems } = await signedIn(lang, { width, height: 1000 });
        try {
          await page.screenshot({ path: `/tmp/shots/header-${width}-${lang}.png` }).catch(() => {});
          const boxes = await page.evaluate(() => {
            const box = (/** @type {string} */ selector) => document.querySelector(selector)?.getBoundingClientRect();
            return {
              window: document.documentElement.clientWidth,
              page: document.documentElement.scrollWidth,
              header: box('header')?.width,
              brand: box('header .brand')?.left,
              switchRight: box('header .site-header__inner')?.right,
              heading: box('main h1')?.left,
              contentRight: box('main .wrap')?.right,
            };
          });
          assert.equal(boxes.page, boxes.window, 'nothing wider than the window');
          assert.equal(boxes.header, boxes.window, 'the header spans the window');
          assert.ok(Math.abs(Number(boxes.brand) - Number(boxes.heading)) <= 1, `name at ${boxes.brand}, heading at ${boxes.heading}`);
          assert.ok(Math.abs(Number(boxes.switchRight) - Number(boxes.contentRight)) <= 1, 'header and page end together');
          assert.deepEqual(unexpected(problems), []);
        } finally {
          await context.close();
        }
      });
    }

    it('on a phone the menu folds behind one button and the heading is on the first screen', async () => {
      const { context, page, problems, words } = await signedIn(lang, phone);
      try {
        const heading = page.getByRole('heading', { level: 1, name: words['staff.title'] });
        const box = await heading.boundingBox();
        assert.ok(box && box.y + box.height <= phone.height, `heading ends at ${box && box.y + box.height}`);
        const nav = page.getByRole('navigation', { name: words['staff.nav.label'] });
        const menu = nav.getByRole('button', { name: words['staff.nav.menu'] });
        assert.equal(await menu.getAttribute('aria-expanded'), 'false');
        assert.equal(await nav.getByRole('link').count(), 0, 'the folded menu hides its links from everyone');
        await assertAccessible(page, `${lang} phone, menu folded`);

        // Keyboard: Enter opens it, and the first link comes next in the tab order.
        await menu.focus();
        await page.keyboard.press('Enter');
        assert.equal(await menu.getAttribute('aria-expanded'), 'true');
        await page.keyboard.press('Tab');
        const first = nav.getByRole('link', { name: words['staff.nav.home'] });
        assert.ok(await first.evaluate((el) => el === document.activeElement), 'Tab goes into the menu');
        await assertAccessible(page, `${lang} phone, menu open`);

        // Choosing a page folds the menu again there.
        await nav.getByRole('link', { name: words['staff.nav.deliveries'] }).click();
        await page.getByRole('heading', { level: 1, name: words['staff.deliveries.title'] }).waitFor();
        assert.equal(await menu.getAttribute('aria-expanded'), 'false');
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });

    it('on a wide screen the menu is always open and there is no menu button', async () => {
      const { context, page, words } = await signedIn(lang, { width: 1280, height: 900 });
      try {
        const nav = page.getByRole('navigation', { name: words['staff.nav.label'] });
        await nav.getByRole('link', { name: words['staff.nav.deliveries'] }).waitFor();
        assert.equal(await nav.getByRole('button').count(), 0);
        // The posters have their own entry, not only a link from each site's row.
        await nav.getByRole('link', { name: words['staff.nav.posters'], exact: true }).click();
        await page.getByRole('heading', { level: 1, name: words['staff.posters.title'] }).waitFor();
      } finally {
        await context.close();
      }
    });

    it('on a phone every staff page fits the width: nothing scrolls sideways but a table in its own region', async () => {
      const { context, page, problems, words } = await signedIn(lang, phone);
      try {
        const pages = [
          ['/staff', 'staff.title'],
          ['/staff/sites', 'staff.sites.title'],
          ['/staff/posters', 'staff.posters.title'],
          ['/staff/kiosks', 'staff.kiosks.title'],
          ['/staff/users', 'staff.people.title'],
          ['/staff/audit', 'staff.audit.title'],
          ['/staff/settings', 'staff.settings.title'],
          ['/staff/tokens', 'staff.tokens.title'],
          ['/staff/password', 'staff.password.title'],
          ['/staff/moderation', 'staff.moderation.title'],
          ['/staff/alerts', 'staff.alerts.title'],
          ['/staff/categories', 'staff.categories.title'],
          ['/staff/proposals', 'staff.proposals.title'],
          ['/staff/proposals/new', 'staff.proposals.new.title'],
          ['/staff/needs', 'staff.needs.title'],
          ['/staff/figures', 'staff.figures.title'],
          ['/staff/routing', 'staff.routing.title'],
          ['/staff/webhooks', 'staff.webhooks.title'],
          ['/staff/deliveries', 'staff.deliveries.title'],
          ['/staff/research/findings', 'staff.findings.title'],
          ['/staff/research/manage', 'staff.researchAdmin.title'],
        ];
        const wide = [];
        for (const [path, key] of pages) {
          await page.goto(path);
          await page.getByRole('heading', { level: 1, name: words[key] }).waitFor();
          await page.waitForTimeout(400);
          const overflow = await page.evaluate(() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            // The widest element that is not inside a scrolling region of its own.
            let worst = null;
            for (const el of Array.from(document.querySelectorAll('body *'))) {
              const r = el.getBoundingClientRect();
              if (r.right <= width + 1 || el.closest('[tabindex][role="region"], .table-wrap')) continue;
              if (!worst || r.right > worst.right) worst = { right: Math.round(r.right), what: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') };
            }
            return { page: document.documentElement.scrollWidth, worst };
          });
          if (overflow) wide.push(`${path}: ${JSON.stringify(overflow)}`);
          await page.screenshot({ path: `/tmp/shots/reflow-${lang}${path.replaceAll('/', '-')}.png` }).catch(() => {});
        }
        assert.deepEqual(wide, [], `pages wider than a ${phone.width} px phone`);
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });

    it('on a phone the checkboxes and radios of staff forms are 48 px targets', async () => {
      const { context, page, problems, words } = await signedIn(lang, phone);
      try {
        await page.goto('/staff/routing');
        await page.getByRole('checkbox', { name: siteName }).waitFor();
        await assertAccessible(page, `${lang} routing form on a phone`, { atLeast: 8 });

        await page.goto('/staff/proposals/new');
        await page.getByRole('heading', { level: 1, name: words['staff.proposals.new.title'] }).waitFor();
        await page.getByRole('checkbox', { name: siteName }).waitFor();
        await assertAccessible(page, `${lang} new proposal form on a phone`, { atLeast: 8 });
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  });
}
