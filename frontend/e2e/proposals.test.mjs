// Proposals, from what people said to what the program did. A kiosk
// submission raises a need; staff promote it to a proposal from the Needs
// page, open it with an update in English and Spanish; a participant
// supports it on the kiosk's thank-you screen (through the outbox), another
// votes in a live session round tied to it; staff see the exact counts and
// accept it with an update; the update shows on the public board, the
// printable sheet, a receipt look-up and the kiosk's thank-you board, in
// English and in Spanish. The kiosk's own receipt look-up is wiped by the
// idle reset. axe-core and 48×48 targets on the staff, board and sheet pages.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { request } from 'playwright-core';
import { assertAccessible, assertNoAxeViolations, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { runChorus, seedAdmin, testAdmin, useServerAndBrowser } from './harness.mjs';
import { addKiosks, fakeSpeech, forward, heading, openKiosk, takeSpoken } from './kiosk.mjs';

const en = dictionary('en');
const es = dictionary('es');
const site = 'Riverside van';
const tokens = /** @type {string[]} */ ([]);
const receipt = 'K7M-3QX';
const policymaker = { email: 'council@example.org', password: 'a policymaker password' };

const suite = useServerAndBrowser({
  seed: async (env) => {
    await seedAdmin(env);
    await addKiosks(env, { org: testAdmin.org, site, count: 4, tokens });
    const user = await runChorus(['admin', 'user', 'add', '--org', testAdmin.org, '--email', policymaker.email, '--role', 'policymaker'], {
      DATABASE_URL: env.DATABASE_URL ?? '',
      CHORUS_ADMIN_PASSWORD: policymaker.password,
    });
    assert.equal(user.code, 0, user.stderr);
  },
});

const proposal = {
  title: { en: 'Housing help at the van on Fridays', es: 'Ayuda con vivienda en la camioneta los viernes' },
  description: {
    en: 'A housing navigator rides with the van every Friday.',
    es: 'Una persona de apoyo en vivienda viaja en la camioneta cada viernes.',
  },
  open: { en: 'We are asking people what they think.', es: 'Estamos preguntando a la gente qué piensa.' },
  review: { en: 'Our board is looking at it this month.', es: 'Nuestra junta lo está revisando este mes.' },
  accepted: { en: 'Yes. A housing navigator starts on Friday, May 1.', es: 'Sí. Una persona de apoyo en vivienda empieza el viernes 1 de mayo.' },
};

/** As the kiosk, from Node: a submission that chose housing, with a receipt code. */
async function submitNeed() {
  const response = await fetch(new URL('/api/v1/kiosk/submissions', suite.server.baseURL), {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens[0]}`, 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ language: 'en', needs: ['housing', 'food'], priorities: ['housing'], strengths: [], receipt }),
  });
  assert.equal(response.status, 201, await response.text());
}

/** The admin, signed in through the API, for what the test sets up without a page. */
async function adminApi() {
  const api = await request.newContext({ baseURL: suite.server.baseURL, extraHTTPHeaders: { Origin: suite.server.baseURL } });
  const signedIn = await api.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
  assert.equal(signedIn.status(), 200, await signedIn.text());
  const headers = { 'X-CSRF-Token': (await signedIn.json()).csrf_token };
  /** @param {string} path @param {unknown} data */
  const post = async (path, data) => {
    const r = await api.post(path, { data, headers });
    assert.ok(r.ok(), `${path}: ${r.status()} ${await r.text()}`);
    return r.json();
  };
  return { api, post };
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} next
 * @param {{ email: string, password: string }} [who]
 */
async function signIn(page, next, who = testAdmin) {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel(en['signin.email']).fill(who.email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(who.password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
}

/** @param {import('playwright-core').Page} page @param {string} name */
const h1 = (page, name) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

/**
 * Posts an update from the proposal page.
 * @param {import('playwright-core').Page} page
 * @param {string} status  the status word to move to
 * @param {{ en: string, es: string }} body
 */
async function postUpdate(page, status, body) {
  await page.getByLabel(en['staff.proposal.update.status']).selectOption({ label: fill(en['staff.proposal.update.moveTo'], { status }) });
  await page.getByLabel(fill(en['staff.proposal.update.body'], { lang: en['staff.proposals.lang.en'] })).fill(body.en);
  await page.getByLabel(fill(en['staff.proposal.update.body'], { lang: en['staff.proposals.lang.es'] })).fill(body.es);
  await page.getByRole('button', { name: en['staff.proposal.update.submit'] }).click();
  await page.getByRole('status').filter({ hasText: fill(en['staff.proposal.update.posted'], { status }) }).waitFor();
}

/**
 * Goes through the kiosk's flow in lang, answering nothing, to the thank-you screen.
 * @param {import('playwright-core').Page} page
 * @param {Record<string, string>} d
 */
async function toThanks(page, d) {
  await heading(page, en['kiosk.start.title']);
  await page.getByRole('button', { name: new RegExp(d['kiosk.start.language']) }).click();
  await heading(page, d['kiosk.needs.title']);
  const review = page.getByRole('heading', { level: 1, name: d['kiosk.review.title'], exact: true });
  for (let i = 0; i < 10 && !(await review.isVisible()); i++) {
    const title = await page.getByRole('heading', { level: 1 }).textContent();
    await forward(page, d);
    await page.waitForFunction((before) => document.querySelector('h1')?.textContent !== before, title);
  }
  await page.getByRole('button', { name: d['kiosk.review.send'], exact: true }).click();
  await heading(page, d['kiosk.thanks.title']);
}

describe('proposals and accountability', () => {
  /** The organization's public address, and the proposal's id, once made. */
  const shared = { slug: '', id: '' };

  it('staff promote a need, participants support it at the kiosk and in a meeting, staff accept it, and everyone sees it', async () => {
    await submitNeed();
    const { api, post } = await adminApi();
    const staff = await openContext(suite.browser, suite.server.baseURL);
    const { page } = staff;
    try {
      shared.slug = (await (await api.get('/api/v1/organization')).json()).slug;
      assert.ok(shared.slug, 'the organization has a slug');

      // Needs people raised: housing, chosen once at the van, with its priority points.
      await signIn(page, '/staff/needs');
      await h1(page, en['staff.needs.title']);
      const row = page.locator('tr[data-need="housing"]');
      await row.getByRole('cell', { name: site, exact: true }).waitFor();
      assert.equal(await row.locator('td.num').first().textContent(), '1');
      assert.equal(await row.locator('td.num').nth(1).textContent(), '3');
      await assertAccessible(page, '/staff/needs', { atLeast: 10 });

      // "Make a proposal" opens the form with the need as evidence; origin: participants.
      await row.getByRole('link', { name: new RegExp(`^${en['staff.needs.propose']}`) }).click();
      await h1(page, en['staff.proposals.new.title']);
      await page.getByText(fill(en['staff.proposal.evidence.need'], { need: 'Housing and shelter', site })).first().waitFor();
      assert.equal(await page.getByLabel(en['staff.proposals.origin']).inputValue(), 'participants');
      assert.ok(await page.getByRole('checkbox', { name: site }).isChecked(), 'the need’s site is chosen');
      // Both languages are required.
      const titleIn = (/** @type {string} */ lang) => fill(en['staff.proposals.form.titleIn'], { lang });
      const descIn = (/** @type {string} */ lang) => fill(en['staff.proposals.form.descriptionIn'], { lang });
      await page.getByLabel(titleIn(en['staff.proposals.lang.en'])).fill(proposal.title.en);
      await page.getByRole('button', { name: en['staff.proposals.form.submit'] }).click();
      await page.getByRole('alert').filter({ hasText: en['staff.proposals.form.titleMissing.es'] }).waitFor();
      await assertAccessible(page, '/staff/proposals/new, with errors', { atLeast: 10 });
      await page.getByLabel(titleIn(en['staff.proposals.lang.es'])).fill(proposal.title.es);
      await page.getByLabel(descIn(en['staff.proposals.lang.en'])).fill(proposal.description.en);
      await page.getByLabel(descIn(en['staff.proposals.lang.es'])).fill(proposal.description.es);
      await page.getByRole('button', { name: en['staff.proposals.form.submit'] }).click();
      await page.waitForURL((url) => /^\/staff\/proposals\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
      shared.id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      await h1(page, en['staff.proposal.title']);
      await page.getByRole('heading', { level: 2, name: proposal.title.es }).waitFor();
      assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'draft');

      // A draft may only be opened: the select offers exactly that.
      const options = await page.getByLabel(en['staff.proposal.update.status']).locator('option').allTextContents();
      assert.deepEqual(options, [fill(en['staff.proposal.update.moveTo'], { status: en['staff.proposals.status.open'] })]);
      await postUpdate(page, en['staff.proposals.status.open'], proposal.open);
      await page.locator('li[data-update-id]').filter({ hasText: proposal.open.es }).waitFor();
      await assertAccessible(page, '/staff/proposals/{id}, open', { atLeast: 10 });

      // The list shows it, with filters.
      await page.goto('/staff/proposals?status=open');
      await h1(page, en['staff.proposals.title']);
      await page.getByRole('link', { name: proposal.title.en }).waitFor();
      await assertAccessible(page, '/staff/proposals', { atLeast: 10 });

      // A participant supports it from the kiosk's thank-you screen; the answer goes through the outbox.
      const kiosk = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
      await kiosk.context.addInitScript(fakeSpeech);
      try {
        await openKiosk(kiosk.page, tokens[1] ?? '');
        await toThanks(kiosk.page, en);
        const ask = kiosk.page.locator(`li[data-proposal-id="${shared.id}"]`);
        await ask.getByRole('heading', { level: 3, name: proposal.title.en }).waitFor();
        await kiosk.page.getByRole('button', { name: en['kiosk.speak'], exact: true }).click();
        const spoken = (await takeSpoken(kiosk.page)).map((line) => line.text);
        for (const words of [en['kiosk.support.title'], proposal.title.en, en['kiosk.support.agree']]) {
          assert.ok(spoken.includes(words), `the speaker reads "${words}"`);
        }
        const sent = kiosk.page.waitForResponse((r) => r.url().endsWith('/api/v1/kiosk/support') && r.request().method() === 'POST');
        await ask.getByRole('button', { name: en['kiosk.support.agree'] }).click();
        const answer = await sent;
        assert.equal(answer.status(), 201);
        assert.ok(answer.request().headers()['idempotency-key'], 'the answer carries its own idempotency key');
        assert.deepEqual(answer.request().postDataJSON(), { proposal_id: shared.id, answer: 'agree' });
        await ask.getByText(en['kiosk.support.saved'], { exact: false }).waitFor();
        await assertAccessible(kiosk.page, 'kiosk thank-you with a question', { atLeast: 4 });
        assert.deepEqual(unexpected(kiosk.problems), []);
      } finally {
        await kiosk.context.close();
      }

      // A live session round tied to the proposal: one participant agrees; the round closes.
      const sites = (await (await api.get('/api/v1/sites')).json()).sites;
      const session = await post('/api/v1/sessions', { site_id: sites[0].id, title: 'Community meeting', language: 'en' });
      const round = await post(`/api/v1/sessions/${session.id}/rounds`, {
        kind: 'agree',
        prompt: 'Housing help at the van on Fridays?',
        options: [],
        proposal_id: shared.id,
      });
      await post(`/api/v1/rounds/${round.id}/open`, {});
      const voter = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
      try {
        await voter.page.goto(`/live/${session.code}`);
        await voter.page.getByRole('button', { name: en['live.agree.agree'], exact: true }).click();
        await voter.page.getByText(en['live.received']).waitFor();
      } finally {
        await voter.context.close();
      }
      await post(`/api/v1/rounds/${round.id}/close`, {});

      // Staff see the exact counts: one kiosk answer and one vote agree.
      await page.goto(`/staff/proposals/${encodeURIComponent(shared.id)}`);
      await page.getByRole('heading', { level: 2, name: en['staff.proposal.support.title'] }).waitFor();
      await page.waitForFunction(() => document.querySelector('tfoot [data-support="agree"]')?.textContent === '2');
      assert.equal(await page.locator('tfoot [data-support="total"]').textContent(), '2');

      // Under review, put to policymakers; then accepted.
      await page.getByLabel(en['staff.proposal.update.status']).selectOption({
        label: fill(en['staff.proposal.update.moveTo'], { status: en['staff.proposals.status.under_review'] }),
      });
      await page.getByRole('checkbox', { name: en['staff.proposal.update.put'] }).check();
      await postUpdate(page, en['staff.proposals.status.under_review'], proposal.review);
      await page.getByText(`(${en['staff.proposal.putToPolicymakers']})`).waitFor();
      await postUpdate(page, en['staff.proposals.status.accepted'], proposal.accepted);
      await page.locator('li[data-update-id]').filter({ hasText: proposal.accepted.en }).waitFor();
      assert.equal(await page.locator('dd[data-status]').getAttribute('data-status'), 'accepted');
      await assertAccessible(page, '/staff/proposals/{id}, accepted', { atLeast: 10 });

      // The accountability figures.
      await page.goto('/staff/figures');
      await h1(page, en['staff.figures.title']);
      await page.getByRole('table', { name: en['staff.figures.byOrigin'] }).waitFor();
      await assertAccessible(page, '/staff/figures', { atLeast: 10 });
      assert.deepEqual(unexpected(staff.problems), []);
    } finally {
      await staff.context.close();
      await api.dispose();
    }
  });

  it('the update is on the public board, its sheet and a receipt look-up, in English and Spanish', async () => {
    assert.ok(shared.slug && shared.id, 'the first test made the proposal');
    const visitor = await openContext(suite.browser, suite.server.baseURL, viewports[1]);
    await visitor.context.addInitScript(fakeSpeech);
    const { page } = visitor;
    try {
      await page.goto(`/board/${shared.slug}`);
      await h1(page, en['kiosk.board.title']);
      const card = page.locator(`article[data-proposal-id="${shared.id}"]`).first();
      await card.getByRole('heading', { level: 3, name: proposal.title.en }).waitFor();
      await card.getByText(proposal.accepted.en).waitFor();
      await card.getByText(en['kiosk.status.accepted']).first().waitFor();
      await assertAccessible(page, '/board/{slug}', { atLeast: 4 });

      // Read aloud: the program's words, in the reader's language.
      await card.getByRole('button', { name: new RegExp(`^${en['kiosk.speak']}`) }).click();
      const spoken = await takeSpoken(page);
      assert.equal(spoken[0]?.text, proposal.title.en);
      assert.ok(spoken.some((line) => line.text === proposal.accepted.en));

      // A receipt code: the proposals linked to the needs raised with it, and nothing about the submission.
      await page.getByLabel(en['kiosk.code.label']).fill(receipt.toLowerCase().replace('-', ''));
      await page.getByRole('button', { name: en['kiosk.code.submit'] }).click();
      await page.getByText(en['kiosk.code.found']).waitFor();
      assert.equal(await page.locator(`article[data-proposal-id="${shared.id}"]`).count(), 2);
      await page.getByLabel(en['kiosk.code.label']).fill('ZZZ-ZZZ');
      await page.getByRole('button', { name: en['kiosk.code.submit'] }).click();
      await page.getByRole('alert').filter({ hasText: en['kiosk.code.notFound'] }).waitFor();
      await assertAccessible(page, '/board/{slug} after a look-up', { atLeast: 4 });

      // In Spanish.
      await page.getByRole('button', { name: 'Español' }).click();
      await h1(page, es['kiosk.board.title']);
      await card.getByRole('heading', { level: 3, name: proposal.title.es }).waitFor();
      await card.getByText(proposal.accepted.es).waitFor();
      await assertNoAxeViolations(page, '/board/{slug} in Spanish');

      // The printable sheet, from the board's link, in the board's language.
      await page.getByRole('link', { name: es['kiosk.board.sheet'] }).click();
      await page.waitForURL(/\/sheet\?lang=es$/);
      await page.getByText(proposal.accepted.es).waitFor();
      await page.getByRole('heading', { level: 2, name: proposal.title.es }).first().waitFor();
      await assertAccessible(page, '/board/{slug}/sheet in Spanish', { atLeast: 4 });
      await page.getByRole('combobox', { name: es['kiosk.sheet.site'] }).selectOption({ label: site });
      await page.getByRole('combobox', { name: es['kiosk.code.language'] }).selectOption('en');
      await page.getByRole('button', { name: es['kiosk.sheet.show'] }).click();
      await page.waitForURL(/site_id=.*lang=en/);
      await page.getByText(proposal.accepted.en).waitFor();
      await page.getByText(fill(en['kiosk.sheet.where'], { organization: testAdmin.org, site })).waitFor();
      await assertAccessible(page, '/board/{slug}/sheet for a site', { atLeast: 4 });
      // On paper, only the sheet.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByRole('button', { name: en['kiosk.sheet.print'] }).isVisible(), false);
      assert.equal(await page.locator('header.site-header').isVisible(), false);
      assert.ok(await page.getByText(proposal.accepted.en).isVisible());
      await page.emulateMedia({ media: 'screen' });
      assert.deepEqual(unexpected(visitor.problems), []);
    } finally {
      await visitor.context.close();
    }
  });

  it('the kiosk’s thank-you board shows the update in English and in Spanish', async () => {
    for (const [lang, d] of /** @type {const} */ ([['en', en], ['es', es]])) {
      const kiosk = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
      try {
        await openKiosk(kiosk.page, tokens[lang === 'en' ? 2 : 3] ?? '');
        await toThanks(kiosk.page, d);
        const board = kiosk.page.getByRole('region', { name: d['kiosk.thanks.board'] });
        await board.getByRole('heading', { level: 3, name: proposal.title[lang] }).waitFor();
        await board.getByText(proposal.accepted[lang]).waitFor();
        // Accepted: no longer open, so nobody is asked to support it.
        assert.equal(await kiosk.page.getByRole('heading', { level: 2, name: d['kiosk.support.title'] }).count(), 0);
        assert.deepEqual(unexpected(kiosk.problems), []);
      } finally {
        await kiosk.context.close();
      }
    }
  });

  it('the kiosk looks a code up from its start screen, and the idle reset wipes the look-up', async () => {
    const kiosk = await openContext(suite.browser, suite.server.baseURL, viewports[0]);
    await kiosk.context.addInitScript(fakeSpeech);
    const { page } = kiosk;
    /** Opens the look-up from the start screen, in Spanish, and waits for the answer to the receipt. */
    const lookUp = async () => {
      await heading(page, en['kiosk.start.title']);
      await page.getByRole('button', { name: en['kiosk.code.open'] }).click();
      await heading(page, en['kiosk.code.title']);
      await page.getByRole('button', { name: 'Español' }).last().click();
      await heading(page, es['kiosk.code.title']);
      await page.getByLabel(es['kiosk.code.label']).fill(receipt);
      await page.getByRole('button', { name: es['kiosk.code.submit'] }).click();
      await page.locator(`article[data-proposal-id="${shared.id}"]`).getByText(proposal.accepted.es).waitFor();
    };
    try {
      // The accessibility check runs under the production idle time, so a slow check cannot meet a reset.
      await openKiosk(page, tokens[0] ?? '');
      await lookUp();
      await assertAccessible(page, 'kiosk look-up', { atLeast: 6 });

      // Nobody touches it: "Are you still there?", then back to the start, with nothing left of the look-up.
      // Short timings from a fresh start (long enough that a slow step is not taken for idleness);
      // the test waits for each screen, never for a time.
      await openKiosk(page, tokens[0] ?? '', { 'chorus.kiosk.idleMs': '4000', 'chorus.kiosk.graceMs': '4000' });
      await lookUp();
      await page.getByRole('dialog', { name: es['kiosk.idle.title'] }).waitFor();
      await heading(page, en['kiosk.start.title']);
      assert.equal(await page.getByLabel(en['kiosk.code.label']).count(), 0);
      assert.equal(await page.getByText(proposal.accepted.es).count(), 0);
      assert.equal(await page.evaluate(() => document.body.innerText.includes('K7M')), false);
      assert.deepEqual(unexpected(kiosk.problems), []);
    } finally {
      await kiosk.context.close();
    }
  });

  it('an approved comment becomes a proposal from participants, and a policymaker answers one put to them', async () => {
    const { api, post } = await adminApi();
    const staff = await openContext(suite.browser, suite.server.baseURL);
    const council = await openContext(suite.browser, suite.server.baseURL);
    try {
      // A comment from the kiosk, approved: "Make a proposal" carries it as evidence.
      const comment = 'Please keep the van open later on Fridays.';
      const sent = await fetch(new URL('/api/v1/kiosk/submissions', suite.server.baseURL), {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens[0]}`, 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/json' },
        body: JSON.stringify({ language: 'en', text: comment, may_quote: true }),
      });
      assert.equal(sent.status, 201, await sent.text());
      const pending = (await (await api.get('/api/v1/feedback/texts?state=pending')).json()).texts;
      const text = pending.find((/** @type {{ body: string }} */ t) => t.body === comment);
      await post(`/api/v1/feedback/texts/${text.id}/moderate`, { decision: 'approve' });
      await signIn(staff.page, '/staff/moderation?state=approved');
      const item = staff.page.locator(`article[data-text-id="${text.id}"]`);
      await item.getByRole('link', { name: new RegExp(`^${en['staff.moderation.propose']}`) }).click();
      await h1(staff.page, en['staff.proposals.new.title']);
      await staff.page.getByText(en['staff.proposal.evidence.text'], { exact: true }).waitFor();
      assert.equal(await staff.page.getByLabel(en['staff.proposals.origin']).inputValue(), 'participants');
      assert.ok(new URL(staff.page.url()).searchParams.get('text') === text.id);

      // A proposal put to policymakers (set up through the API).
      const made = await post('/api/v1/proposals', {
        title: { en: 'Later hours on Fridays', es: 'Horario más largo los viernes' },
        description: { en: 'The van stays until 9 on Fridays.', es: 'La camioneta se queda hasta las 9 los viernes.' },
        origin: 'staff',
        needs: [],
        site_ids: [],
        evidence: [],
      });
      await post(`/api/v1/proposals/${made.id}/updates`, { status: 'open', body: { en: 'Open.', es: 'Abierta.' } });
      // One kiosk answer: too few to show anyone but staff.
      const answered = await fetch(new URL('/api/v1/kiosk/support', suite.server.baseURL), {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens[0]}`, 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/json' },
        body: JSON.stringify({ proposal_id: made.id, answer: 'agree' }),
      });
      assert.equal(answered.status, 201, await answered.text());
      await post(`/api/v1/proposals/${made.id}/updates`, {
        status: 'under_review',
        body: { en: 'The council decides.', es: 'El consejo decide.' },
        put_to_policymakers: true,
      });

      // The policymaker reads proposals and figures, not needs, and responds with a reason in both languages.
      const p = council.page;
      await signIn(p, `/staff/proposals/${made.id}`, policymaker);
      await h1(p, en['staff.proposal.title']);
      const nav = p.getByRole('navigation', { name: en['staff.nav.label'] });
      await nav.getByRole('link', { name: en['staff.nav.proposals'] }).waitFor();
      assert.equal(await nav.getByRole('link', { name: en['staff.nav.needs'] }).count(), 0);
      assert.equal(await p.getByRole('heading', { level: 2, name: en['staff.proposal.update.title'] }).count(), 0);
      await p.getByRole('heading', { level: 2, name: en['staff.proposal.respond.title'] }).waitFor();
      // Support through small-cell suppression: "fewer than k", never the 1.
      const agreed = p.locator('tfoot [data-support="agree"]');
      await agreed.waitFor();
      assert.match((await agreed.textContent()) ?? '', new RegExp(`^${fill(en['staff.proposals.support.fewer'], { k: '\\d+' })}$`));
      await p.getByRole('button', { name: en['staff.proposal.respond.submit'] }).click();
      await p.getByRole('alert').filter({ hasText: en['staff.proposal.respond.choose'] }).waitFor();
      await assertAccessible(p, '/staff/proposals/{id} for a policymaker, with an error', { atLeast: 8 });
      await p.getByRole('radio', { name: en['staff.proposal.respond.accept'] }).check();
      const reasonIn = (/** @type {string} */ lang) => fill(en['staff.proposal.respond.body'], { lang });
      await p.getByLabel(reasonIn(en['staff.proposals.lang.en'])).fill('The council agreed on Tuesday.');
      await p.getByLabel(reasonIn(en['staff.proposals.lang.es'])).fill('El consejo estuvo de acuerdo el martes.');
      await p.getByRole('button', { name: en['staff.proposal.respond.submit'] }).click();
      await p.getByRole('status').filter({ hasText: fill(en['staff.proposal.update.posted'], { status: en['staff.proposals.status.accepted'] }) }).waitFor();
      await p.locator('li[data-update-id]').filter({ hasText: en['staff.proposal.updates.byPolicymaker'] }).waitFor();
      assert.equal(await p.getByRole('heading', { level: 2, name: en['staff.proposal.respond.title'] }).count(), 0);
      assert.deepEqual(unexpected(staff.problems), []);
      assert.deepEqual(unexpected(council.problems), []);
    } finally {
      await staff.context.close();
      await council.context.close();
      await api.dispose();
    }
  });
});
