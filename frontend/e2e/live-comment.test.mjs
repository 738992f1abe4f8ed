// Comment rounds end to end: a facilitator adds a "Comment" question and
// opens it; two people comment from a phone (English) and a tablet
// (Spanish), one of them with a phone number in it; the projector shows only
// how many comments came in; staff find both in the moderation queue, named by
// the meeting, the phone number already gone, and approve one; once the
// facilitator shows the results, the projector shows the approved comment and
// never the other. axe and 48×48 targets on the participant's page (phone and
// tablet, English and Spanish), the console, the queue and the projector.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoAxeViolations, becomeCoder, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { testAdmin, useServerAndBrowser } from './harness.mjs';
import { fakeSpeech, takeSpoken } from './kiosk.mjs';
import { request } from 'playwright-core';
import { seedMeetingRoom, setMinVoters, site } from './live-setup.mjs';

const en = dictionary('en');
const es = dictionary('es');
const suite = useServerAndBrowser({ seed: seedMeetingRoom });
const shots = '/tmp/shots';
mkdirSync(shots, { recursive: true });

const title = 'Evening group';
const prompt = 'What would make this group better?';
const approvedText = 'More evening hours, please.';
const withNumber = 'Call me at 555-867-5309, the van could stop here.';

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** @param {import('playwright-core').Page} page @param {string} next */
async function signIn(page, next) {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel(en['signin.email']).fill(testAdmin.email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(testAdmin.password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
}

/**
 * As the admin, through the API: writes a finding on the first code of the codebook.
 * @param {string} baseURL @param {string} statementEn @param {string} statementEs
 */
async function writeFinding(baseURL, statementEn, statementEs) {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  try {
    const signedIn = await api.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
    assert.equal(signedIn.status(), 200, await signedIn.text());
    const { csrf_token: csrf } = await signedIn.json();
    const books = await api.get('/api/v1/research/codebooks');
    assert.equal(books.status(), 200, await books.text());
    const text = await books.text();
    const code = /"codes":\s*\[\s*\{[^{}]*?"id":\s*"([0-9a-f-]{36})"/.exec(text)?.[1];
    assert.ok(code, `no code in ${text.slice(0, 300)}`);
    const made = await api.post('/api/v1/research/findings', {
      data: { statement_en: statementEn, statement_es: statementEs, code_ids: [code] },
      headers: { 'X-CSRF-Token': csrf },
    });
    assert.equal(made.status(), 201, await made.text());
  } finally {
    await api.dispose();
  }
}

describe('comment rounds', () => {
  it('two people comment, staff approve one, the projector shows only that one', async () => {
    await setMinVoters(suite.server.baseURL, 2);
    const facilitator = await openContext(suite.browser, suite.server.baseURL);
    const staff = await openContext(suite.browser, suite.server.baseURL);
    const projector = await openContext(suite.browser, suite.server.baseURL);
    const phone = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
    const tablet = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
    try {
      // The facilitator starts a meeting and adds a comment question.
      const f = facilitator.page;
      await signIn(f, '/facilitator');
      await h1(f, en['facilitator.title']);
      await f.getByLabel(en['facilitator.site']).selectOption({ label: site });
      await f.getByLabel(en['facilitator.name']).fill(title);
      await f.getByRole('button', { name: en['facilitator.create'] }).click();
      await f.waitForURL(/\/facilitator\?session=/);
      const codeText = f.locator('.join__code');
      await codeText.waitFor();
      const code = (await codeText.getAttribute('data-code')) ?? '';
      await f.getByLabel(en['facilitator.round.kind']).selectOption('comment');
      await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).fill(prompt);
      await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
      const card = f.locator('article').filter({ hasText: prompt });
      await card.getByText(en['facilitator.round.commentsNote']).waitFor();
      await card.getByRole('button', { name: en['facilitator.round.open'], exact: true }).click();
      await card.getByText(en['facilitator.state.open']).waitFor();
      assert.equal(await card.getByText(en['facilitator.hand.title']).count(), 0, 'a comment question has no hand count');
      await assertAccessible(f, '/facilitator with a comment question', { atLeast: 8 });

      const screen = projector.page;
      await screen.goto(`/screen/${code}`);
      await screen.getByRole('heading', { level: 2, name: prompt }).waitFor();

      // A phone in English: a labelled box with its character count.
      const p = phone.page;
      await phone.context.addInitScript(fakeSpeech);
      await p.goto(`/live/${code}`);
      await p.getByRole('heading', { level: 2, name: prompt }).waitFor();
      const box = p.getByLabel(en['live.comment.label']);
      await box.fill(approvedText);
      await p.getByText(fill(en['live.comment.count'], { count: [...approvedText].length, max: 1000 })).waitFor();
      // Read aloud: the question and what to do, never what was typed.
      await p.getByRole('button', { name: en['live.comment.speak'] }).click();
      const spoken = await takeSpoken(p);
      assert.equal(spoken[0]?.text, prompt);
      assert.ok(spoken.length === 2 && spoken[1]?.text.includes(en['live.comment.hint']), JSON.stringify(spoken));
      assert.ok(!spoken.some((part) => part.text.includes(approvedText)), 'the typed comment was read aloud');
      await assertAccessible(p, '/live/<code>, a comment question on a phone', { atLeast: 1 });
      await p.screenshot({ path: `${shots}/live-comment-phone-en.png`, fullPage: true });
      await p.getByRole('button', { name: en['live.comment.send'] }).click();
      await p.getByText(en['live.comment.received']).waitFor();
      assert.equal(await box.count(), 0, 'the box goes once the comment is received');

      // A tablet in Spanish, with a phone number in the comment.
      const t = tablet.page;
      await t.goto(`/live/${code}`);
      await t.getByRole('button', { name: 'Español' }).click();
      await t.getByLabel(es['live.comment.label']).fill(withNumber);
      await assertAccessible(t, '/live/<code>, a comment question on a tablet in Spanish', { atLeast: 1 });
      await t.screenshot({ path: `${shots}/live-comment-tablet-es.png`, fullPage: true });
      await t.getByRole('button', { name: es['live.comment.send'] }).click();
      await t.getByText(es['live.comment.received']).waitFor();

      // The console and the projector count the comments; nobody reads them yet.
      await card.getByText(fill(en['facilitator.round.comments'], { received: 2, approved: 0 })).waitFor();
      await screen.getByText(fill(en['live.comments.count'], { count: 2 })).waitFor();
      await screen.getByText(en['live.results.hidden']).waitFor();

      // Staff find both in the queue, named by the meeting; the number is gone. They approve one.
      const s = staff.page;
      await signIn(s, '/staff/moderation');
      await h1(s, en['staff.moderation.title']);
      const approved = s.locator('article').filter({ hasText: approvedText });
      const other = s.locator('article').filter({ hasText: 'the van could stop here' });
      await approved.getByText(fill(en['staff.moderation.fromLive'], { title })).waitFor();
      await other.getByText(fill(en['staff.moderation.fromLive'], { title })).waitFor();
      const scrubbed = (await other.locator('blockquote').textContent()) ?? '';
      assert.ok(!scrubbed.includes('867') && scrubbed.includes('[removed]'), `the phone number was stored: ${scrubbed}`);
      await assertAccessible(s, '/staff/moderation with live comments', { atLeast: 6 });
      await approved.getByRole('button', { name: en['staff.moderation.approve'] }).click();
      await card.getByText(fill(en['facilitator.round.comments'], { received: 2, approved: 1 })).waitFor();
      assert.ok(!(await screen.content()).includes(approvedText), 'the projector showed a comment before the results');

      // The facilitator shows the results: the projector shows the approved comment only.
      await card.getByRole('button', { name: en['facilitator.round.reveal'] }).click();
      await card.getByText(en['facilitator.state.revealed']).waitFor();
      await screen.getByRole('listitem').filter({ hasText: approvedText }).waitFor();
      await p.getByRole('listitem').filter({ hasText: approvedText }).waitFor();
      for (const page of [screen, p, t, f]) {
        const html = await page.content();
        assert.ok(!html.includes('the van could stop here'), 'a comment not approved reached a screen');
      }
      assert.equal(await screen.getByRole('listitem').count(), 1);
      await assertNoAxeViolations(screen, '/screen/<code>, approved comments');
      await screen.screenshot({ path: `${shots}/live-comment-screen-en.png` });
      await assertAccessible(f, '/facilitator, a revealed comment question', { atLeast: 4 });
      await f.screenshot({ path: `${shots}/live-comment-console-en.png`, fullPage: true });

      // Coders find the approved comment in the workspace as a meeting comment, with its meeting and site; the other waits.
      await s.goto('/staff/research/manage');
      await h1(s, en['staff.researchAdmin.title']);
      await becomeCoder(s, en, testAdmin.email);
      await s.goto('/staff/research');
      await h1(s, en['staff.research.title']);
      await s.getByLabel(en['staff.research.kind'], { exact: true }).selectOption('comment');
      await s.getByRole('button', { name: en['staff.research.show'] }).click();
      const excerpt = s.locator('ol.excerpts li').filter({ hasText: approvedText });
      await excerpt.getByText(en['staff.research.kind.comment']).waitFor();
      await excerpt.getByText(site).waitFor();
      await excerpt.getByText(`${title}: ${approvedText}`).waitFor();
      assert.equal(await s.locator('ol.excerpts li').count(), 1, 'only the approved comment is a source');
      await assertAccessible(s, '/staff/research, meeting comments', { atLeast: 6 });
      await s.screenshot({ path: `${shots}/live-comment-workspace-en.png`, fullPage: true });

      for (const [name, ctx] of Object.entries({ facilitator, staff, projector, phone, tablet })) {
        assert.deepEqual(unexpected(ctx.problems), [], `${name}: console problems`);
      }
    } finally {
      for (const ctx of [facilitator, staff, projector, phone, tablet]) await ctx.context.close();
    }
  });

  it('a member-check question offers a comment question after it', async () => {
    const statementEn = 'The evening hours help people who work.';
    await writeFinding(suite.server.baseURL, statementEn, 'El horario de la tarde ayuda a quienes trabajan.');
    const facilitator = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
    try {
      const f = facilitator.page;
      await signIn(f, '/facilitator');
      await h1(f, en['facilitator.title']);
      await f.getByLabel(en['facilitator.site']).selectOption({ label: site });
      await f.getByLabel(en['facilitator.name']).fill('Check-in');
      await f.getByRole('button', { name: en['facilitator.create'] }).click();
      await f.waitForURL(/\/facilitator\?session=/);
      const kind = f.getByLabel(en['facilitator.round.kind']);
      await kind.locator('option[value="check"]').waitFor({ state: 'attached' });
      await kind.selectOption('check');
      await f.getByLabel(en['facilitator.round.finding'], { exact: true }).selectOption({ label: statementEn });
      await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
      const check = f.locator('article').filter({ hasText: statementEn });
      await check.getByText(en['facilitator.round.checkNote']).waitFor();
      await check.getByRole('button', { name: en['facilitator.round.addComment'] }).click();
      const follow = f.locator('article').filter({ hasText: en['live.comment.followUp'] });
      await follow.getByText(en['facilitator.round.commentsNote']).waitFor();
      await follow.getByText(fill(en['facilitator.round.comments'], { received: 0, approved: 0 })).waitFor();
      // Offered once: with a comment question after it, the button is gone and the keyboard is on the new question.
      assert.equal(await check.getByRole('button', { name: en['facilitator.round.addComment'] }).count(), 0, 'offered again');
      assert.equal(await follow.getByRole('heading', { level: 3 }).evaluate((el) => el === document.activeElement), true, 'focus left the new question');
      await f.reload();
      await follow.getByText(en['facilitator.round.commentsNote']).waitFor();
      assert.equal(await check.getByRole('button', { name: en['facilitator.round.addComment'] }).count(), 0, 'offered again after a reload');
      assert.equal(await f.locator('article').filter({ hasText: en['live.comment.followUp'] }).count(), 1, 'two comment questions');
      await assertAccessible(f, '/facilitator, a member check and its comment question on a phone', { atLeast: 6 });
      await f.screenshot({ path: `${shots}/live-comment-followup-phone-en.png`, fullPage: true });
      assert.deepEqual(unexpected(facilitator.problems), [], 'facilitator: console problems');
    } finally {
      await facilitator.context.close();
    }
  });
});
