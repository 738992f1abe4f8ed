// The results dashboard, as a policymaker reads it, on the demo program (an
// urban fixed site and a rural mobile site with a year of answers,
// "about you" bands included). The policymaker signs in and
// lands on the dashboard, compares the two sites side by side, changes the
// filters (the address changes, a reload keeps the view), and never sees a
// count from 1 to k − 1; downloads a CSV (no formula-leading cells, no small
// counts) and the PDF report. The months shown, and whether this month is
// left out, come from the server, even when the browser's clock is wrong;
// the sites' charts read each count with its share; a small table tells
// kiosk from own-phone answers. axe-core and 48×48 targets over time and
// side by side, on a laptop and on a phone.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, useServerAndBrowser } from './harness.mjs';

const en = dictionary('en');
const es = dictionary('es');
const org = 'Chorus Demo Program';
const urban = 'Lower East Side storefront';
const rural = 'Southern Illinois van';
const policymaker = { email: 'council@example.org', password: 'a policymaker password' };
const facilitator = { email: 'peer@example.org', password: 'a facilitator password' };
/** The demo program's privacy limit. */
const k = 11;
const laptop = { name: 'laptop', width: 1280, height: 900 };

const suite = useServerAndBrowser({
  seed: async (env) => {
    const demo = await runChorus(['demo', '--no-serve'], { DATABASE_URL: env.DATABASE_URL ?? '' });
    assert.equal(demo.code, 0, `demo: ${demo.stderr}`);
    for (const [who, role] of /** @type {const} */ ([[policymaker, 'policymaker'], [facilitator, 'facilitator']])) {
      const user = await runChorus(['admin', 'user', 'add', '--org', org, '--email', who.email, '--role', role], {
        DATABASE_URL: env.DATABASE_URL ?? '',
        CHORUS_ADMIN_PASSWORD: who.password,
      });
      assert.equal(user.code, 0, user.stderr);
    }
  },
});

/**
 * Signs in from the sign-in page with no ?next=, as someone who just opened Chorus.
 * @param {import('playwright-core').Page} page
 * @param {{ email: string, password: string }} [who]
 */
