// A peer facilitator's first meeting, with nobody typing an address: from
// the home page to sign-in, which lands on the meeting console; a meeting is
// started and the projector opened from the console's link; three phones
// join from the home page with the code the projector shows, and four people
// vote by a show of hands. The console says how many must vote before the
// click (five, the organization's default) and refuses three; with the hands
// counted, seven people see their results on the projector, which says how
// many were counted by hand. Equal counts draw equal bars on the console and
// the projector. Ending the meeting leaves "This meeting has ended" on the
// projector, big and without the dead code, and the console links to the
// saved results. axe and 48×48 targets in English and Spanish; screenshots of
// the projector at 1920×1080 go to /tmp/shots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { useServerAndBrowser, watchForProblems } from './harness.mjs';
import { peer, seedMeetingRoom, site } from './live-setup.mjs';

const en = dictionary('en');
const es = dictionary('es');
const suite = useServerAndBrowser({ seed: seedMeetingRoom });
const projectorSize = { width: 1920, height: 1080 };
const shots = '/tmp/shots';

/**
 * The drawn width of each option's bar in a chart.
 * @param {import('playwright-core').Locator} chart
 * @param {string[]} options
 */
async function barWidths(chart, options) {
  const widths = [];
  for (const option of options) {
    const box = await chart.locator(`[data-option="${option}"] .bars__bar`).boundingBox();
    assert.ok(box, `no bar drawn for ${option}`);
    widths.push(box.width);
  }
  return widths;
}

/**
 * A rendered font size in CSS px.
 * @param {import('playwright-core').Locator} element
 */
const fontSize = (element) => element.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

