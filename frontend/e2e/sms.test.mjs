// Taking part by text message (issue 18) in the browser: a fake Twilio (an
// HTTP server speaking its Messages API) stands in front of the real binary.
// The admin sets up the program's number on the settings page (EN on a
// tablet, ES on a phone: axe, 48 px targets, screenshots); the projector
// shows "or text CODE to NUMBER"; a phone texts the join code and then "1",
// through a webhook signed as Twilio signs it, and the projector's count of
// voters moves; the phone is told "Vote counted" only after the commit.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { request } from 'playwright-core';
import { assertAccessible, dictionary, fill, openContext, unexpected, viewports } from './checks.mjs';
import { freePort, launchBrowser, startServer, testAdmin } from './harness.mjs';
import { seedMeetingRoom } from './live-setup.mjs';

const shots = '/tmp/shots';
const token = 'e2e-twilio-token';
const account = 'AC' + 'e2e'.repeat(10) + 'ab';
const program = '+15550100000';
const phone = '+15550109999';

/**
 * A fake Twilio: records every message Chorus sends.
 * @param {number} port
 * @returns {Promise<{ server: import('node:http').Server, sent: { to: string, from: string, body: string }[] }>}
 */
function fakeTwilio(port) {
  /** @type {{ to: string, from: string, body: string }[]} */
  const sent = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${account}/Messages.json` || auth !== `${account}:${token}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003}');
        return;
      }
      const form = new URLSearchParams(raw);
      sent.push({ to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '' });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: 'SM' + randomBytes(16).toString('hex') }));
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, sent })));
}

/**
 * Posts an inbound text to Chorus's webhook, signed as Twilio signs it.
 * @param {string} url
 * @param {string} body
 */
async function text(url, body) {
  /** @type {Record<string, string>} */
  const params = { MessageSid: 'SM' + randomBytes(16).toString('hex'), AccountSid: account, From: phone, To: program, Body: body };
  const signed = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  const signature = createHmac('sha1', token).update(signed).digest('base64');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  assert.equal(res.status, 200, await res.text());
}

/** @type {{ server: Awaited<ReturnType<typeof startServer>>, browser: import('playwright-core').Browser, twilio: { server: import('node:http').Server, sent: { to: string, from: string, body: string }[] } }} */
const suite = /** @type {any} */ ({});

before(async () => {
  const port = await freePort();
  suite.twilio = await fakeTwilio(port);
  suite.server = await startServer({
    seed: seedMeetingRoom,
    env: { CHORUS_TWILIO_AUTH_TOKEN: token, CHORUS_TWILIO_API_URL: `http://127.0.0.1:${port}` },
  });
  suite.browser = await launchBrowser();
});
after(async () => {
  await suite.browser?.close();
  await suite.server?.stop();
  suite.twilio?.server.close();
});

/** The admin's API session. */
async function adminAPI() {
  const base = suite.server.baseURL;
  const api = await request.newContext({ baseURL: base, extraHTTPHeaders: { Origin: base } });
  const signedIn = await api.post('/api/v1/auth/signin', { data: { email: testAdmin.email, password: testAdmin.password } });
  assert.equal(signedIn.status(), 200, await signedIn.text());
  const { csrf_token: csrf } = await signedIn.json();
  return { api, headers: { 'X-CSRF-Token': csrf } };
}

