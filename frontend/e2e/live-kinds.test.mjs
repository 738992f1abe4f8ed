// Live meetings, every kind of question: the facilitator adds a scale, a pick,
// a rank and a dots question through the console's form and opens each; two
// participants vote (one with the keyboard only, one with the mouse) and one
// of them changes their vote; after "Show results" the console, the projector
// and the participants show exactly the numbers the server adds up (people
// for scale and pick, Borda points for rank, dots for dots — see
// internal/live/tally). axe and 48×48 targets on the participant page for each
// kind. Then a shared tablet, opened from the link the console issues: each
// acknowledged vote clears the controls and makes the next person a new
// participant; with the number of people in the room set below the voters,
// the console and the projector flag the question.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { useServerAndBrowser } from './harness.mjs';
import { peer, seedMeetingRoom, setMinVoters as setMinVotersAt, site } from './live-setup.mjs';

const en = dictionary('en');
const suite = useServerAndBrowser({ seed: seedMeetingRoom });

/** Two voters are enough to show results in this small test room. */
const setMinVoters = (/** @type {number} */ n) => setMinVotersAt(suite.server.baseURL, n);

/**
 * The peer facilitator signs in and starts a meeting; answers its join code.
 * @param {import('playwright-core').Page} f
 * @param {string} title
 */
async function startMeeting(f, title) {
  await f.goto('/facilitator');
  await f.waitForURL(/\/signin\?next=%2Ffacilitator$/);
  await f.getByLabel(en['signin.email']).fill(peer.email);
  await f.getByLabel(en['signin.password'], { exact: true }).fill(peer.password);
  await f.getByRole('button', { name: en['signin.submit'] }).click();
  await f.getByRole('heading', { level: 1, name: en['facilitator.title'] }).waitFor();
  await f.getByLabel(en['facilitator.site']).selectOption({ label: site });
  await f.getByLabel(en['facilitator.name']).fill(title);
  await f.getByRole('button', { name: en['facilitator.create'] }).click();
  await f.waitForURL(/\/facilitator\?session=/);
  const code = (await f.locator('.join__code').getAttribute('data-code')) ?? '';
  assert.match(code, /^[234679ACDEFGHJKMNPQRTUVWXYZ]{6}$/);
  return code;
}

/**
 * Adds a question with the console's form and opens it; answers its card.
 * @param {import('playwright-core').Page} f
 * @param {{ kind: string, prompt: string, options?: string[], maxRank?: number, dots?: number }} round
 */
async function addAndOpen(f, { kind, prompt, options, maxRank, dots }) {
  await f.getByLabel(en['facilitator.round.kind']).selectOption({ label: en[`facilitator.kind.${kind}`] });
  await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).fill(prompt);
  if (options) await f.getByLabel(en['facilitator.round.options']).fill(options.join('\n'));
  if (maxRank !== undefined) await f.getByLabel(en['facilitator.round.maxRank']).fill(String(maxRank));
  if (dots !== undefined) await f.getByLabel(en['facilitator.round.dots']).fill(String(dots));
  await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
  const card = f.locator('article').filter({ hasText: prompt });
  await card.getByText(en['facilitator.state.draft']).waitFor();
  await card.getByRole('button', { name: en['facilitator.round.open'], exact: true }).click();
  await card.getByText(en['facilitator.state.open']).waitFor();
  return card;
}

/**
 * Moves the focus with Tab (Shift+Tab when back) until it is on the button with this accessible name.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function tabTo(page, name, { back = false } = {}) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim() : '';
    });
    if (focused === name || focused.endsWith(` ${name}`)) return;
  }
  assert.fail(`no button "${name}" reached with the keyboard`);
}

/**
 * What has the keyboard focus: its aria-label or text, or "#id" for an element with an id and no name.
 * @param {import('playwright-core').Page} page
 */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'the page';
    return el.getAttribute('aria-label') ?? (el.id ? `#${el.id}` : (el.textContent ?? '').trim());
  });