describe('a facilitator’s first meeting', () => {
  it('runs from / to revealed results on the projector: three phones and four hands', async () => {
    mkdirSync(shots, { recursive: true });
    // The facilitator's laptop drives the projector: its window is the projector's size.
    const facilitator = await openContext(suite.browser, suite.server.baseURL, projectorSize);
    const phones = await Promise.all([1, 2, 3].map(() => openContext(suite.browser, suite.server.baseURL, viewports[1])));
    try {
      const f = facilitator.page;

      // From the front door to the meeting console, following links only.
      await f.goto('/');
      await f.getByRole('link', { name: en['home.signin'] }).click();
      await f.getByLabel(en['signin.email']).fill(peer.email);
      await f.getByLabel(en['signin.password'], { exact: true }).fill(peer.password);
      await f.getByRole('button', { name: en['signin.submit'] }).click();
      await f.getByRole('heading', { level: 1, name: en['facilitator.title'] }).waitFor();
      const nav = f.getByRole('navigation', { name: en['staff.nav.label'] });
      assert.deepEqual((await nav.getByRole('link').allInnerTexts()).slice(0, 2).map((s) => s.trim()), [
        en['staff.nav.home'],
        en['staff.nav.facilitator'],
      ]);
      assert.equal(await nav.getByRole('link', { name: en['staff.nav.facilitator'] }).getAttribute('aria-current'), 'page');

      // The overview puts running a meeting first too.
      await nav.getByRole('link', { name: en['staff.nav.home'] }).click();
      await f.getByRole('heading', { level: 1, name: en['staff.title'] }).waitFor();
      const firstTool = f.locator('.tools li').first().getByRole('link');
      assert.match((await firstTool.innerText()).trim(), new RegExp(`^${en['staff.nav.facilitator']}`));
      await assertAccessible(f, '/staff for a facilitator', { atLeast: 6 });
      await firstTool.click();

      await f.getByLabel(en['facilitator.site']).selectOption({ label: site });
      await f.getByLabel(en['facilitator.name']).fill('Community meeting');
      await f.getByRole('button', { name: en['facilitator.create'] }).click();
      await f.waitForURL(/\/facilitator\?session=/);
      const prompt = 'What should we fix first?';
      const options = ['Food pantry', 'Mail service', 'Showers'];
      await f.getByLabel(en['facilitator.round.kind']).selectOption({ label: en['facilitator.kind.pick'] });
      await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).fill(prompt);
      await f.getByLabel(en['facilitator.round.options']).fill(options.join('\n'));
      await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
      const card = f.locator('article').filter({ hasText: prompt });
      await card.getByRole('button', { name: en['facilitator.round.open'], exact: true }).click();
      await card.getByText(en['facilitator.state.open']).waitFor();

      // The projector opens from the console, in a window of its own.
      const [projector] = await Promise.all([
        facilitator.context.waitForEvent('page'),
        f.getByRole('link', { name: en['facilitator.screen'] }).click(),
      ]);
      const projectorProblems = watchForProblems(projector);
      await projector.getByRole('heading', { level: 2, name: prompt }).waitFor();
      const code = (await projector.locator('.screen__code').getAttribute('data-code')) ?? '';
      assert.match(code, /^[234679ACDEFGHJKMNPQRTUVWXYZ]{6}$/);

      // Read from 10 m: the code and the link over 5% of the screen's height, the QR code over 40%.
      const height = projectorSize.height;
      assert.ok((await fontSize(projector.locator('.screen__code'))) >= 0.1 * height, 'join code too small');
      assert.ok((await fontSize(projector.locator('.screen__link'))) >= 0.05 * height, 'join link too small');
      const qr = await projector.getByRole('img', { name: en['screen.qrAlt'] }).boundingBox();
      assert.ok(qr && qr.width >= 0.4 * height && qr.height >= 0.4 * height, `QR code ${qr?.width}×${qr?.height}`);
      const fits = await projector.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      assert.ok(fits, 'the projector scrolls sideways');
      await projector.screenshot({ path: `${shots}/projector-open-en.png` });

      // Three phones join from the home page with the code on the projector.
      const choices = ['Food pantry', 'Food pantry', 'Food pantry'];
      for (const [i, phone] of phones.entries()) {
        const p = phone.page;
        await p.goto('/');
        await p.getByRole('link', { name: en['home.live'] }).click();
        await p.getByLabel(en['live.code.label']).fill(code);
        await p.getByRole('button', { name: en['live.join'] }).click();
        await p.getByRole('heading', { level: 2, name: prompt }).waitFor();
        await p.getByRole('button', { name: choices[i], exact: true }).click();
        await p.getByText(en['live.received']).waitFor();
      }
      await assertAccessible(phones[0].page, '/live/<code> on a phone, voted', { atLeast: 3 });

      // Before the click, the console says how many must vote and how many have; the click is refused.
      const minimum = card.locator('.round__minimum');
      await card.getByText(fill(en['facilitator.round.minimum'], { min: 5, people: 3 })).waitFor();
      await card.getByRole('button', { name: en['facilitator.round.reveal'] }).click();
      await card.getByRole('alert').filter({ hasText: en['facilitator.round.tooFew'] }).waitFor();
      await projector.getByText(en['live.results.hidden']).waitFor();

      // Four raised hands: three for the mail service, one for the showers.
      for (const [option, count] of /** @type {const} */ ([['Mail service', '3'], ['Showers', '1']])) {
        await card.getByLabel(en['facilitator.hand.option']).selectOption(option);
        await card.getByLabel(en['facilitator.hand.count']).fill(count);
        await card.getByRole('button', { name: en['facilitator.hand.save'] }).click();
        await card.getByText(fill(en['live.results.count'], { option, count }), { exact: true }).waitFor();
      }
      await card.getByText(fill(en['facilitator.round.minimum.hand'], { min: 5, people: 7, hand: 4 })).waitFor();
      assert.equal(await minimum.getAttribute('data-people'), '7');
      await projector.getByText(`${fill(en['live.results.voted'], { count: 7 })} (${fill(en['live.results.hand'], { count: 4 })})`).waitFor();

      // Seven people: the results are shown.
      await card.getByRole('button', { name: en['facilitator.round.reveal'] }).click();
      await card.getByText(en['facilitator.state.revealed']).waitFor();
      await assertAccessible(f, '/facilitator, revealed', { atLeast: 8 });

      // Food pantry 3 (phones) and Mail service 3 (hands, labelled so) draw the same bar on the console.
      const consoleChart = card.locator('.bars');
      await consoleChart.getByText(`(${fill(en['live.results.hand'], { count: 3 })})`).waitFor();
      const [food, mail, showers] = await barWidths(consoleChart, options);
      assert.ok(Math.abs(food - mail) < 0.5, `console: Food pantry ${food}px, Mail service ${mail}px`);
      assert.ok(showers < mail, 'console: one scale for every bar');

      // The projector: the counts, how many were counted by hand, the same bars for the same counts.
      const chart = projector.locator('.bars');
      for (const [option, count] of /** @type {const} */ ([['Food pantry', 3], ['Mail service', 3], ['Showers', 1]])) {
        await chart.getByText(fill(en['live.results.count'], { option, count }), { exact: true }).waitFor();
      }
      await projector.getByText(`${fill(en['live.results.voted'], { count: 7 })} (${fill(en['live.results.hand'], { count: 4 })})`).waitFor();
      const [pFood, pMail, pShowers] = await barWidths(chart, options);
      assert.ok(Math.abs(pFood - pMail) < 0.5 && Math.abs(pShowers * 3 - pFood) < 2, `projector bars ${pFood}, ${pMail}, ${pShowers}`);
      await assertAccessible(projector, '/screen/<code>, revealed', { atLeast: 2 });
      await projector.screenshot({ path: `${shots}/projector-revealed-en.png` });
      await phones[1].page.getByText(fill(en['live.results.count'], { option: 'Mail service', count: 3 }), { exact: true }).waitFor();

      // In Spanish: the projector and the console.
      await projector.getByRole('button', { name: 'Español' }).click();
      await projector.getByText(`${fill(es['live.results.voted'], { count: 7 })} (${fill(es['live.results.hand'], { count: 4 })})`).waitFor();
      await projector.getByText(fill(es['screen.joinAt'], { link: `${suite.server.baseURL}/live/${code}` })).waitFor();
      await assertAccessible(projector, '/screen/<code>, revealed, in Spanish', { atLeast: 2 });
      await projector.screenshot({ path: `${shots}/projector-revealed-es.png` });
      await f.getByRole('button', { name: 'Español' }).click();
      await card.getByText(es['facilitator.state.revealed']).waitFor();
      await assertAccessible(f, '/facilitator, revealed, in Spanish', { atLeast: 8 });

      // The end: the console links to the saved results; the projector says so, big, without the dead code.
      await f.getByRole('button', { name: es['facilitator.end'] }).click();
      await f.getByRole('dialog').getByRole('button', { name: es['facilitator.end'] }).click();
      await f.getByText(es['facilitator.ended']).waitFor();
      await projector.getByText(es['live.ended']).waitFor();
      assert.equal(await projector.locator('.screen__code, .screen__qr, .screen__link').count(), 0);
      assert.ok((await fontSize(projector.getByText(es['live.ended']))) >= 0.05 * height, 'the end is not big');
      await assertAccessible(projector, '/screen/<code>, ended, in Spanish', { atLeast: 2 });
      await projector.screenshot({ path: `${shots}/projector-ended-es.png` });
      await projector.getByRole('button', { name: 'English' }).click();
      await projector.getByText(en['live.ended']).waitFor();
      await assertAccessible(projector, '/screen/<code>, ended', { atLeast: 2 });
      await projector.screenshot({ path: `${shots}/projector-ended-en.png` });

      await f.getByRole('link', { name: es['facilitator.ended.see'] }).click();
      const saved = f.getByRole('region', { name: es['facilitator.results.title'] });
      await saved.getByRole('heading', { level: 3, name: new RegExp(prompt) }).waitFor();
      await saved.getByText(es['facilitator.results.shown']).waitFor();
      await saved.getByText(fill(es['live.results.count'], { option: 'Mail service', count: 3 }), { exact: true }).waitFor();
      await assertAccessible(f, '/facilitator, ended, in Spanish', { atLeast: 4 });
      await f.getByRole('button', { name: 'English' }).click();
      await f.getByRole('link', { name: en['facilitator.back'] }).click();
      // Later, the meeting is under the past meetings, with its results.
      await f.getByRole('heading', { level: 2, name: en['facilitator.past'] }).waitFor();
      await assertAccessible(f, '/facilitator with a past meeting', { atLeast: 6 });
      // "Community meeting, <day>: see the results".
      const [pastName = ''] = fill(en['facilitator.past.item'], { title: 'Community meeting' }).split('{day}');
      await f.getByRole('link', { name: pastName }).click();
      await f.getByRole('region', { name: en['facilitator.results.title'] }).getByText(en['facilitator.results.shown']).waitFor();

      assert.deepEqual(unexpected(facilitator.problems), [], 'facilitator: console problems');
      assert.deepEqual(unexpected(projectorProblems), [], 'projector: console problems');
      for (const phone of phones) assert.deepEqual(unexpected(phone.problems), [], 'phone: console problems');
    } finally {
      for (const ctx of [facilitator, ...phones]) await ctx.context.close();
    }
  });
});