async function signIn(page, who = policymaker) {
  await page.goto('/signin');
  await page.getByLabel(en['signin.email']).fill(who.email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(who.password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
}

/**
 * Waits until every section has its report (no "Loading…" left).
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d
 */
async function loaded(page, d = en) {
  await page.getByRole('heading', { level: 2, name: d['staff.dashboard.about.title'] }).waitFor();
  await page.waitForFunction((loading) => !Array.from(document.querySelectorAll('[role="status"]')).some((el) => el.textContent?.trim() === loading), d['app.loading']);
  await page.locator('#needs table').waitFor();
}

/**
 * Every count on the page: each is hidden ("") or 0 or at least k, never 1 to k − 1.
 * @param {import('playwright-core').Page} page
 * @param {string} label
 * @param {Record<string, string>} [d]
 */
async function assertNoSmallCounts(page, label, d = en) {
  const counts = await page.locator('[data-count]').evaluateAll((els) => els.map((el) => el.getAttribute('data-count') ?? ''));
  assert.ok(counts.length > 20, `${label}: the page shows counts (${counts.length})`);
  const small = counts.filter((c) => c !== '' && Number(c) > 0 && Number(c) < k);
  assert.deepEqual(small, [], `${label}: counts from 1 to ${k - 1} on the page`);
  assert.ok(counts.includes(''), `${label}: some counts are hidden (and drawn as hidden, not 0)`);
  assert.ok(counts.some((c) => Number(c) >= k), `${label}: some counts of ${k} or more are shown`);
  // A hidden count reads "fewer than k" in the tables, never 0.
  const hiddenCells = await page.locator('td[data-count=""]').allTextContents();
  assert.ok(hiddenCells.length > 0 && hiddenCells.every((text) => text.trim() === fill(d['staff.proposals.support.fewer'], { k })), `${label}: hidden cells say so`);
}

/**
 * The downloaded CSV: no cell a spreadsheet would run as a formula, and no count from 1 to k − 1.
 * @param {string} text
 */
function assertSafeCSV(text) {
  const lines = text.trim().split(/\r?\n/).map((line) => line.split(','));
  const header = lines[0] ?? [];
  assert.ok(header.includes('total'), `CSV header: ${header}`);
  assert.ok(lines.length > 2, 'the CSV has rows');
  for (const line of lines) {
    for (const [i, cell] of line.entries()) {
      assert.ok(!/^[=+\-@\t\r]/.test(cell), `formula-leading cell ${JSON.stringify(cell)}`);
      if (header[i] === 'share_percent' || !/^\d+$/.test(cell)) continue;
      const n = Number(cell);
      assert.ok(n === 0 || n >= k, `CSV count ${n} in ${line.join(',')}`);
    }
  }
  assert.ok(/suppressed/.test(text) || lines.slice(1).some((line) => line.some((c) => /^\d+$/.test(c) && Number(c) >= k)));
}

describe('the results dashboard', () => {
  it('a policymaker views it, compares the two sites, changes the view, and downloads CSV and PDF', async (t) => {
    const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, laptop);
    try {
      // Policymakers land on the dashboard after signing in.
      await signIn(page);
      await page.waitForURL((url) => url.pathname === '/dashboard');
      await page.getByRole('heading', { level: 1, name: en['dashboard.title'] }).waitFor();
      await loaded(page);
      assert.ok(await page.getByRole('heading', { level: 2, name: en['staff.dashboard.strengths.title'] }).isVisible());
      assert.ok(await page.getByText(en['staff.dashboard.priorities.intro']).isVisible(), 'the points are explained');
      assert.ok(await page.getByText(en['staff.dashboard.protected']).isVisible(), 'says that some larger numbers are hidden too');
      assert.ok(await page.locator('#needs svg[role="img"]').count() >= 1, 'needs are drawn over time');
      await assertNoSmallCounts(page, 'over time');
      // The demo's "about you" answers show where a band holds k or more.
      const bands = await page.locator('#about td[data-count]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count') || 0)));
      assert.ok(bands.some((n) => n >= k), `an about-you band shows ${k} or more: ${bands}`);
      await assertAccessible(page, 'dashboard over time', { atLeast: 10 });

      // Sites side by side, from the keyboard: both sites in the needs chart's legend and table.
      const sitesLink = page.getByRole('link', { name: en['staff.dashboard.view.sites'] });
      await sitesLink.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('view') === 'sites');
      await loaded(page);
      const needsTable = page.locator('#needs table');
      for (const site of [urban, rural]) {
        await needsTable.getByRole('columnheader', { name: site }).waitFor();
        assert.ok(await page.locator('#needs .legend').getByText(site).isVisible(), `${site} in the legend`);
      }
      assert.equal(await sitesLink.getAttribute('aria-current'), 'page');
      await assertNoSmallCounts(page, 'sites side by side');
      await assertAccessible(page, 'dashboard, sites side by side', { atLeast: 10 });

      // A filter changes the address; a reload keeps the view.
      await page.getByLabel(en['staff.dashboard.filters.period']).selectOption('week');
      await page.getByLabel(en['staff.dashboard.filters.sites']).selectOption({ label: en['staff.dashboard.filters.rural'] });
      await page.getByRole('button', { name: en['staff.dashboard.filters.apply'], exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('setting') === 'rural' && url.searchParams.get('period') === 'week');
      const shared = page.url();
      assert.equal(new URL(shared).searchParams.get('view'), 'sites', 'the view stays');
      await page.reload();
      await loaded(page);
      assert.equal(page.url(), shared);
      assert.equal(await page.getByLabel(en['staff.dashboard.filters.period']).inputValue(), 'week');
      assert.equal(await page.getByLabel(en['staff.dashboard.filters.sites']).inputValue(), 'setting:rural');
      await needsTable.getByRole('columnheader', { name: rural }).waitFor();
      assert.equal(await needsTable.getByRole('columnheader', { name: urban }).count(), 0, 'only the rural site');
      await assertNoSmallCounts(page, 'rural, by week');

      // CSV of the same view.
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: `${en['staff.dashboard.csv']}: ${en['staff.dashboard.needs.title']}` }).click(),
      ]);
      assert.match(csv.suggestedFilename(), /\.csv$/);
      const csvText = await readFile(/** @type {string} */ (await csv.path()), 'utf8');
      assertSafeCSV(csvText);
      assert.ok(csvText.split(/\r?\n/)[0]?.includes(rural) && !csvText.includes(urban), 'the CSV has the same sites as the page');

      // The PDF report of the same view.
      const pdfResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports/pdf');
      const pdfDownload = page.waitForEvent('download', { timeout: 30_000 }).catch(() => undefined);
      await page.getByRole('button', { name: en['staff.dashboard.pdf'] }).click();
      const answered = await pdfResponse;
      if (answered.status() === 404) {
        t.skip('GET /api/v1/reports/pdf is not on this server yet: the page says so instead of downloading');
        await page.getByText(en['staff.dashboard.pdf.missing']).waitFor();
      } else {
        const pdf = await pdfDownload;
        assert.ok(pdf, `a PDF download (answer ${answered.status()})`);
        const bytes = await readFile(/** @type {string} */ (await pdf.path()));
        assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
        await page.getByText(en['staff.dashboard.pdf.done']).waitFor();
      }

      // In Spanish, through the filters: the address keeps the language too.
      await page.getByLabel(en['staff.dashboard.filters.lang']).selectOption('es');
      await page.getByRole('button', { name: en['staff.dashboard.filters.apply'], exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('lang') === 'es');
      await page.getByRole('heading', { level: 1, name: es['dashboard.title'] }).waitFor();
      await loaded(page, es);
      await page.getByRole('heading', { level: 2, name: es['staff.dashboard.needs.title'] }).waitFor();
      await assertNoSmallCounts(page, 'in Spanish', es);
      assert.ok(await page.getByText(es['staff.dashboard.protected']).isVisible(), 'says it in Spanish too');

      assert.deepEqual(unexpected(problems), []);
    } finally {
      await context.close();
    }
  });

  for (const lang of /** @type {const} */ (['en', 'es'])) {
    it(`from the home page, a policymaker reads today's sites side by side in shares (${lang})`, async () => {
      const d = dictionary(lang);
      const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, laptop);
      try {
        // This browser's clock is a season behind: the page must go by the server's months, not by it.
        await context.clock.setFixedTime(new Date(Date.now() - 100 * 24 * 60 * 60 * 1000));
        // No typed address: the home page, its sign-in link, the dashboard.
        await page.goto('/');
        if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
        await page.getByRole('heading', { level: 1, name: d['home.title'] }).waitFor();
        await page.getByRole('link', { name: new RegExp(`^${d['home.signin']}`) }).click();
        await page.getByLabel(d['signin.email']).fill(policymaker.email);
        await page.getByLabel(d['signin.password'], { exact: true }).fill(policymaker.password);
        await page.getByRole('button', { name: d['signin.submit'] }).click();
        await page.waitForURL((url) => url.pathname === '/dashboard');
        await loaded(page, d);

        // Which months are shown, and that this month comes in when it ends.
        const note = page.locator('.window-note');
        const [from, to] = await Promise.all([note.getAttribute('data-window-from'), note.getAttribute('data-window-to')]);
        const month = (/** @type {string | null} */ day) =>
          new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
        const now = new Date(); // this test's clock, which is right
        const thisMonth = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-01`;
        assert.ok(to && to < thisMonth, `the default view ends before this month (${to})`);
        assert.equal(
          (await note.textContent())?.replace(/\s+/g, ' ').trim(),
          `${fill(d['staff.dashboard.window'], { from: month(from), to: month(to) })} ${d['staff.dashboard.window.pending']}`,
        );
        assert.equal(await page.getByText(d['staff.dashboard.sessions.none']).count(), 0, 'never "no live sessions were held" for months that leave today out');

        // Kiosk or own phone, from the page's contents: a small table, hidden as the server sends it.
        await page.getByRole('navigation', { name: d['staff.dashboard.contents'] }).getByRole('link', { name: d['staff.dashboard.channels.title'] }).click();
        const channels = page.locator('#channels table');
        await channels.getByRole('caption').filter({ hasText: d['staff.dashboard.channels.caption'] }).waitFor();
        for (const way of ['staff.dashboard.channels.kiosk', 'staff.dashboard.channels.phone', 'staff.dashboard.channels.all']) {
          await channels.getByRole('rowheader', { name: d[way] }).waitFor();
        }
        const partTotal = await page.locator('#participation tfoot td[data-count]').last().getAttribute('data-count');
        assert.equal(await channels.locator('tfoot td[data-count]').last().getAttribute('data-count'), partTotal, 'all answers, as in participation');
        const kiosk = await channels.locator('tbody tr').first().locator('td[data-count]').last().getAttribute('data-count');
        assert.equal(kiosk, partTotal, 'the demo\'s answers all came from its kiosks');

        // Sites side by side: each count with its share of that site's respondents.
        await page.getByRole('link', { name: d['staff.dashboard.view.sites'] }).click();
        await page.waitForURL((url) => url.searchParams.get('view') === 'sites');
        await loaded(page, d);
        const needsTable = page.locator('#needs table');
        for (const site of [urban, rural]) await needsTable.getByRole('columnheader', { name: site }).waitFor();
        assert.ok(await page.locator('#needs').getByText(d['staff.dashboard.table.siteShares']).isVisible(), 'says what the shares are out of');
        const respondents = await needsTable.locator('tfoot td[data-count]').evaluateAll((els) => els.map((el) => el.getAttribute('data-count') ?? ''));
        const rows = await needsTable.locator('tbody tr').evaluateAll((trs) =>
          trs.map((tr) =>
            Array.from(tr.querySelectorAll('td[data-count]')).map((td) => ({
              count: td.getAttribute('data-count') ?? '',
              share: td.querySelector('.cell-share')?.getAttribute('data-share') ?? null,
            })),
          ),
        );
        let shares = 0;
        for (const row of rows) {
          for (const [i, cell] of row.slice(0, 2).entries()) {
            const of = respondents[i] ?? '';
            if (cell.count === '' || of === '' || Number(of) === 0) {
              assert.equal(cell.share, null, 'a hidden count, or a hidden total, has no share');
              continue;
            }
            assert.ok(cell.share !== null, `a shown count at site ${i} has its share`);
            assert.ok(Math.abs(Number(cell.share) - (Number(cell.count) / Number(of)) * 100) < 0.06, `${cell.count} of ${of} is ${cell.share} %`);
            shares++;
          }
        }
        assert.ok(shares >= 4, `shares beside counts (${shares})`);
        // The chart reads the same shares, to the eye and to a screen reader.
        const barShares = await page.locator('#needs .bar__share[data-share]').count();
        assert.ok(barShares >= 4, `shares beside the chart's bars (${barShares})`);
        const chartLabel = (await page.locator('#needs [role="img"]').first().getAttribute('aria-label')) ?? '';
        assert.match(chartLabel, new RegExp(`${urban} [\\d.,]+ \\(\\d+([.,]\\d)?\\s?%\\)`), 'the chart\'s description gives a site\'s count with its share');
        await assertNoSmallCounts(page, `sites in shares (${lang})`, d);
        await assertAccessible(page, `dashboard, sites in shares (${lang})`, { atLeast: 10 });
        assert.deepEqual(unexpected(problems), []);
      } finally {
        await context.close();
      }
    });
  }

  it('is accessible on a phone, and closed to facilitators', async () => {
    const { context, page, problems } = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
    try {
      await signIn(page);
      await page.waitForURL((url) => url.pathname === '/dashboard');
      await loaded(page);
      await assertNoSmallCounts(page, 'phone');
      await assertAccessible(page, 'dashboard on a phone', { atLeast: 10 });

      await page.getByRole('button', { name: en['staff.signOut'] }).click();
      await page.waitForURL((url) => url.pathname === '/signin');
      await signIn(page, facilitator);
      await page.waitForURL((url) => url.pathname === '/facilitator');
      await page.goto('/dashboard');
      await page.getByText(en['staff.dashboard.closed']).waitFor();
      assert.equal(await page.locator('[data-count]').count(), 0);
      assert.deepEqual(unexpected(problems), []);
    } finally {
      await context.close();
    }
  });
});