describe('taking part by text message', () => {
  it('the admin sets up the number on the settings page (EN tablet, ES phone)', async () => {
    mkdirSync(shots, { recursive: true });
    for (const [lang, viewport] of /** @type {const} */ ([['en', viewports[0]], ['es', viewports[1]]])) {
      const d = dictionary(lang);
      const visitor = await openContext(suite.browser, suite.server.baseURL, viewport);
      const { page } = visitor;
      try {
        await page.goto('/signin?next=%2Fstaff%2Fsettings');
        if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
        await page.getByLabel(d['signin.email']).fill(testAdmin.email);
        await page.getByLabel(d['signin.password'], { exact: true }).fill(testAdmin.password);
        await page.getByRole('button', { name: d['signin.submit'] }).click();
        const section = page.getByRole('region', { name: d['staff.sms.title'] });
        await section.getByLabel(d['staff.sms.number']).waitFor();
        if (lang === 'en') {
          await section.getByLabel(d['staff.sms.number']).fill('+1 555 010 0000');
          await section.getByLabel(d['staff.sms.account']).fill(account);
          await section.getByLabel(d['staff.sms.cap']).fill('200');
          await section.getByRole('button', { name: d['staff.sms.save'] }).click();
          await section.getByText(d['staff.sms.saved']).waitFor();
        }
        await section.getByText(fill(d['staff.sms.count'], { sent: 0, cap: 200 })).waitFor();
        await section.getByText(fill(d['staff.sms.current'], { number: '(555) 010-0000' })).waitFor();
        await section.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${shots}/sms-settings-${lang}-${viewport.name}.png`, fullPage: true });
        await assertAccessible(page, `settings with SMS (${lang} ${viewport.name})`, { atLeast: 8 });
        assert.deepEqual(unexpected(visitor.problems), [], lang);
      } finally {
        await visitor.context.close();
      }
    }
  });

  it('the projector shows the text-in line, and a texted vote moves its count', async () => {
    const { api, headers } = await adminAPI();
    try {
      const org = await (await api.get('/api/v1/organization')).json();
      const sites = (await (await api.get('/api/v1/sites')).json()).sites;
      let r = await api.post('/api/v1/sessions', { data: { site_id: sites[0].id, title: 'Van meeting', language: 'en' }, headers });
      assert.equal(r.status(), 201, await r.text());
      const sess = await r.json();
      r = await api.post(`/api/v1/sessions/${sess.id}/rounds`, { data: { kind: 'agree', prompt: 'Open on Sundays?' }, headers });
      assert.equal(r.status(), 201, await r.text());
      const round = await r.json();
      assert.equal((await api.post(`/api/v1/rounds/${round.id}/open`, { headers })).status(), 200);

      const projector = { name: 'projector', width: 1280, height: 800 };
      for (const [lang, viewport] of /** @type {const} */ ([['en', projector], ['es', viewports[0]]])) {
        const d = dictionary(lang);
        const screen = await openContext(suite.browser, suite.server.baseURL, viewport);
        try {
          const page = screen.page;
          await page.goto(`/screen/${sess.code}`);
          if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
          await page.getByRole('heading', { level: 2, name: 'Open on Sundays?' }).waitFor();
          const line = page.locator('.screen__text-in');
          await line.waitFor();
          assert.equal(await line.textContent(), fill(d['screen.textIn'], { code: sess.code, number: '(555) 010-0000' }));
          const voters = page.locator('.screen__voters');
          const before = Number(await voters.getAttribute('data-voters'));

          const hook = `${suite.server.baseURL}/api/v1/sms/${org.id}/inbound`;
          const already = suite.twilio.sent.length;
          await text(hook, lang === 'en' ? sess.code : sess.code.toLowerCase());
          await text(hook, lang === 'en' ? '1' : '2');
          const replies = suite.twilio.sent.slice(already);
          assert.equal(replies.length, 2, JSON.stringify(replies));
          assert.match(replies[0].body, /You joined Van meeting/);
          assert.equal(replies[1].body, 'Vote counted. You can change it while the question is open.');
          assert.equal(replies[1].to, phone);
          // The first vote adds a voter; the second is the same phone changing its mind.
          await page.locator(`.screen__voters[data-voters="${lang === 'en' ? before + 1 : before}"]`).waitFor();
          await page.screenshot({ path: `${shots}/sms-projector-${lang}-${viewport.name}.png`, fullPage: true });
          await assertAccessible(page, `projector with the text-in line (${lang})`, { atLeast: 1 });
          assert.deepEqual(unexpected(screen.problems), [], lang);
        } finally {
          await screen.context.close();
        }
      }
    } finally {
      await api.dispose();
    }
  });

  it('at the monthly cap nothing more is sent, and the alerts page says so', async () => {
    const { api, headers } = await adminAPI();
    try {
      const org = await (await api.get('/api/v1/organization')).json();
      const view = await (await api.get('/api/v1/organization/sms')).json();
      const sites = (await (await api.get('/api/v1/sites')).json()).sites;
      const setUp = { phone_number: program, account_sid: account, site_id: sites[0].id, enabled: true };
      const r = await api.put('/api/v1/organization/sms', { data: { ...setUp, monthly_cap: view.sent }, headers });
      assert.equal(r.status(), 200, await r.text());
      const already = suite.twilio.sent.length;
      await text(`${suite.server.baseURL}/api/v1/sms/${org.id}/inbound`, 'HELP');
      assert.equal(suite.twilio.sent.length, already, 'a reply past the cap');
    } finally {
      await api.dispose();
    }
    for (const [lang, viewport] of /** @type {const} */ ([['en', viewports[0]], ['es', viewports[1]]])) {
      const d = dictionary(lang);
      const visitor = await openContext(suite.browser, suite.server.baseURL, viewport);
      const { page } = visitor;
      try {
        await page.goto('/signin?next=%2Fstaff%2Falerts');
        if (lang === 'es') await page.getByRole('button', { name: 'Español' }).click();
        await page.getByLabel(d['signin.email']).fill(testAdmin.email);
        await page.getByLabel(d['signin.password'], { exact: true }).fill(testAdmin.password);
        await page.getByRole('button', { name: d['signin.submit'] }).click();
        const notice = page.locator('[data-sms-capped]');
        await notice.waitFor();
        const day = (await notice.getAttribute('data-sms-capped')) ?? '';
        assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
        const said = (await notice.textContent()) ?? '';
        for (const part of d['staff.alerts.smsCapped'].split('{day}')) assert.ok(said.includes(part.trim()), `${lang}: ${said}`);
        assert.ok(!said.includes(day), `${lang}: the day is written for people, not as ${day}`);
        await notice.getByRole('link', { name: d['staff.alerts.smsSettings'] }).waitFor();
        await page.screenshot({ path: `${shots}/sms-capped-alerts-${lang}-${viewport.name}.png`, fullPage: true });
        await assertAccessible(page, `alerts with the SMS cap notice (${lang} ${viewport.name})`, { atLeast: 4 });
        assert.deepEqual(unexpected(visitor.problems), [], lang);
      } finally {
        await visitor.context.close();
      }
    }
  });
});