/** @param {import('playwright-core').Page} page */
async function received(page) {
  await page.getByText(en['live.received']).waitFor();
}

/**
 * The results as the bars say them: exactly these numbers for these options.
 * @param {import('playwright-core').Locator | import('playwright-core').Page} where
 * @param {Record<string, number>} counts
 */
async function showsCounts(where, counts) {
  for (const [option, count] of Object.entries(counts)) {
    await where.getByText(fill(en['live.results.count'], { option, count }), { exact: true }).waitFor();
  }
  const shown = await where.locator('.bars .visually-hidden').allTextContents();
  assert.deepEqual(
    shown.sort(),
    Object.entries(counts)
      .map(([option, count]) => fill(en['live.results.count'], { option, count }))
      .sort(),
  );
}

describe('live meetings, every kind of question', () => {
  /** @type {Awaited<ReturnType<typeof openContext>>[]} */
  let contexts = [];
  /** @type {import('playwright-core').Page} */ let f;
  /** @type {import('playwright-core').Page} */ let one;
  /** @type {import('playwright-core').Page} */ let two;
  /** @type {import('playwright-core').Page} */ let screen;

  before(async () => {
    await setMinVoters(2);
    contexts = await Promise.all([
      openContext(suite.browser, suite.server.baseURL),
      openContext(suite.browser, suite.server.baseURL, viewports[1]),
      openContext(suite.browser, suite.server.baseURL, viewports[0]),
      openContext(suite.browser, suite.server.baseURL, { width: 1280, height: 800 }),
    ]);
    [f, one, two, screen] = contexts.map((c) => c.page);
    const code = await startMeeting(f, 'Every kind of question');
    await screen.goto(`/screen/${code}`);
    await one.goto(`/live/${code}`);
    await two.goto(`/live/${code}`);
    for (const p of [one, two]) await p.getByText(en['live.waiting']).waitFor();
  });

  after(async () => {
    const names = ['facilitator', 'one', 'two', 'screen'];
    const problems = contexts.map((c, i) => [names[i], unexpected(c.problems)]);
    for (const c of contexts) await c.context.close();
    for (const [name, list] of problems) assert.deepEqual(list, [], `${name}: console problems`);
  });

  /**
   * Shows the results and checks them everywhere: console, projector, both participants.
   * @param {import('playwright-core').Locator} card
   * @param {string} prompt
   * @param {Record<string, number>} counts
   * @param {string} [unit] what the numbers are, said under the bars (rank points, dots)
   */
  async function revealAndCheck(card, prompt, counts, unit) {
    await card.getByText(fill(en['facilitator.round.voters'], { count: 2 })).waitFor();
    await showsCounts(card, counts); // the facilitator sees them before the room does
    await card.getByRole('button', { name: en['facilitator.round.reveal'] }).click();
    await card.getByText(en['facilitator.state.revealed']).waitFor();
    await screen.getByRole('heading', { level: 2, name: prompt }).waitFor();
    assert.equal(await screen.locator('.screen__voters').getAttribute('data-voters'), '2');
    for (const where of [card, screen, one, two]) {
      await showsCounts(where, counts);
      if (unit) await where.getByText(unit).waitFor();
    }
  }

  it('scale: one votes with the keyboard and changes their mind, the other with the mouse', async () => {
    const prompt = 'How important are evening hours?';
    const card = await addAndOpen(f, { kind: 'scale', prompt });
    for (const p of [one, two]) await p.getByRole('heading', { level: 2, name: prompt }).waitFor();
    await assertAccessible(one, '/live/<code>, scale, phone', { atLeast: 5 });
    await assertAccessible(two, '/live/<code>, scale, tablet', { atLeast: 5 });

    await tabTo(one, '4');
    await one.keyboard.press('Space');
    await received(one);
    await two.getByRole('button', { name: '2', exact: true }).click();
    await received(two);
    await card.getByText(fill(en['facilitator.round.voters'], { count: 2 })).waitFor();
    await showsCounts(card, { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 });

    // A change while open replaces the earlier vote.
    await tabTo(one, '5');
    await one.keyboard.press('Enter');
    await card.getByText(fill(en['live.results.count'], { option: '5', count: 1 }), { exact: true }).waitFor();
    assert.equal(await one.getByRole('button', { name: '5', exact: true }).getAttribute('aria-pressed'), 'true');
    assert.equal(await one.getByRole('button', { name: '4', exact: true }).getAttribute('aria-pressed'), 'false');
    await revealAndCheck(card, prompt, { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 });
  });

  it('pick: both vote with the mouse; a changed pick counts once', async () => {
    const prompt = 'Which day should the van come?';
    const card = await addAndOpen(f, { kind: 'pick', prompt, options: ['Tuesday', 'Thursday', 'Saturday'] });
    for (const p of [one, two]) await p.getByRole('heading', { level: 2, name: prompt }).waitFor();
    await assertAccessible(two, '/live/<code>, pick', { atLeast: 3 });

    await one.getByRole('button', { name: 'Tuesday' }).click();
    await received(one);
    await two.getByRole('button', { name: 'Thursday' }).click();
    await received(two);
    await one.getByRole('button', { name: 'Thursday' }).click();
    await card.getByText(fill(en['live.results.count'], { option: 'Thursday', count: 2 }), { exact: true }).waitFor();
    await revealAndCheck(card, prompt, { Tuesday: 0, Thursday: 2, Saturday: 0 });
  });

  it('rank: keyboard and mouse ballots and a hand count add up to Borda points', async () => {
    const prompt = 'What should we add first?';
    const options = ['Showers', 'Food', 'Lockers', 'Mail'];
    const card = await addAndOpen(f, { kind: 'rank', prompt, options, maxRank: 3 });
    for (const p of [one, two]) await p.getByRole('heading', { level: 2, name: prompt }).waitFor();
    await one.getByText(fill(en['live.rank.hint'], { count: 3 })).waitFor();

    // One, by keyboard: Food, Showers, Mail.
    await tabTo(one, 'Food');
    await one.keyboard.press('Space');
    await tabTo(one, 'Showers', { back: true });
    await one.keyboard.press('Space');
    await tabTo(one, 'Mail');
    await one.keyboard.press('Space');
    assert.deepEqual(await one.locator('ol li').allTextContents(), ['Food', 'Showers', 'Mail']);
    // Start over keeps the focus on itself; the order is gone, and the same three are ranked again.
    await tabTo(one, en['live.rank.clear']);
    await one.keyboard.press('Space');
    assert.equal(await one.locator('ol').count(), 0);
    assert.equal(await focused(one), en['live.rank.clear']);
    await tabTo(one, 'Food', { back: true });
    await one.keyboard.press('Space');
    await tabTo(one, 'Showers', { back: true });
    await one.keyboard.press('Space');
    await tabTo(one, 'Mail');
    await one.keyboard.press('Space');
    assert.deepEqual(await one.locator('ol li').allTextContents(), ['Food', 'Showers', 'Mail']);
    await assertAccessible(one, '/live/<code>, rank with an order', { atLeast: 6 });
    await tabTo(one, en['live.rank.send']);
    await one.keyboard.press('Enter');
    await received(one);

    // Two, by mouse: Lockers, then Showers; a second tap takes Lockers back out, a third puts it last.
    await two.getByRole('button', { name: 'Lockers' }).click();
    await two.getByRole('button', { name: 'Showers' }).click();
    await two.getByRole('button', { name: 'Lockers' }).click();
    await two.getByRole('button', { name: 'Lockers' }).click();
    assert.deepEqual(await two.locator('ol li').allTextContents(), ['Showers', 'Lockers']);
    await two.getByRole('button', { name: en['live.rank.send'] }).click();
    await received(two);

    // Food 3, Showers 2+3, Mail 1, Lockers 2; then one hand for Mail as a first choice: 3 more points.
    await card.getByText(fill(en['facilitator.round.voters'], { count: 2 })).waitFor();
    await showsCounts(card, { Showers: 5, Food: 3, Lockers: 2, Mail: 1 });
    await card.getByLabel(en['facilitator.hand.option']).selectOption('Mail');
    await card.getByLabel(en['facilitator.hand.count']).fill('1');
    await card.getByRole('button', { name: en['facilitator.hand.save'] }).click();
    await revealAndCheck(card, prompt, { Showers: 5, Food: 3, Lockers: 2, Mail: 4 }, fill(en['live.results.points'], { count: 3 }));
    // One hand beside Mail's bar, and one person counted by hand beside the voters.
    await screen.locator('.bars').getByText(fill(en['live.results.hand'], { count: 1 })).waitFor();
    await screen.getByText(`${fill(en['live.results.voted'], { count: 3 })} (${fill(en['live.results.hand'], { count: 1 })})`).waitFor();
  });

  it('dots: spread with + and −, sent, then moved; the totals are dots', async () => {
    const prompt = 'Where should the money go?';
    const card = await addAndOpen(f, { kind: 'dots', prompt, options: ['Food', 'Lockers', 'Showers'], dots: 4 });
    for (const p of [one, two]) await p.getByRole('heading', { level: 2, name: prompt }).waitFor();
    const add = (/** @type {string} */ option) => fill(en['live.dots.add'], { option });
    const take = (/** @type {string} */ option) => fill(en['live.dots.remove'], { option });

    // One, by keyboard: three on Food, one on Lockers; the + buttons stop at 4.
    await tabTo(one, add('Food'));
    for (let i = 0; i < 3; i++) await one.keyboard.press('Enter');
    await tabTo(one, add('Lockers'));
    await one.keyboard.press('Space');
    await one.getByText(fill(en['live.dots.left'], { count: 0 })).waitFor();
    // No dots left: the + buttons say so, and the focus stays where it was (a disabled button would drop it).
    assert.equal(await one.getByRole('button', { name: add('Showers') }).getAttribute('aria-disabled'), 'true');
    assert.equal(await focused(one), add('Lockers'));
    await one.keyboard.press('Enter');
    assert.equal(await one.locator('.dots__count').allTextContents().then((n) => n.join(' ')), '3 1 0');
    await assertAccessible(one, '/live/<code>, dots all placed', { atLeast: 7 });
    await tabTo(one, en['live.dots.send']);
    await one.keyboard.press('Enter');
    await received(one);

    // Two, by mouse: two on Showers, one on Food.
    await two.getByRole('button', { name: add('Showers') }).click();
    await two.getByRole('button', { name: add('Showers') }).click();
    await two.getByRole('button', { name: add('Food') }).click();
    await two.getByText(fill(en['live.dots.left'], { count: 1 })).waitFor();
    await two.getByRole('button', { name: en['live.dots.send'] }).click();
    await received(two);
    await card.getByText(fill(en['facilitator.round.voters'], { count: 2 })).waitFor();
    await showsCounts(card, { Food: 4, Lockers: 1, Showers: 2 });

    // One moves a dot from Food to Showers and sends again: still two voters.
    await one.getByRole('button', { name: take('Food') }).click();
    await one.getByRole('button', { name: add('Showers') }).click();
    await one.getByRole('button', { name: en['live.dots.send'] }).click();
    await card.getByText(fill(en['live.results.count'], { option: 'Showers', count: 3 }), { exact: true }).waitFor();
    await revealAndCheck(card, prompt, { Food: 3, Lockers: 1, Showers: 3 }, en['live.results.dots']);
  });

  it('the add-question form: a top 3 of two choices ranks both; a repeated choice is named by its line', async () => {
    const prompt = 'Keep the Friday hours?';
    await f.getByLabel(en['facilitator.round.kind']).selectOption({ label: en['facilitator.kind.rank'] });
    await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).fill(prompt);
    await f.getByLabel(en['facilitator.round.options']).fill('Yes\nNo');
    assert.equal(await f.getByLabel(en['facilitator.round.maxRank']).inputValue(), '3');
    await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
    await f.locator('article').filter({ hasText: prompt }).getByText(en['facilitator.state.draft']).waitFor();

    await f.getByLabel(en['facilitator.round.kind']).selectOption({ label: en['facilitator.kind.pick'] });
    await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).fill('Tea or coffee?');
    const options = f.getByLabel(en['facilitator.round.options']);
    await options.fill('Tea\nCoffee\n\nTea');
    await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
    const error = f.locator('#round-options-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', new RegExp(`^${fill(en['facilitator.round.options.line'], { n: 3, reason: '' })}\\S`));
    assert.equal(await options.getAttribute('aria-invalid'), 'true');
    assert.match((await options.getAttribute('aria-describedby')) ?? '', /round-options-error/);
    assert.equal(await f.locator('article').filter({ hasText: 'Tea or coffee?' }).count(), 0);
    await assertAccessible(f, '/facilitator, a refused question', { atLeast: 8 });
  });
});

