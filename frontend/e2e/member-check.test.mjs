// Member checking end to end: an admin writes a finding on the findings page;
// a peer facilitator starts a meeting and adds it as a "Did we get this
// right?" question; three participants on phones read the finding under that
// question and answer; the facilitator shows the results; the finding's page then shows how the community
// answered (2 agree, 1 disagree) at the meeting's site and in all, and the
// admin puts it to the site's kiosks for two weeks. axe and
// 48×48 targets on the findings list, the finding's page (English and
// Spanish, tablet and phone), the console and the participants' page.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { testAdmin, useServerAndBrowser } from './harness.mjs';
import { peer, seedMeetingRoom, setMinVoters, site } from './live-setup.mjs';

const en = dictionary('en');
const es = dictionary('es');
const suite = useServerAndBrowser({ seed: seedMeetingRoom });
const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });

const statementEn = 'People carry naloxone to look out for each other.';
const statementEs = 'Las personas llevan naloxona para cuidarse entre sí.';

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** @param {import('playwright-core').Page} page */
async function signIn(page) {
  await page.goto('/signin');
  await page.getByLabel(en['signin.email']).fill(testAdmin.email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(testAdmin.password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
  await page.getByRole('navigation', { name: en['staff.nav.label'] }).waitFor();
}

/** @param {import('playwright-core').Page} page @param {Record<string, string>} d */
async function openFindings(page, d) {
  const nav = page.getByRole('navigation', { name: d['staff.nav.label'] });
  const menu = nav.getByRole('button', { name: d['staff.nav.menu'] });
  if (await menu.isVisible()) await menu.click();
  await nav.getByRole('link', { name: d['staff.nav.findings'], exact: true }).click();
  await h1(page, d['staff.findings.title']);
}

/**
 * The finding's "How the community answered" table, once it is shown.
 * @param {import('playwright-core').Page} page
 */
async function answersTable(page) {
  const table = page.getByRole('table', { name: en['staff.finding.checks.caption'] });
  await table.waitFor();
  return table;
}

describe('member checking', () => {
  it('a finding goes to a meeting, three phones answer, the finding shows how the community answered', async () => {
    await setMinVoters(suite.server.baseURL, 3);
    const admin = await openContext(suite.browser, suite.server.baseURL);
    const facilitator = await openContext(suite.browser, suite.server.baseURL);
    const phones = await Promise.all([1, 2, 3].map(() => openContext(suite.browser, suite.server.baseURL, viewports[1])));
    try {
      const a = admin.page;
      await signIn(a);

      // Write the finding on the findings page.
      await openFindings(a, en);
      await a.getByText(en['staff.findings.none']).waitFor();
      await a.getByLabel(en['staff.findings.statementEn']).fill(statementEn);
      await a.getByLabel(en['staff.findings.statementEs']).fill(statementEs);
      await a.locator('.finding-form input[type="checkbox"]').first().check();
      await assertAccessible(a, '/staff/research/findings with the form filled', { atLeast: 6 });
      await a.getByRole('button', { name: en['staff.findings.create'] }).click();
      await a.waitForURL(/\/staff\/research\/findings\/[0-9a-f-]{36}$/);
      const findingURL = new URL(a.url()).pathname;
      await a.getByText(statementEn).waitFor();
      await a.getByText(en['staff.finding.checks.none']).waitFor();

      // A peer facilitator starts a meeting and puts the finding to the room.
      const f = facilitator.page;
      await f.goto('/signin');
      await f.getByLabel(en['signin.email']).fill(peer.email);
      await f.getByLabel(en['signin.password'], { exact: true }).fill(peer.password);
      await f.getByRole('button', { name: en['signin.submit'] }).click();
      await h1(f, en['facilitator.title']);
      await f.getByLabel(en['facilitator.site']).selectOption({ label: site });
      await f.getByLabel(en['facilitator.name']).fill('Check-in meeting');
      await f.getByRole('button', { name: en['facilitator.create'] }).click();
      await f.waitForURL(/\/facilitator\?session=/);
      const codeText = f.locator('.join__code');
      await codeText.waitFor();
      const code = (await codeText.getAttribute('data-code')) ?? '';
      const kind = f.getByLabel(en['facilitator.round.kind']);
      await kind.locator('option[value="check"]').waitFor({ state: 'attached' });
      await kind.selectOption('check');
      await f.getByLabel(en['facilitator.round.finding'], { exact: true }).selectOption({ label: statementEn });
      assert.equal(await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).count(), 0, 'a member check has no prompt of its own');
      await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
      const card = f.locator('article').filter({ hasText: statementEn });
      await card.getByText(en['facilitator.round.checkNote']).waitFor();
      await card.getByRole('button', { name: en['facilitator.round.open'], exact: true }).click();
      await card.getByText(en['facilitator.state.open']).waitFor();
      await assertAccessible(f, '/facilitator with a member-check question', { atLeast: 8 });

      // Three participants read the question and the finding, and answer.
      const answers = ['live.agree.agree', 'live.agree.agree', 'live.agree.disagree'];
      for (const [i, phone] of phones.entries()) {
        const p = phone.page;
        await p.goto(`/live/${code}`);
        await p.getByText(en['live.check.question']).waitFor();
        await p.getByRole('heading', { level: 2, name: statementEn }).waitFor();
        if (i === 0) await assertAccessible(p, '/live/<code>, member check', { atLeast: 4 });
        await p.getByRole('button', { name: en[answers[i]], exact: true }).click();
        await p.getByText(en['live.received']).waitFor();
      }
      await phones[0].page.screenshot({ path: `${shots}/member-check-phone-en.png` });
      await card.getByText(fill(en['facilitator.round.voters'], { count: 3 })).waitFor();
      await card.getByRole('button', { name: en['facilitator.round.reveal'] }).click();
      await card.getByText(en['facilitator.state.revealed']).waitFor();
      for (const phone of phones) {
        await phone.page.getByText(fill(en['live.results.count'], { option: en['live.agree.agree'], count: 2 }), { exact: true }).waitFor();
      }

      // The finding's page: 2 agree, 1 disagree, 0 unsure, 3 answers at the site and in all (exact for an admin).
      await a.goto(findingURL);
      const table = await answersTable(a);
      const row = table.getByRole('row').filter({ has: a.getByRole('rowheader', { name: site }) });
      assert.deepEqual(await row.getByRole('cell').allTextContents(), ['2', '1', '0', '3']);
      assert.equal(await table.locator('[data-check="answers"]').textContent(), '3');
      assert.equal(await table.locator('[data-check="agree"]').textContent(), '2');
      // Put it to the site's kiosks too: the period is listed, with a way to stop it.
      await a.getByRole('checkbox', { name: site }).check();
      await a.getByRole('button', { name: en['staff.finding.asks.submit'] }).click();
      await a.getByText(new RegExp(`^${site}: `)).waitFor();
      await a.getByRole('button', { name: new RegExp(`^${en['staff.finding.asks.stop']}`) }).waitFor();
      await assertAccessible(a, 'finding page with answers and a kiosk question', { atLeast: 8 });
      await a.screenshot({ path: `${shots}/finding-en-tablet.png`, fullPage: true });

      // In Spanish, on a phone.
      await a.setViewportSize({ width: viewports[1].width, height: viewports[1].height });
      await a.getByRole('button', { name: 'Español' }).click();
      await a.getByRole('heading', { level: 2, name: es['staff.finding.checks.title'] }).waitFor();
      await a.getByText(statementEs).first().waitFor();
      await assertAccessible(a, 'finding page in Spanish on a phone', { atLeast: 3 });
      await a.screenshot({ path: `${shots}/finding-es-phone.png`, fullPage: true });
      await openFindings(a, es);
      await a.getByRole('link', { name: statementEs }).waitFor();
      await assertAccessible(a, 'findings list in Spanish on a phone', { atLeast: 3 });

      assert.deepEqual(unexpected(admin.problems), [], 'admin: console problems');
      assert.deepEqual(unexpected(facilitator.problems), [], 'facilitator: console problems');
      for (const [i, phone] of phones.entries()) {
        assert.deepEqual(unexpected(phone.problems), [], `phone ${i + 1}: console problems`);
      }
    } finally {
      for (const ctx of [admin, facilitator, ...phones]) await ctx.context.close();
    }
  });
});
