// Van mode (docs/van-mode.md): an admin adds a van laptop on the main
// server's Kiosks page and gets its set-up command; the laptop enrolls and
// runs `chorus edge serve`; a facilitator unlocks the van's console with the
// passphrase, runs a round, three phones vote over the van, the projector
// shows the result; after the sync, the admin on the main server sees the
// meeting's saved results; turned off there, the van's console says so.
// axe and 48×48 targets; screenshots of the Kiosks
// page and the van's console on a phone and a tablet, in English and
// Spanish, go to /tmp/shots/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'playwright-core';
import { assertAccessible, assertNoAxeViolations, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { chorusBin, freePort, launchBrowser, runChorus, seedAdmin, startServer, testAdmin } from './harness.mjs';
import { setMinVoters } from './live-setup.mjs';

const en = dictionary('en');
const es = dictionary('es');
const shots = '/tmp/shots';
const vanSite = 'Van stop';
const van = { email: 'facilitator@van.local', passphrase: 'sterile supplies on tuesday' };

/** @type {import('./harness.mjs').ChorusServer} */
let main;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {{ baseURL: string, stop: () => Promise<void>, logs: () => string } | undefined} */
let edge;
const edgeDir = mkdtempSync(join(tmpdir(), 'chorus-van-'));

/**
 * Starts `chorus edge serve` on the enrolled van database; resolves once /readyz answers.
 * @param {string} dbPath
 */
async function startEdge(dbPath) {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env = { DATABASE_URL: dbPath, CHORUS_ADDR: `127.0.0.1:${port}`, CHORUS_BASE_URL: baseURL, CHORUS_LOG_FORMAT: 'text' };
  const child = spawn(chorusBin, ['edge', 'serve', '--sync-every', '300ms', '--max-backoff', '2s'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => (output = (output + chunk.toString()).slice(-65536));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`chorus edge serve exited:\n${output}`);
    try {
      if ((await fetch(`${baseURL}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`chorus edge serve not ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseURL,
    logs: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      process.off('exit', killOnExit);
    },
  };
}

/**
 * Signs in on a page.
 * @param {import('playwright-core').Page} page
 * @param {string} email
 * @param {string} password
 */
async function signIn(page, email, password) {
  await page.getByLabel(en['signin.email']).fill(email);
  await page.getByLabel(en['signin.password'], { exact: true }).fill(password);
  await page.getByRole('button', { name: en['signin.submit'] }).click();
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  main = await startServer({
    seed: async (env) => {
      await seedAdmin(env);
      const added = await runChorus(
        ['admin', 'site', 'add', '--org', testAdmin.org, '--name', vanSite, '--kind', 'mobile', '--setting', 'rural', '--tz', 'America/Chicago'],
        { DATABASE_URL: env.DATABASE_URL ?? '' },
      );
      assert.equal(added.code, 0, added.stderr);
    },
  });
  // Three phones are enough to show results in this small test room; the van pulls the setting.
  await setMinVoters(main.baseURL, 2);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await edge?.stop();
  await main?.stop();
  rmSync(edgeDir, { recursive: true, force: true });
});

describe('van mode', () => {
  it('an admin adds a van laptop; a meeting runs on the van; staff on the main server see it after the sync', async () => {
    const admin = await openContext(browser, main.baseURL);
    const contexts = [admin];
    try {
      // The admin adds the van laptop and gets its set-up command.
      const a = admin.page;
      await a.goto('/staff/kiosks');
      await a.waitForURL(/\/signin/);
      await signIn(a, testAdmin.email, testAdmin.password);
      await a.getByRole('heading', { level: 2, name: en['staff.edge.title'] }).waitFor();
      await a.getByLabel(en['staff.edge.name'], { exact: true }).fill('Van laptop');
      await a.getByRole('button', { name: en['staff.edge.add'] }).click();
      const command = (await a.locator('#edge-command').textContent()) ?? '';
      const code = /--code (\S+)/.exec(command)?.[1] ?? '';
      assert.match(command, new RegExp(`^chorus edge enroll --upstream ${main.baseURL} --code [0-9A-Z]{8}$`));
      await a.getByRole('img', { name: en['staff.edge.code.qrAlt'] }).waitFor();
      await assertAccessible(a, '/staff/kiosks with a van laptop code', { atLeast: 4 });
      await a.screenshot({ path: `${shots}/van-kiosks-en-tablet.png`, fullPage: true });
      await a.setViewportSize(viewports[1]);
      await a.screenshot({ path: `${shots}/van-kiosks-en-phone.png`, fullPage: true });
      await a.getByRole('button', { name: 'Español' }).click();
      await a.getByRole('heading', { level: 2, name: es['staff.edge.title'] }).waitFor();
      await assertNoAxeViolations(a, '/staff/kiosks in Spanish');
      await a.screenshot({ path: `${shots}/van-kiosks-es-phone.png`, fullPage: true });
      await a.getByRole('button', { name: 'English' }).click();
      await a.setViewportSize(viewports[0]);

      // The laptop enrolls with the code and serves the van.
      const dbPath = join(edgeDir, 'van.db');
      const enrolled = await runChorus(['edge', 'enroll', '--upstream', main.baseURL, '--code', code], {
        DATABASE_URL: dbPath,
        CHORUS_EDGE_PASSPHRASE: van.passphrase,
      });
      assert.equal(enrolled.code, 0, enrolled.stderr);
      edge = await startEdge(dbPath);

      // The facilitator unlocks the van's console with the passphrase.
      const fac = await openContext(browser, edge.baseURL);
      contexts.push(fac);
      const f = fac.page;
      await f.goto('/facilitator');
      await f.waitForURL(/\/signin/);
      await signIn(f, van.email, van.passphrase);
      await f.getByRole('heading', { level: 1, name: en['facilitator.title'] }).waitFor();
      await f.getByRole('heading', { level: 2, name: en['facilitator.edge.title'] }).waitFor();
      await f.getByText(en['facilitator.edge.online']).waitFor({ timeout: 20_000 });
      await assertAccessible(f, '/facilitator on the van', { atLeast: 2 });
      await f.screenshot({ path: `${shots}/van-console-en-tablet.png`, fullPage: true });

      await f.getByLabel(en['facilitator.site']).selectOption({ label: vanSite });
      await f.getByLabel(en['facilitator.name']).fill('Van meeting');
      await f.getByRole('button', { name: en['facilitator.create'] }).click();
      await f.waitForURL(/\/facilitator\?session=/);
      const joinCode = (await f.locator('.join__code').getAttribute('data-code')) ?? '';
      // The projector's QR code carries the van's own address.
      await f.getByRole('link', { name: `${edge.baseURL}/live/${joinCode}` }).waitFor();
      // A comment question is refused on the van, in plain words: its comments could not reach staff's moderation.
      await f.getByLabel(en['facilitator.round.kind']).selectOption('comment');
      await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).fill('What did we miss?');
      await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
      await f.getByRole('alert').filter({ hasText: en['facilitator.round.commentOnVan'] }).waitFor();
      assert.equal(await f.locator('article').filter({ hasText: 'What did we miss?' }).count(), 0, 'the van added a comment question');
      await f.getByLabel(en['facilitator.round.kind']).selectOption('agree');
      const prompt = 'Should the van stay an hour longer on Tuesdays?';
      await f.getByLabel(en['facilitator.round.prompt'], { exact: true }).fill(prompt);
      await f.getByRole('button', { name: en['facilitator.round.submit'] }).click();
      const card = f.locator('article').filter({ hasText: prompt });
      await card.getByRole('button', { name: en['facilitator.round.open'], exact: true }).click();
      await card.getByText(en['facilitator.state.open']).waitFor();

      // The projector and three phones, over the van's own server.
      const screen = await openContext(browser, edge.baseURL, { width: 1280, height: 800 });
      contexts.push(screen);
      await screen.page.goto(`/screen/${joinCode}`);
      await screen.page.getByRole('heading', { level: 2, name: prompt }).waitFor();
      const phones = [];
      for (const choice of ['agree', 'agree', 'disagree']) {
        const phone = await openContext(browser, edge.baseURL, viewports[1]);
        contexts.push(phone);
        phones.push(phone);
        await phone.page.goto(`/live/${joinCode}`);
        await phone.page.getByRole('heading', { level: 2, name: prompt }).waitFor();
        await phone.page.getByRole('button', { name: en[`live.agree.${choice}`], exact: true }).click();
        await phone.page.getByText(en['live.received']).waitFor();
      }
      await screen.page.getByText(fill(en['live.results.voted'], { count: 3 })).waitFor();
      await card.getByRole('button', { name: en['facilitator.round.reveal'] }).click();
      for (const p of [screen.page, phones[0].page]) {
        await p.getByText(fill(en['live.results.count'], { option: en['live.agree.agree'], count: 2 }), { exact: true }).waitFor();
        await p.getByText(fill(en['live.results.count'], { option: en['live.agree.disagree'], count: 1 }), { exact: true }).waitFor();
      }
      await assertNoAxeViolations(screen.page, '/screen/<code> on the van, revealed');
      await screen.page.screenshot({ path: `${shots}/van-projector-revealed-en.png` });

      await f.getByRole('button', { name: en['facilitator.end'] }).click();
      await f.getByRole('dialog').getByRole('button', { name: en['facilitator.end'] }).click();
      await f.getByText(en['facilitator.ended']).waitFor();
      await f.setViewportSize(viewports[1]);
      await f.getByRole('button', { name: 'Español' }).click();
      await f.getByRole('heading', { level: 2, name: es['facilitator.edge.title'] }).waitFor();
      await assertNoAxeViolations(f, '/facilitator on the van in Spanish');
      await f.screenshot({ path: `${shots}/van-console-es-phone.png`, fullPage: true });

      // After the sync, staff on the main server see the meeting's saved results.
      const api = await request.newContext({ baseURL: main.baseURL, extraHTTPHeaders: { Origin: main.baseURL } });
      try {
        await api.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
        const deadline = Date.now() + 30_000;
        for (;;) {
          const sessions = (await (await api.get('/api/v1/sessions')).json()).sessions ?? [];
          if (sessions.some((/** @type {{ title: string }} */ s) => s.title === 'Van meeting')) break;
          assert.ok(Date.now() < deadline, `the van meeting never reached the main server:\n${edge.logs()}`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      } finally {
        await api.dispose();
      }
      await a.goto('/facilitator');
      await a.getByRole('link', { name: new RegExp('^Van meeting') }).click();
      await a.getByRole('heading', { level: 2, name: en['facilitator.results.title'] }).waitFor();
      const saved = a.locator('#meeting-results');
      await saved.getByText(prompt).waitFor();
      await saved.getByText(fill(en['live.results.count'], { option: en['live.agree.agree'], count: 2 }), { exact: true }).waitFor();
      await saved.getByText(fill(en['live.results.count'], { option: en['live.agree.disagree'], count: 1 }), { exact: true }).waitFor();
      await assertAccessible(a, '/facilitator on the main server, the van meeting', { atLeast: 1 });

      // Turned off upstream: the van's console says so, in the facilitator's language.
      await a.goto('/staff/kiosks');
      await a.getByRole('button', { name: `${en['staff.kiosks.off']} Van laptop` }).click();
      const confirm = a.getByRole('dialog', { name: fill(en['staff.kiosks.off.title'], { name: 'Van laptop' }) });
      await confirm.getByRole('button', { name: en['staff.edge.off.confirm'] }).click();
      await a.getByRole('status').filter({ hasText: fill(en['staff.kiosks.off.done'], { name: 'Van laptop' }) }).waitFor();
      const deadline = Date.now() + 20_000;
      for (;;) {
        await f.reload();
        await f.getByRole('heading', { level: 2, name: es['facilitator.edge.title'] }).waitFor();
        if (await f.getByText(es['facilitator.edge.revoked']).count()) break;
        assert.ok(Date.now() < deadline, 'the van console never said it was turned off');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await assertNoAxeViolations(f, '/facilitator on a van turned off upstream');
      await f.screenshot({ path: `${shots}/van-console-revoked-es-phone.png`, fullPage: true });

      for (const ctx of contexts) assert.deepEqual(unexpected(ctx.problems), [], 'console problems');
    } finally {
      for (const ctx of contexts) await ctx.context.close();
    }
  });
});