describe('a shared tablet', () => {
  it('clears after each vote and makes the next person a new participant', async () => {
    const facilitator = await openContext(suite.browser, suite.server.baseURL);
    const tablet = await openContext(suite.browser, suite.server.baseURL);
    const screenContext = await openContext(suite.browser, suite.server.baseURL, { width: 1280, height: 800 });
    const t = tablet.page;
    try {
      await setMinVoters(2);
      const f = facilitator.page;
      const code = await startMeeting(f, 'Shared tablet');
      await screenContext.page.goto(`/screen/${code}`);

      // Shared mode only from the console's link: its key rides in the fragment and leaves the address bar.
      await f.getByRole('button', { name: en['facilitator.shared.create'] }).click();
      const tabletLink = (await f.locator('[data-shared-link]').getAttribute('href')) ?? '';
      assert.match(tabletLink, new RegExp(`/live/${code}#tablet=chorus_tablet_`));
      await assertAccessible(f, '/facilitator, a shared tablet link', { atLeast: 8 });
      await t.goto(tabletLink);
      await t.getByText(en['live.shared.on']).waitFor();
      await t.waitForURL(new RegExp(`/live/${code}$`));

      /** What the previous person left behind that could still show their choice. */
      const leftovers = async () => ({
        pressed: await t.locator('.live__round [aria-pressed="true"]').count(),
        badges: await t.locator('.choice__badge').count(),
        order: await t.locator('.live__round ol').count(),
        dots: (await t.locator('.dots__count').allTextContents()).filter((n) => n.trim() !== '0').length,
      });
      const clean = { pressed: 0, badges: 0, order: 0, dots: 0 };
      const next = () => t.getByText(en['live.shared.next']).waitFor();

      // Pick: two people, one after the other.
      const pick = 'Which snack should we stock?';
      const pickCard = await addAndOpen(f, { kind: 'pick', prompt: pick, options: ['Fruit', 'Granola bars'] });
      await t.getByRole('heading', { level: 2, name: pick }).waitFor();
      const before = await t.evaluate((c) => sessionStorage.getItem(`chorus.live.${c}`), code);
      await tabTo(t, 'Fruit');
      await t.keyboard.press('Enter');
      await next();
      assert.deepEqual(await leftovers(), clean);
      // The pressed button was replaced: the keyboard focus goes to the question, not to the page.
      assert.equal(await focused(t), '#live-prompt');
      await pickCard.getByText(fill(en['facilitator.round.voters'], { count: 1 })).waitFor();
      await t.getByRole('button', { name: 'Granola bars' }).click();
      await pickCard.getByText(fill(en['facilitator.round.voters'], { count: 2 })).waitFor();
      await next();
      assert.deepEqual(await leftovers(), clean);
      const afterTwo = await t.evaluate((c) => sessionStorage.getItem(`chorus.live.${c}`), code);
      assert.notEqual(afterTwo, before, 'the tablet keeps a new participant, not the first one');
      await screenContext.page.getByText(fill(en['live.results.voted'], { count: 2 })).waitFor();
      await showsCounts(pickCard, { Fruit: 1, 'Granola bars': 1 });

      // One person in the room but two votes: the console and the projector say so.
      const overRoom = fill(en['live.overRoom'], { people: 2, room: 1 });
      await f.getByLabel(en['facilitator.room.label']).fill('1');
      await f.getByRole('button', { name: en['facilitator.room.save'] }).click();
      await f.getByText(fill(en['facilitator.room.saved'], { count: 1 })).waitFor();
      await pickCard.getByText(overRoom).waitFor();
      await screenContext.page.getByText(overRoom).waitFor();
      await assertAccessible(screenContext.page, '/screen/<code>, more votes than people', { atLeast: 3 });
      await assertAccessible(f, '/facilitator, more votes than people', { atLeast: 8 });
      await f.getByLabel(en['facilitator.room.label']).fill('40');
      await f.getByRole('button', { name: en['facilitator.room.save'] }).click();
      await f.getByText(fill(en['facilitator.room.saved'], { count: 40 })).waitFor();
      await screenContext.page.getByText(overRoom).waitFor({ state: 'detached' });

      // Rank: the order, its badges and its list are gone for the next person.
      const rank = 'Which hours suit you best?';
      const rankCard = await addAndOpen(f, { kind: 'rank', prompt: rank, options: ['Morning', 'Afternoon', 'Evening'], maxRank: 2 });
      await t.getByRole('heading', { level: 2, name: rank }).waitFor();
      for (const [first, second] of [
        ['Evening', 'Morning'],
        ['Evening', 'Afternoon'],
      ]) {
        await t.getByRole('button', { name: first }).click();
        await t.getByRole('button', { name: second }).click();
        await t.getByRole('button', { name: en['live.rank.send'] }).click();
        await next();
        assert.deepEqual(await leftovers(), clean);
      }
      await rankCard.getByText(fill(en['facilitator.round.voters'], { count: 2 })).waitFor();
      await showsCounts(rankCard, { Morning: 1, Afternoon: 1, Evening: 4 });

      // Dots: the dots placed are back to zero, all of them left.
      const dots = 'Which repair comes first?';
      const dotsCard = await addAndOpen(f, { kind: 'dots', prompt: dots, options: ['Roof', 'Heating'], dots: 3 });
      await t.getByRole('heading', { level: 2, name: dots }).waitFor();
      for (const option of ['Roof', 'Heating']) {
        await t.getByRole('button', { name: fill(en['live.dots.add'], { option }) }).click();
        await t.getByRole('button', { name: fill(en['live.dots.add'], { option }) }).click();
        await t.getByRole('button', { name: en['live.dots.send'] }).click();
        await next();
        assert.deepEqual(await leftovers(), clean);
        await t.getByText(fill(en['live.dots.left'], { count: 3 })).waitFor();
      }
      await dotsCard.getByText(fill(en['facilitator.round.voters'], { count: 2 })).waitFor();
      await showsCounts(dotsCard, { Roof: 2, Heating: 2 });
      await assertAccessible(t, '/live/<code> on a shared tablet, after a vote', { atLeast: 5 });

      // The key is kept in the tab, so a reload keeps the tablet's mode.
      await t.reload();
      await t.getByRole('heading', { level: 2, name: dots }).waitFor();
      await t.getByText(en['live.shared.on']).waitFor();

      for (const [name, ctx] of Object.entries({ facilitator, tablet, screen: screenContext })) {
        assert.deepEqual(unexpected(ctx.problems), [], `${name}: console problems`);
      }
    } finally {
      for (const ctx of [facilitator, tablet, screenContext]) await ctx.context.close();
    }
  });
});
